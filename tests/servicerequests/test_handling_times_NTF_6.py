"""NTF-6: each request type has an expected handling time that staff set in the admin (seeded with
defaults); a request gets its due date when sent; the resident sees "we aim to handle this by";
the staff queues list overdue requests first, read in that order from an index, and filter on it."""

import importlib
import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.admin.sites import site as admin_site
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override
from factory.django import DjangoModelFactory

from servicerequests import services
from servicerequests.forms import Home
from servicerequests.models import DEFAULT_HANDLING_DAYS, Defect, HandlingTime, Message, ServiceRequest, Status
from servicerequests.models.handling import REQUEST_TYPES
from tenancy.staff_groups import CUSTOMER_SERVICE, OFFICE_CLERK
from tests.factories.servicerequests import DefectFactory, MessageFactory, ServiceRequestFactory
from tests.factories.tenancy import ApartmentFactory, PersonFactory
from tests.servicerequests.test_staff_queues import staff_in
from tests.tenancy.pages import login

FACTORIES: dict[str, type[DjangoModelFactory[Any]]] = {
    "defect": DefectFactory,
    "message": MessageFactory,
    "servicerequest": ServiceRequestFactory,
}
MODELS = {"defect": Defect, "message": Message, "servicerequest": ServiceRequest}


def _defect(household, **fields) -> Defect:
    home = Home(household.apartment, household.main_tenant, False, household.agreement)
    data: dict[str, Any] = {
        "category": "water",
        "location": "kitchen",
        "location_details": "",
        "description": "Hana vuotaa",
        "master_key_allowed": True,
        "has_pets": False,
        "pets_details": "",
        "photos": [],
    }
    return services.defect_create(person=household.main_tenant, home=home, **(data | fields))


def _row_order(body: str, model: str, items) -> list[int]:
    found = [int(pk) for pk in re.findall(rf"/admin/servicerequests/{model}/(\d+)/change/", body)]
    wanted = {item.pk for item in items}
    return [pk for pk in dict.fromkeys(found) if pk in wanted]


@pytest.fixture
def handling_times(db):
    """The rows the migration seeds; a transactional test elsewhere may have flushed them."""
    for request_type, days in DEFAULT_HANDLING_DAYS.items():
        HandlingTime.objects.get_or_create(request_type=request_type, defaults={"days": days})


def test_every_request_type_has_a_default_handling_time_and_the_migration_seeds_it_NTF_6():
    seeded = importlib.import_module("servicerequests.migrations.0002_handling_times_and_review").DEFAULT_DAYS

    assert set(DEFAULT_HANDLING_DAYS) == {value for value, _label in REQUEST_TYPES}
    assert seeded == DEFAULT_HANDLING_DAYS
    assert all(days >= 1 for days in seeded.values())


def test_staff_set_the_handling_time_in_the_admin_and_new_requests_follow_it_NTF_6(client, household, today, handling_times):
    staff_in(client, CUSTOMER_SERVICE)
    handling = HandlingTime.objects.get(request_type="defect")
    url = f"/admin/servicerequests/handlingtime/{handling.pk}/change/"

    response = client.post(url, {"days": "3"})

    assert response.status_code == 302, response.content.decode()[:2000]
    assert _defect(household).due_on == today + timedelta(days=3)


def test_a_changed_handling_time_does_not_move_the_date_already_given_NTF_6(household, today, handling_times):
    sent = _defect(household)
    HandlingTime.objects.filter(request_type="defect").update(days=30)

    sent.refresh_from_db()
    assert sent.due_on == today + timedelta(days=DEFAULT_HANDLING_DAYS["defect"])


def test_handling_time_out_of_range_is_refused_with_a_message_NTF_6(client, household, handling_times):
    staff_in(client, CUSTOMER_SERVICE)
    handling = HandlingTime.objects.get(request_type="message")
    url = f"/admin/servicerequests/handlingtime/{handling.pk}/change/"

    response = client.post(url, {"days": "0"})

    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1." in response.content.decode()
    handling.refresh_from_db()
    assert handling.days == DEFAULT_HANDLING_DAYS["message"]


def test_office_clerk_cannot_change_handling_times_NTF_6(client, db, handling_times):
    staff_in(client, OFFICE_CLERK)
    handling = HandlingTime.objects.get(request_type="defect")

    response = client.post(f"/admin/servicerequests/handlingtime/{handling.pk}/change/", {"days": "1"})

    assert response.status_code == 403
    handling.refresh_from_db()
    assert handling.days == DEFAULT_HANDLING_DAYS["defect"]


def test_each_service_request_type_has_its_own_due_date_NTF_6(household, today, handling_times):
    home = Home(household.apartment, household.main_tenant, False, household.agreement)
    HandlingTime.objects.filter(request_type="renovation").update(days=40)

    renovation = services.service_request_create(person=household.main_tenant, home=home, type="renovation", details={})
    name_change = services.service_request_create(person=household.main_tenant, home=home, type="name_change", details={})

    assert renovation.due_on == today + timedelta(days=40)
    assert name_change.due_on == today + timedelta(days=DEFAULT_HANDLING_DAYS["name_change"])


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_resident_sees_when_heka_aims_to_handle_the_request_NTF_6(client, household, language):
    sent = _defect(household)
    login(client, household.main_tenant)
    client.cookies["django_language"] = language

    body = client.get(f"/requests/defects/{sent.pk}/").content.decode()

    with override(language):
        date = date_format(sent.due_on, "DATE_FORMAT")
    phrase = {"fi": "Pyrimme käsittelemään tämän", "sv": "Vi strävar efter att behandla detta", "en": "We aim to handle this by"}
    assert phrase[language] in body
    assert date in body


@pytest.mark.parametrize(("factory", "path"), [(MessageFactory, "messages"), (ServiceRequestFactory, "service")])
def test_messages_and_service_requests_show_their_due_date_NTF_6(client, household, today, factory, path):
    sent = factory(submitted_by=household.main_tenant, apartment=household.apartment, due_on=today + timedelta(days=12))
    login(client, household.main_tenant)
    client.cookies["django_language"] = "en"

    body = client.get(f"/requests/{path}/{sent.pk}/").content.decode()

    assert f"We aim to handle this by {date_format(sent.due_on, 'DATE_FORMAT')}." in body


def test_handled_request_shows_no_due_date_NTF_6(client, household):
    sent = _defect(household)
    services.request_change_status(request=sent, status=Status.DONE, staff_user=None)
    login(client, household.main_tenant)
    client.cookies["django_language"] = "en"

    body = client.get(f"/requests/defects/{sent.pk}/").content.decode()

    assert "We aim to handle this by" not in body


@pytest.mark.parametrize("model", ["defect", "message", "servicerequest"])
def test_queue_lists_overdue_first_then_by_due_date_then_handled_NTF_6(client, db, today, model):
    factory = FACTORIES[model]
    now = timezone.now()
    handled = factory.create(created_at=now - timedelta(days=40), due_on=today - timedelta(days=30), status=Status.DONE)
    due_later = factory.create(created_at=now - timedelta(days=20), due_on=today + timedelta(days=9))
    due_soon = factory.create(created_at=now - timedelta(hours=1), due_on=today + timedelta(days=2))
    overdue = factory.create(created_at=now - timedelta(days=2), due_on=today - timedelta(days=1), status=Status.IN_PROGRESS)
    long_overdue = factory.create(created_at=now - timedelta(days=1), due_on=today - timedelta(days=5))
    staff_in(client, CUSTOMER_SERVICE)

    body = client.get(f"/admin/servicerequests/{model}/").content.decode()

    expected = [long_overdue, overdue, due_soon, due_later, handled]
    assert _row_order(body, model, expected) == [item.pk for item in expected]
    assert body.count("(overdue)") == 2


@pytest.mark.parametrize("model", ["defect", "message", "servicerequest"])
def test_overdue_filter_lists_only_open_requests_past_their_due_date_NTF_6(client, db, today, model):
    factory = FACTORIES[model]
    overdue = factory.create(due_on=today - timedelta(days=1), status=Status.WAITING)
    due_today = factory.create(due_on=today)
    handled_late = factory.create(due_on=today - timedelta(days=3), status=Status.DONE)
    staff_in(client, CUSTOMER_SERVICE)

    body = client.get(f"/admin/servicerequests/{model}/?handling=overdue").content.decode()
    on_time = client.get(f"/admin/servicerequests/{model}/?handling=on_time").content.decode()

    assert _row_order(body, model, [overdue, due_today, handled_late]) == [overdue.pk]
    assert _row_order(on_time, model, [overdue, due_today, handled_late]) == [due_today.pk]


@pytest.mark.parametrize("model", ["defect", "message", "servicerequest"])
def test_queue_order_is_read_from_the_kinds_index_NTF_6(client, db, today, model):
    """Without a sort: the plan walks `<kind>_queue_idx`, which has the queue's order, so the first
    page costs the same however many handled requests lie behind it."""
    for days in range(5):
        FACTORIES[model](due_on=today + timedelta(days=days))
    staff = staff_in(client, CUSTOMER_SERVICE)
    request = RequestFactory().get(f"/admin/servicerequests/{model}/")
    request.user = staff
    model_admin = admin_site._registry[MODELS[model]]
    changelist = model_admin.get_changelist_instance(request)
    page = changelist.queryset[:50]

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        plan = page.explain()

    kind = {"servicerequest": "service_request"}.get(model, model)
    assert f"{kind}_queue_idx" in plan, plan
    assert "Sort" not in plan, plan


@pytest.mark.django_db(transaction=True)
def test_requests_sent_before_handling_times_get_a_due_date_and_done_ones_their_done_moment_NTF_6_NTF_7():
    """The migrations date what was already sent as if the defaults had held then, and take the
    moment a done request was marked done from its timeline, so that its 14 days can be counted."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    before = [("servicerequests", "0001_initial")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    # The register is at its newest; only the requests go back in time.
    apartment = ApartmentFactory.create()
    person = PersonFactory.create()
    sent = timezone.now() - timedelta(days=10)
    common = {"submitted_by_id": person.pk, "apartment_id": apartment.pk, "created_at": sent}
    defect = old.get_model("servicerequests", "Defect").objects.create(
        kind="defect",
        status="done",
        category="water",
        location="kitchen",
        description="Vuotaa",
        master_key_allowed=True,
        has_pets=False,
        **common,
    )
    done_at = sent + timedelta(days=2)
    old.get_model("servicerequests", "TimelineEntry").objects.create(
        request_id=defect.pk, kind="status", status="done", created_at=done_at
    )
    renovation = old.get_model("servicerequests", "ServiceRequest").objects.create(
        kind="service_request", type="renovation", details={}, **common
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    sent_on = timezone.localtime(sent).date()
    migrated_defect = Defect.objects.get(pk=defect.pk)
    assert migrated_defect.due_on == sent_on + timedelta(days=DEFAULT_HANDLING_DAYS["defect"])
    assert migrated_defect.done_at == done_at
    assert ServiceRequest.objects.get(pk=renovation.pk).due_on == sent_on + timedelta(days=DEFAULT_HANDLING_DAYS["renovation"])
    assert dict(HandlingTime.objects.values_list("request_type", "days")) == DEFAULT_HANDLING_DAYS
