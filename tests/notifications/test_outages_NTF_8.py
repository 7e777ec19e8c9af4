"""Outage notices (NTF-8): staff publish them for buildings; the residents of those buildings see
them on the dashboard until they end and are told of the publish, each update and the resolve,
once each, by a task that writes in bulk."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from heka_portal.models import OutboxEmail
from notifications import outages
from notifications.kinds import Kind
from notifications.models import Notification, Outage
from tenancy.staff_groups import CUSTOMER_SERVICE
from tests.factories.tenancy import AgreementPartyFactory, ApartmentFactory, PersonFactory, RentalAgreementFactory
from tests.tenancy.pages import login


@pytest.fixture
def staff(client):
    call_command("setup_groups", stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"))  # noqa: SIM115
    user = User.objects.create_user("asiakaspalvelu@heka.example", "Staff-pass-1!", is_staff=True)
    user.groups.add(Group.objects.get(name=CUSTOMER_SERVICE))
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return user


def _form(household, **overrides) -> dict:
    start = timezone.localtime() + timedelta(hours=1)
    data = {
        "planned": "on",
        "utility": "water",
        "buildings": [household.building.pk],
        "starts_at_0": start.strftime("%Y-%m-%d"),
        "starts_at_1": start.strftime("%H:%M:%S"),
        "expected_end_at_0": (start + timedelta(hours=4)).strftime("%Y-%m-%d"),
        "expected_end_at_1": (start + timedelta(hours=4)).strftime("%H:%M:%S"),
        "description": "Vesi katkaistaan putkitöiden vuoksi.",
        "description_sv": "",
        "description_en": "",
    }
    return {**data, **overrides}


def _residents(household) -> set[int]:
    h = household
    return {p.pk for p in (h.main_tenant, h.co_tenant, h.family_member, h.sublessee, h.ward)}


def test_publishing_tells_every_resident_of_the_building_once_NTF_8(client, household, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/notifications/outage/add/", _form(household))
    assert response.status_code == 302
    outage = Outage.objects.get()
    assert outage.version == 1
    told = set(Notification.objects.filter(kind=Kind.OUTAGE).values_list("recipient_id", flat=True))
    assert told == _residents(household), "the stranger in another building is not told"
    assert Notification.objects.filter(kind=Kind.OUTAGE).count() == len(told)
    assert OutboxEmail.objects.filter(context__kind=Kind.OUTAGE).count() == len(told)

    assert outages.outage_notice_send(outage_id=outage.pk, version=1) == 0, "a second run tells nobody again"
    assert Notification.objects.filter(kind=Kind.OUTAGE).count() == len(told)


def test_an_update_and_the_resolve_each_tell_again_once_NTF_8(client, household, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/notifications/outage/add/", _form(household))
    outage = Outage.objects.get()
    later = timezone.localtime(outage.expected_end_at) + timedelta(hours=2)
    update = _form(household, expected_end_at_0=later.strftime("%Y-%m-%d"), expected_end_at_1=later.strftime("%H:%M:%S"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/notifications/outage/{outage.pk}/change/", update)
        client.post("/admin/notifications/outage/", {"action": "mark_resolved", "_selected_action": [outage.pk]})
        client.post("/admin/notifications/outage/", {"action": "mark_resolved", "_selected_action": [outage.pk]})
    outage.refresh_from_db()
    assert outage.version == 3
    assert outage.resolved_at is not None
    mine = Notification.objects.filter(recipient=household.main_tenant, kind=Kind.OUTAGE).order_by("pk")
    assert [n.params["version"] for n in mine] == [1, 2, 3]
    assert [n.headline for n in mine] == ["Planned outage: Water", "Outage updated: Water", "Outage over: Water"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"expected_end_at_1": "00:00:00", "expected_end_at_0": "2020-01-01"},
            "expected_end_at",
            "The expected end must be after the start.",
        ),
        ({"buildings": []}, "buildings", "Choose at least one building the outage concerns."),
    ],
)
def test_an_outage_ending_before_it_starts_or_for_no_building_is_refused_NTF_8(
    client, household, staff, overrides, field, message
):
    response = client.post("/admin/notifications/outage/add/", _form(household, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Outage.objects.exists()
    assert not Notification.objects.exists()


def test_the_service_refuses_what_the_form_refuses_NTF_8(household):
    now = timezone.now()
    outage = Outage.objects.create(utility="lift", starts_at=now, expected_end_at=now + timedelta(hours=1))
    with pytest.raises(outages.OutageError):
        outages.outage_publish(outage=outage)
    outage.refresh_from_db()
    assert outage.version == 0


def test_the_dashboard_shows_current_outages_of_the_residents_buildings_until_they_end_NTF_8(client, household):
    now = timezone.now()
    current = Outage.objects.create(
        utility="heating", planned=False, starts_at=now - timedelta(hours=1), expected_end_at=now + timedelta(hours=3), version=1
    )
    current.buildings.add(household.building)
    ended = Outage.objects.create(
        utility="lift", starts_at=now - timedelta(hours=5), expected_end_at=now - timedelta(hours=1), version=1
    )
    ended.buildings.add(household.building)
    login(client, household.sublessee)
    client.cookies["django_language"] = "en"
    body = client.get("/dashboard/").content.decode()
    assert "Sudden outage: Heating" in body
    assert "Lift" not in body
    login(client, household.stranger)
    assert "Sudden outage" not in client.get("/dashboard/").content.decode()
    outages.outage_resolve(outage=current)
    login(client, household.main_tenant)
    assert "Sudden outage" not in client.get("/dashboard/").content.decode()


def test_a_large_building_is_told_in_a_fixed_number_of_statements_NTF_8(household, today):
    apartment = ApartmentFactory(building=household.building)
    agreement = RentalAgreementFactory(
        apartment=apartment, signed_on=today - timedelta(days=9), starts_on=today - timedelta(days=8)
    )
    for _ in range(150):
        AgreementPartyFactory(agreement=agreement, person=PersonFactory())
    now = timezone.now()
    outage = Outage.objects.create(utility="electricity", starts_at=now, expected_end_at=now + timedelta(hours=1), version=1)
    outage.buildings.add(household.building)
    with CaptureQueriesContext(connection) as queries:
        told = outages.outage_notice_send(outage_id=outage.pk, version=1)
    assert told == 155
    assert len(queries) < 20, len(queries)
    assert OutboxEmail.objects.filter(context__kind=Kind.OUTAGE).count() == 155
