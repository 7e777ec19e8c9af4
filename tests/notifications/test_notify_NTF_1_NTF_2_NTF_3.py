"""notify(): one notification and at most one e-mail per event, for every path that changes what a
resident waits for (portal, admin, admin action, allocation, command), and the e-mail choices."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError

from accounts.models import User
from bookings import services as booking_services
from bookings.models import Reservation
from heka_portal.models import OutboxEmail
from notifications import services
from notifications.kinds import PROTECTIVE, Kind
from notifications.models import EmailPreference, Notification
from servicerequests import services as request_services
from tenancy import services as tenancy_services
from tenancy.staff_groups import BOOKING_HANDLER, CUSTOMER_SERVICE
from tests.factories.bookings import ParkingSpaceFactory, ReservationFactory
from tests.factories.tenancy import make_hetu
from tests.mail import html_part, text_of


def _staff(client, group: str) -> User:
    call_command("setup_groups", stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"))  # noqa: SIM115
    user = User.objects.create_user(f"{group.replace(' ', '.').lower()}@heka.example", "Staff-pass-1!", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return user


def _kinds(person) -> list[str]:
    return list(Notification.objects.filter(recipient=person).order_by("pk").values_list("kind", flat=True))


def test_a_defect_gets_a_receipt_with_its_reference_number_NTF_1(household, defect):
    [receipt] = Notification.objects.filter(recipient=household.main_tenant)
    assert (receipt.kind, receipt.reference) == (Kind.RECEIPT, f"V-{defect.pk}")
    assert receipt.url == f"/requests/defects/{defect.pk}/"
    [email] = OutboxEmail.objects.filter(to=household.main_tenant.email)
    assert email.context["reference"] == f"V-{defect.pk}"


@pytest.mark.parametrize(
    ("language", "headline"),
    [
        ("fi", "Vikailmoitus: Vesi, viemärit tai vuodot — uusi tila: Käsittelyssä"),
        ("sv", "Felanmälan: Vatten, avlopp eller läckor — ny status: Under behandling"),
        ("en", "Defect notification: Water, drains or leaks — new status: In progress"),
    ],
)
def test_a_status_change_is_told_once_in_the_residents_language_NTF_2(
    household, defect, language, headline, django_capture_on_commit_callbacks
):
    household.main_tenant.preferred_language = language
    household.main_tenant.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert request_services.request_change_status(request=defect, status="in_progress", staff_user=None)
        assert not request_services.request_change_status(request=defect, status="in_progress", staff_user=None)
    assert _kinds(household.main_tenant) == [Kind.RECEIPT, Kind.REQUEST_STATUS]
    matching = [message for message in mail.outbox if message.subject == headline]
    assert len(matching) == 1, [message.subject for message in mail.outbox]
    email = matching[0]
    assert email.to == [household.main_tenant.email]
    assert f"V-{defect.pk}" in email.body
    assert f"/requests/defects/{defect.pk}/" in email.body
    assert f'<html lang="{language}">' in html_part(email)


def test_a_status_change_in_the_admin_notifies_like_one_in_a_service_NTF_2(client, household, defect):
    _staff(client, CUSTOMER_SERVICE)
    url = f"/admin/servicerequests/defect/{defect.pk}/change/"
    page = client.get(url).content.decode()
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    hidden.pop("csrfmiddlewaretoken", None)
    response = client.post(url, {**hidden, "status": "done", "reply": "Korjattu."})
    assert response.status_code == 302
    assert sorted(_kinds(household.main_tenant)) == [Kind.RECEIPT, Kind.REQUEST_REPLY, Kind.REQUEST_STATUS]


def test_booking_moves_by_admin_action_allocation_and_termination_all_notify_NTF_2(client, household, today):
    space = ParkingSpaceFactory.create(building=household.building)
    first = booking_services.reservation_request(
        agreement=household.agreement,
        requested_by=household.main_tenant,
        tenant=household.main_tenant,
        kind="parking",
        wanted_start=today.replace(day=1) + timedelta(days=62),
        parking_space=space,
    ).reservation
    queued = ReservationFactory.create(
        agreement=household.agreement, requested_by=household.co_tenant, resource=space, status=Reservation.Status.REQUESTED
    )
    assert _kinds(household.main_tenant) == [Kind.RECEIPT, Kind.BOOKING_STATUS], "offered at once"

    _staff(client, BOOKING_HANDLER)
    for action in ("mark_agreement_sent", "mark_active"):
        client.post("/admin/bookings/reservation/", {"action": action, "_selected_action": [first.pk]})
    first.refresh_from_db()
    assert first.status == Reservation.Status.ACTIVE
    statuses = [
        n.params["status"]
        for n in Notification.objects.filter(recipient=household.main_tenant, kind=Kind.BOOKING_STATUS).order_by("pk")
    ]
    assert statuses == ["offered", "agreement_sent", "active"]

    assert first.starts_on is not None
    assert booking_services.reservation_terminate(
        reservation=first, acting_person=household.main_tenant, notice_date=first.starts_on
    )
    booking_services.allocation_run(parking_spaces=[space.pk])
    queued.refresh_from_db()
    assert queued.status == Reservation.Status.OFFERED
    [terminated] = Notification.objects.filter(recipient=household.main_tenant, params__status="terminated")
    first.refresh_from_db()
    assert first.ends_on is not None
    assert terminated.params["ends_on"] == first.ends_on.isoformat()
    assert [n.params["status"] for n in Notification.objects.filter(recipient=household.co_tenant)] == ["offered"]


def test_a_kind_switched_off_is_listed_but_not_e_mailed_NTF_3(household, defect):
    services.email_preferences_set(person=household.main_tenant, email_kinds=[Kind.RECEIPT])
    before = OutboxEmail.objects.count()
    request_services.request_change_status(request=defect, status="done", staff_user=None)
    assert Notification.objects.filter(recipient=household.main_tenant, kind=Kind.REQUEST_STATUS).count() == 1
    assert OutboxEmail.objects.count() == before


def test_protective_kinds_cannot_be_switched_off_by_form_service_or_database_NTF_3(client, household):
    person = household.main_tenant
    user = User.objects.create_user("maija@example.com", "x", person=person)
    client.force_login(user)
    client.cookies["django_language"] = "en"
    profile = client.get("/accounts/profile/").content.decode()
    assert "Bank account changed" in profile
    assert 'value="bank_account_changed"' not in profile

    response = client.post("/notifications/preferences/", {"email_kinds": ["bank_account_changed"]})
    assert response.status_code == 400
    assert "nothing was changed" in response.content.decode()
    assert not EmailPreference.objects.exists()

    services.email_preferences_set(person=person, email_kinds=[])
    assert not EmailPreference.objects.filter(kind__in=PROTECTIVE).exists()
    with pytest.raises(IntegrityError):
        EmailPreference.objects.create(person=person, kind=Kind.BANK_ACCOUNT_CHANGED)


def test_a_protective_notification_is_e_mailed_even_when_everything_is_switched_off_NTF_3(household):
    person = household.main_tenant
    services.email_preferences_set(person=person, email_kinds=[])
    tenancy_services.person_change_bank_account(person=person, iban="FI21 1234 5600 0007 85", notify_email="maija@example.com")
    [email] = OutboxEmail.objects.filter(to="maija@example.com")
    assert email.context["kind"] == Kind.BANK_ACCOUNT_CHANGED


def test_preferences_are_saved_from_the_profile_page_NTF_3(client, household):
    user = User.objects.create_user("maija@example.com", "x", person=household.main_tenant)
    client.force_login(user)
    response = client.post("/notifications/preferences/", {"email_kinds": ["receipt", "request_reply"]})
    assert response.status_code == 302
    off = set(EmailPreference.objects.filter(person=household.main_tenant).values_list("kind", flat=True))
    assert off == {"request_status", "booking_status", "notice_status", "application_valid", "outage"}
    assert client.get("/notifications/preferences/").status_code == 405, "POST only"


def test_e_mails_carry_no_identity_code_full_bank_account_or_token_NTF_2(household, django_capture_on_commit_callbacks):
    person = household.main_tenant
    hetu = make_hetu(7)
    person.set_hetu(hetu)
    person.save()
    with django_capture_on_commit_callbacks(execute=True):
        tenancy_services.person_change_bank_account(person=person, iban="FI21 1234 5600 0007 85", notify_email="m@example.com")
    [email] = mail.outbox
    text = str(email.subject) + text_of(email) + html_part(email)
    assert "0785" in text
    for secret in ("FI2112345600000785", "1234 5600 0007 85", hetu):
        assert secret not in text
    assert not re.search(r"/[A-Za-z0-9_-]{30,}:[A-Za-z0-9_-]{20,}", text), "no signed token in the link"
