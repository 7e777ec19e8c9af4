"""Staff in the admin (STF-1, STF-2, STF-3): the booking handler runs the allocation (BKG-4) with the
admin action or the `allocate_bookings` command and moves reservations between states (BKG-6)."""

from datetime import date
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from bookings.demo import populate
from bookings.models import AllocationRun, ParkingSpace, Reservation, SaunaSlot
from bookings.services import allocation_run, reservation_set_status
from tenancy.staff_groups import BOOKING_HANDLER, CUSTOMER_SERVICE
from tests.factories.bookings import ReservationFactory
from tests.factories.tenancy import BuildingFactory


def staff_in(client, group: str) -> User:
    call_command("setup_groups", stdout=StringIO(), stderr=StringIO())
    user = User.objects.create_user(f"{group.replace(' ', '.').lower()}@heka.example", "Staff-pass-1!", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return user


@pytest.fixture
def queue(resources, tenant_factory):
    """Two requests waiting for the first sauna slot, which nobody holds."""
    resources.waiting = [
        ReservationFactory(agreement=tenant.agreement, requested_by=tenant.person, kind="sauna", resource=resources.slots[0])
        for tenant in (tenant_factory(resources.building), tenant_factory(resources.building))
    ]
    return resources


def test_booking_handler_runs_the_allocation_from_the_admin_and_sees_why_BKG_4(client, queue):
    handler = staff_in(client, BOOKING_HANDLER)
    listing = client.get("/admin/bookings/saunaslot/").content.decode()
    assert "Run the allocation for the selected resources" in listing

    response = client.post(
        "/admin/bookings/saunaslot/",
        {"action": "allocate", "_selected_action": [queue.slots[0].pk]},
        follow=True,
    )

    body = response.content.decode()
    assert "2 requests considered, 1 granted." in body
    run = AllocationRun.objects.get()
    assert run.run_by == handler
    first, second = (Reservation.objects.get(pk=r.pk) for r in queue.waiting)
    assert (first.status, second.status) == ("offered", "requested")
    explained = client.get(f"/admin/bookings/allocationrun/{run.pk}/change/").content.decode()
    assert "Granted: first in the queue" in explained
    assert "Not granted: an earlier request in the queue got it" in explained


def test_booking_handler_moves_a_reservation_through_its_states_BKG_6(client, queue):
    staff_in(client, BOOKING_HANDLER)
    allocation_run(sauna_slots=[queue.slots[0].pk])
    offered = queue.waiting[0]

    def act(action: str) -> str:
        response = client.post("/admin/bookings/reservation/", {"action": action, "_selected_action": [offered.pk]}, follow=True)
        offered.refresh_from_db()
        return response.content.decode()

    assert "moved to “Agreement sent for signing”" in act("mark_agreement_sent")
    assert offered.status == "agreement_sent"
    act("mark_active")
    assert offered.status == "active"
    assert "not possible from its state" in act("mark_agreement_sent")
    assert offered.status == "active"
    detail = client.get(f"/admin/bookings/reservation/{offered.pk}/change/").content.decode()
    assert "Granted: first in the queue" in detail


def test_cancelling_frees_the_slot_for_the_next_in_the_queue_BKG_4_BKG_6(queue):
    allocation_run(sauna_slots=[queue.slots[0].pk])
    first, second = queue.waiting

    assert reservation_set_status(reservation=first, status="cancelled")
    assert not reservation_set_status(reservation=first, status="cancelled")
    allocation_run(sauna_slots=[queue.slots[0].pk])

    second.refresh_from_db()
    assert second.status == "offered"


def test_customer_service_sees_the_queue_but_cannot_allocate_STF_3(client, queue):
    staff_in(client, CUSTOMER_SERVICE)
    assert client.get("/admin/bookings/reservation/").status_code == 200
    listing = client.get("/admin/bookings/saunaslot/").content.decode()
    assert "Run the allocation" not in listing
    client.post("/admin/bookings/saunaslot/", {"action": "allocate", "_selected_action": [queue.slots[0].pk]})
    assert not AllocationRun.objects.exists()


def test_reservation_queue_lists_oldest_first_STF_1(client, queue):
    staff_in(client, BOOKING_HANDLER)
    body = client.get("/admin/bookings/reservation/?status__exact=requested").content.decode()
    first, second = (f"/admin/bookings/reservation/{r.pk}/change/" for r in queue.waiting)
    assert body.index(first) < body.index(second)


def test_allocate_bookings_command_grants_in_queue_order_and_explains_BKG_4(queue):
    out = StringIO()
    call_command("allocate_bookings", "--sauna-slot", str(queue.slots[0].pk), "-v", "2", stdout=out)

    text = out.getvalue()
    assert "2 requests considered, 1 granted." in text
    assert f"request {queue.waiting[0].pk} — Granted: first in the queue" in text
    assert f"request {queue.waiting[1].pk} — Not granted: an earlier request in the queue got it" in text


def test_allocate_bookings_all_and_building(queue):
    out = StringIO()
    call_command("allocate_bookings", "--all", stdout=out)
    assert "1 granted" in out.getvalue()
    call_command("allocate_bookings", "--building", queue.building.code, stdout=out)
    with pytest.raises(CommandError):
        call_command("allocate_bookings")
    with pytest.raises(CommandError):
        call_command("allocate_bookings", "--parking-space", "999999")


def test_demo_populate_is_idempotent(db):
    BuildingFactory.create_batch(2)
    populate(stdout=StringIO())
    counts = (ParkingSpace.objects.count(), SaunaSlot.objects.count())
    populate()
    assert counts == (ParkingSpace.objects.count(), SaunaSlot.objects.count()) == (12, 40)


def test_setup_groups_knows_every_booking_permission_STF_3(db):
    call_command("setup_groups", "--strict", stdout=StringIO())
    handler = Group.objects.get(name=BOOKING_HANDLER)
    assert handler.permissions.filter(codename="run_allocation").exists()
    assert not Group.objects.get(name=CUSTOMER_SERVICE).permissions.filter(codename="run_allocation").exists()


def test_data_export_lists_the_persons_reservations_X_10(client, resources):
    from tests.tenancy.pages import login

    ReservationFactory(
        agreement=resources.agreement,
        requested_by=resources.main_tenant,
        wanted_start=date(2026, 12, 1),
        resource=resources.space,
    )
    login(client, resources.main_tenant)
    data = client.get("/profile/data/").json()
    assert data["bookings"]["reservations"][0]["booked"] == [str(resources.space)]
    login(client, resources.co_tenant)
    assert client.get("/profile/data/").json()["bookings"]["reservations"] == []


def add_requests_and_runs(household, count: int, tenant_factory, handler) -> None:
    """`count` parking and sauna requests, each resource allocated in a run of its own."""
    from tests.bookings.test_pages import add_data

    before = set(ParkingSpace.objects.values_list("pk", flat=True))
    add_data(household, count, tenant_factory)
    for space in ParkingSpace.objects.exclude(pk__in=before):
        allocation_run(parking_spaces=[space.pk], run_by=handler)


@pytest.mark.parametrize("path", ["/admin/bookings/reservation/", "/admin/bookings/allocationrun/"])
def test_booking_queue_and_runs_queries_do_not_grow_with_the_data_STF_1_BKG_4(client, household, tenant_factory, path):
    """Each row names its resources and the staff member who ran the allocation without a query of its own."""
    handler = staff_in(client, BOOKING_HANDLER)
    add_requests_and_runs(household, 1, tenant_factory, handler)
    with CaptureQueriesContext(connection) as baseline:
        assert client.get(path).status_code == 200

    add_requests_and_runs(household, 4, tenant_factory, handler)

    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    assert len(queries) <= len(baseline)
