"""STF-1, SRQ-1, SRQ-3: staff work the queues in the admin, oldest first, filtered by status,
region office and type; a status change shows on the resident's timeline, and a reply e-mails the
resident once, in their language, after the change is committed."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import User
from heka_portal.models import OutboxEmail
from servicerequests import services
from servicerequests.models import Message, Status, TimelineEntry
from tenancy.staff_groups import BOOKING_HANDLER, CONTENT_EDITOR, CUSTOMER_SERVICE, OFFICE_CLERK
from tests.factories.servicerequests import DefectFactory, MessageFactory, ServiceRequestFactory
from tests.factories.tenancy import ApartmentFactory, BuildingFactory, RegionOfficeFactory
from tests.mail import html_part, text_of
from tests.tenancy.pages import login


def staff_in(client, group: str) -> User:
    call_command("setup_groups", stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"))  # noqa: SIM115
    user = User.objects.create_user(f"{group.replace(' ', '.').lower()}@heka.example", "Staff-pass-1!", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return user


def change_form_data(client, url: str, **fields: str) -> dict:
    """The hidden inputs of the admin change page (the timeline's management form), plus `fields`."""
    page = client.get(url).content.decode()
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    hidden.pop("csrfmiddlewaretoken", None)
    return {**hidden, "status": "", "reply": "", **fields}


@pytest.mark.parametrize("model", ["defect", "message", "servicerequest"])
def test_queues_list_the_oldest_first_STF_1_SRQ_3(client, db, model):
    factories: dict[str, type[DjangoModelFactory[Any]]] = {
        "defect": DefectFactory,
        "message": MessageFactory,
        "servicerequest": ServiceRequestFactory,
    }
    factory = factories[model]
    now = timezone.now()
    newer = factory.create(created_at=now - timedelta(hours=1))
    older = factory.create(created_at=now - timedelta(days=3))
    staff_in(client, CUSTOMER_SERVICE)

    body = client.get(f"/admin/servicerequests/{model}/").content.decode()

    assert body.index(f"/admin/servicerequests/{model}/{older.pk}/change/") < body.index(
        f"/admin/servicerequests/{model}/{newer.pk}/change/"
    )


def test_queue_filters_by_status_region_office_and_type_STF_1(client, db):
    north, south = RegionOfficeFactory.create(name="Pohjoinen"), RegionOfficeFactory.create(name="Etelä")
    in_north = ApartmentFactory(building=BuildingFactory(region=north))
    in_south = ApartmentFactory(building=BuildingFactory(region=south))
    wanted = DefectFactory.create(apartment=in_north, category="heating", status=Status.IN_PROGRESS)
    others = [
        DefectFactory.create(apartment=in_south, category="heating", status=Status.IN_PROGRESS),
        DefectFactory.create(apartment=in_north, category="water", status=Status.IN_PROGRESS),
        DefectFactory.create(apartment=in_north, category="heating", status=Status.DONE),
    ]
    staff_in(client, CUSTOMER_SERVICE)

    query = f"?status__exact=in_progress&apartment__building__region__id__exact={north.pk}&category__exact=heating"
    body = client.get(f"/admin/servicerequests/defect/{query}").content.decode()

    assert f"/admin/servicerequests/defect/{wanted.pk}/change/" in body
    for other in others:
        assert f"/admin/servicerequests/defect/{other.pk}/change/" not in body


def test_status_change_in_the_admin_shows_on_the_residents_timeline_SRQ_1_STF_1(client, household, sent):
    staff = staff_in(client, CUSTOMER_SERVICE)
    url = f"/admin/servicerequests/defect/{sent.defect.pk}/change/"

    response = client.post(url, change_form_data(client, url, status="waiting"))

    assert response.status_code == 302, response.content.decode()[:3000]
    sent.defect.refresh_from_db()
    assert sent.defect.status == Status.WAITING
    entry = sent.defect.timeline.last()
    assert (entry.kind, entry.status, entry.author) == ("status", "waiting", staff)
    assert sent.defect.description == "Maijan hana vuotaa", "what the resident wrote stays as written"
    resident = User.objects.create_user("maija@example.com", "x", person=household.main_tenant)
    client.force_login(resident)
    page = client.get(f"/requests/defects/{sent.defect.pk}/").content.decode()
    assert "Status: Waiting" in page
    assert "staff" not in page.lower().replace("staff_", "")


def test_the_same_status_twice_is_recorded_once_STF_1(household, sent):
    assert services.request_change_status(request=sent.defect, status="done", staff_user=None)
    assert not services.request_change_status(request=sent.defect, status="done", staff_user=None)
    assert sent.defect.timeline.filter(status="done").count() == 1


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_staff_reply_sends_one_email_to_the_submitter_in_their_language_SRQ_3(
    client, household, sent, language, django_capture_on_commit_callbacks
):
    person = household.co_tenant
    person.preferred_language = language
    person.save()
    User.objects.create_user("matti@example.com", "x", person=person)
    User.objects.create_user("maija@example.com", "x", person=household.main_tenant)
    staff_in(client, CUSTOMER_SERVICE)
    url = f"/admin/servicerequests/message/{sent.spouse_message.pk}/change/"
    data = change_form_data(client, url, status="received", reply="Avaimet ovat noudettavissa toimistolta.")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)

    assert response.status_code == 302
    [email] = mail.outbox
    assert email.to == ["matti@example.com"]
    assert f"/requests/messages/{sent.spouse_message.pk}/" in email.body
    assert "Avaimet ovat" not in email.body, "the reply itself is read in the portal, behind the login"
    assert OutboxEmail.objects.get(to="matti@example.com").language == language
    message = Message.objects.get(pk=sent.spouse_message.pk)
    assert message.status == Status.ANSWERED
    reply = message.timeline.get(kind="reply")
    assert reply.text == "Avaimet ovat noudettavissa toimistolta."
    assert reply.read_at is None


def test_resident_sees_the_reply_and_it_counts_as_unread_until_opened_SRQ_3_TEN_1(client, household, sent):
    services.request_reply(request=sent.spouse_message, text="Kiitos viestistä", staff_user=None)
    login(client, household.co_tenant)
    client.cookies["django_language"] = "en"
    assert "You have 1 unread reply from Heka." in client.get("/dashboard/").content.decode()
    assert "Kiitos viestistä" in client.get(f"/requests/messages/{sent.spouse_message.pk}/").content.decode()
    assert "unread reply" not in client.get("/dashboard/").content.decode()


def test_nothing_tells_the_resident_to_contact_again_about_the_same_matter_SRQ_3(
    household, sent, django_capture_on_commit_callbacks
):
    User.objects.create_user("maija@example.com", "x", person=household.main_tenant)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_reply(request=sent.message, text="Vastaus", staff_user=None)
    [email] = mail.outbox
    text = (email.subject + text_of(email) + html_part(email)).lower()
    assert "again" not in text
    assert "uudelleen" not in text


@pytest.mark.parametrize(
    ("group", "status"), [(CUSTOMER_SERVICE, 200), (OFFICE_CLERK, 200), (BOOKING_HANDLER, 403), (CONTENT_EDITOR, 403)]
)
def test_defect_photo_in_the_admin_needs_the_right_to_view_defects_STF_3_X_8(client, household, sent, group, status):
    staff_in(client, group)
    response = client.get(f"/admin/servicerequests/defect/{sent.defect.pk}/photos/{sent.photo.pk}/")
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/png"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
        page = client.get(f"/admin/servicerequests/defect/{sent.defect.pk}/change/").content.decode()
        assert f"/admin/servicerequests/defect/{sent.defect.pk}/photos/{sent.photo.pk}/" in page


def test_anonymous_cannot_see_admin_photos_X_8(client, household, sent):
    response = client.get(f"/admin/servicerequests/defect/{sent.defect.pk}/photos/{sent.photo.pk}/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_office_clerk_may_read_but_not_answer_STF_3(client, household, sent):
    staff_in(client, OFFICE_CLERK)
    url = f"/admin/servicerequests/message/{sent.message.pk}/change/"
    assert client.get(url).status_code == 200
    client.post(url, change_form_data(client, url, status="done", reply="Ei saa"))
    assert not TimelineEntry.objects.filter(text="Ei saa").exists()
    assert Message.objects.get(pk=sent.message.pk).status == Status.RECEIVED


def test_staff_service_request_page_shows_the_types_own_fields_STF_1_SRQ_5(client, household, sent):
    staff_in(client, CUSTOMER_SERVICE)
    page = client.get(f"/admin/servicerequests/servicerequest/{sent.service_request.pk}/change/").content.decode()
    assert "New last name" in page
    assert "Maijan uusi nimi" in page
