"""NTF-4: a termination is confirmed to every signatory with the end date and their reservations
that run past it. NTF-5: the old address hears of ACC-14, the applicant of a valid application."""

from datetime import date, timedelta
from decimal import Decimal

from django.core import mail
from django.utils import timezone

from accounts.models import Registration, User
from accounts.services import account_activate
from applications import services as application_services
from applications.matching import Identity
from applications.models import CoApplicantLink
from bookings.models import Reservation
from heka_portal.models import OutboxEmail
from notifications.kinds import Kind
from notifications.models import Notification
from tenancy import hetu
from tenancy import services as tenancy_services
from tenancy.dates import termination_end_date
from tests.factories.bookings import ParkingSpaceFactory, ReservationFactory


def test_a_termination_is_confirmed_to_every_signatory_with_the_reservations_past_its_end_NTF_4(
    household, today, django_capture_on_commit_callbacks
):
    h = household
    h.co_tenant.preferred_language = "sv"
    h.co_tenant.save()
    space = ParkingSpaceFactory(building=h.building, number="P 3")
    ReservationFactory(
        agreement=h.agreement,
        requested_by=h.co_tenant,
        resource=space,
        resource__held_from=today - timedelta(days=90),
        status=Reservation.Status.ACTIVE,
        starts_on=today - timedelta(days=90),
    )
    with django_capture_on_commit_callbacks(execute=True):
        _notice, created = tenancy_services.termination_notice_create(
            agreement=h.agreement, submitted_by=h.main_tenant, on_behalf_of=None, notice_date=today
        )
    assert created
    ends_on = termination_end_date(today)
    confirmations = {n.recipient_id: n for n in Notification.objects.filter(kind=Kind.TERMINATION_CONFIRMED)}
    assert set(confirmations) == {h.main_tenant.pk, h.co_tenant.pk}
    assert confirmations[h.main_tenant.pk].params["reservations"] == []
    [reservation] = confirmations[h.co_tenant.pk].params["reservations"]
    assert "P 3" in reservation["place"]
    for n in confirmations.values():
        assert n.params["ends_on"] == ends_on.isoformat()

    by_address = {message.to[0]: message for message in mail.outbox}
    swedish = by_address[h.co_tenant.email]
    assert swedish.extra_headers["Content-Language"] == "sv"
    assert "P 3" in swedish.body
    assert h.main_tenant.email in by_address
    assert "asiakaspalvelu@heka.example" in by_address, "customer service is told as before"

    _again, created = tenancy_services.termination_notice_create(
        agreement=h.agreement, submitted_by=h.co_tenant, on_behalf_of=None, notice_date=today
    )
    assert not created
    assert Notification.objects.filter(kind=Kind.TERMINATION_CONFIRMED).count() == 2, "told once"


def test_confirming_or_cancelling_in_the_admin_tells_every_signatory_NTF_2(household, today):
    notice, _created = tenancy_services.termination_notice_create(
        agreement=household.agreement, submitted_by=household.main_tenant, on_behalf_of=None, notice_date=today
    )
    assert tenancy_services.termination_notice_set_status(notice=notice, status="confirmed")
    assert not tenancy_services.termination_notice_set_status(notice=notice, status="confirmed")
    told = Notification.objects.filter(kind=Kind.NOTICE_STATUS, params__status="confirmed")
    assert set(told.values_list("recipient_id", flat=True)) == {household.main_tenant.pk, household.co_tenant.pk}


def test_replacing_an_account_tells_the_old_address_NTF_5(household):
    person = household.main_tenant
    User.objects.create_user("vanha@example.com", "x", person=person)
    new = User.objects.create_user("uusi@example.com", "x", person=person, is_active=False)
    Registration.objects.create(user=new, method=Registration.Method.ELECTRONIC)
    account_activate(user=new)
    [email] = OutboxEmail.objects.filter(to="vanha@example.com")
    assert email.context["kind"] == Kind.ACCOUNT_CLOSED
    assert not OutboxEmail.objects.filter(to="uusi@example.com", context__kind=Kind.ACCOUNT_CLOSED).exists()


def test_the_applicant_is_told_when_the_last_adult_confirms_NTF_5(db):
    application = application_services.application_submit(
        applicant=application_services.PersonData("Anna", "Aaltonen", date(1980, 2, 1), "anna@example.com"),
        co_applicants=[application_services.PersonData("Kalle", "Korhonen", date(1969, 4, 1), "kalle@example.com")],
        areas=["central"],
        apartment_size="2",
        max_rent=Decimal("900"),
        moving_date=timezone.localdate() + timedelta(days=30),
        language="sv",
    )
    main = application.applicants.get(role="main")
    kalle = application.applicants.get(first_names="Kalle")

    def identity(code: str, first_names: str, last_name: str) -> Identity:
        return Identity(hetu.lookup_hash(code), hetu.encrypt(code), first_names, last_name)

    application_services.applicant_confirm(
        applicant=main, identity=identity("010280-952L", "Anna Maria", "Aaltonen"), identified_at=timezone.now()
    )
    assert not OutboxEmail.objects.filter(context__kind=Kind.APPLICATION_VALID).exists()
    link = CoApplicantLink.objects.get(applicant=kalle)
    application_services.co_applicant_confirm(
        link=link, identity=identity("010469-999W", "Kalle Johannes", "Korhonen"), identified_at=timezone.now()
    )
    [email] = OutboxEmail.objects.filter(context__kind=Kind.APPLICATION_VALID)
    assert (email.to, email.language) == ("anna@example.com", "sv")
    assert email.context["reference"] == application.number


def test_a_notice_confirmed_in_the_admin_goes_through_the_service_and_tells_NTF_2(client, household, today):
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from tenancy.staff_groups import CUSTOMER_SERVICE

    notice, _created = tenancy_services.termination_notice_create(
        agreement=household.agreement, submitted_by=household.main_tenant, on_behalf_of=None, notice_date=today
    )
    call_command("setup_groups", stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"))  # noqa: SIM115
    staff = User.objects.create_user("asiakaspalvelu@heka.example", "Staff-pass-1!", is_staff=True)
    staff.groups.add(Group.objects.get(name=CUSTOMER_SERVICE))
    client.force_login(staff)
    response = client.post(f"/admin/tenancy/terminationnotice/{notice.pk}/change/", {"status": "confirmed"})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == "confirmed"
    told = Notification.objects.filter(kind=Kind.NOTICE_STATUS, params__status="confirmed")
    assert set(told.values_list("recipient_id", flat=True)) == {household.main_tenant.pk, household.co_tenant.pk}
