"""BKG-5 on PostgreSQL: never two reservations of one space or slot at the same time, with many
transactions at once (each thread its own connection), and the database refuses an overlap that
bypasses the services."""

import threading
from collections.abc import Callable, Sequence
from datetime import date
from functools import partial
from typing import Any, TypeVar

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client

from bookings.dates import earliest_start
from bookings.models import Reservation, ReservationItem
from bookings.services import allocation_run, reservation_set_status
from tests.factories.bookings import ParkingSpaceFactory, ReservationFactory, SaunaSlotFactory
from tests.factories.tenancy import BuildingFactory
from tests.tenancy.pages import login

pytestmark = pytest.mark.postgres

Result = TypeVar("Result")
REQUESTERS = 10
ALLOCATORS = 4


def run_at_once(jobs: Sequence[Callable[[], Result]]) -> list[Result]:
    """Run every job in its own thread and database connection, released together; what each
    returned, in order. The test fails if any job raised."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def work(index: int, job: Callable[[], Result]) -> None:
        try:
            connection.ensure_connection()
            barrier.wait()
            results[index] = job()
        except Exception as error:  # the test asserts that none happened
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    errors = [result for result in results if isinstance(result, Exception)]
    assert not errors, errors
    return results


def holding(**resource) -> int:
    return ReservationItem.objects.filter(held_from__isnull=False, **resource).count()


@pytest.mark.django_db(transaction=True)
def test_parallel_requests_and_allocations_give_one_reservation_per_space_and_slot_BKG_5(tenant_factory, today):
    building = BuildingFactory()
    space = ParkingSpaceFactory.create(building=building)
    slot = SaunaSlotFactory.create(building=building)
    start = earliest_start(today).isoformat()
    jobs: list[Callable[[], Any]] = []  # pages, then allocation runs
    for path_kind, data in (("parking", {"parking_space": space.pk}), ("sauna", {"sauna_slots": [slot.pk]})):
        for _ in range(REQUESTERS):
            tenant = tenant_factory(building)
            client = Client()
            login(client, tenant.person)
            client.cookies["django_language"] = "en"
            url = f"/bookings/agreements/{tenant.agreement.pk}/new/{path_kind}/"
            jobs.append(partial(client.post, url, {**data, "wanted_start": start}, follow=True))
    for _ in range(ALLOCATORS):
        jobs.append(lambda: allocation_run(parking_spaces=[space.pk], sauna_slots=[slot.pk]))

    results = run_at_once(jobs)

    pages = results[: 2 * REQUESTERS]
    assert all(page.status_code == 200 for page in pages)
    answers = [page.content.decode() for page in pages]
    offered = [a for a in answers if "The space was free and is now offered to you." in a]
    queued = [a for a in answers if "Your booking request was sent and is in the queue." in a]
    assert (len(offered), len(queued)) == (2, 2 * REQUESTERS - 2), "one offer per resource, a clear answer to the rest"
    assert holding(parking_space=space) == 1
    assert holding(sauna_slot=slot) == 1
    assert Reservation.objects.filter(status=Reservation.Status.OFFERED).count() == 2


@pytest.mark.django_db(transaction=True)
def test_parallel_allocations_of_one_queue_grant_the_space_once_BKG_5(tenant_factory):
    building = BuildingFactory()
    space = ParkingSpaceFactory.create(building=building)
    slot = SaunaSlotFactory.create(building=building)
    day = date(2026, 11, 25)
    for resource in (space, slot):
        field = "parking_space" if resource is space else "sauna_slot"
        for _ in range(REQUESTERS):
            tenant = tenant_factory(building)
            ReservationFactory.create(
                agreement=tenant.agreement,
                requested_by=tenant.person,
                kind="parking" if resource is space else "sauna",
                wanted_start=date(2026, 12, 1),
                resource=resource,
            )
        assert ReservationItem.objects.filter(**{field: resource}).count() == REQUESTERS

    runs = run_at_once([lambda: allocation_run(parking_spaces=[space.pk], sauna_slots=[slot.pk], today=day)] * 8)

    assert sum(run.granted for run in runs) == 2
    assert holding(parking_space=space) == holding(sauna_slot=slot) == 1


@pytest.mark.django_db
def test_the_database_refuses_two_holds_of_one_space_on_the_same_day_BKG_5(tenant_factory):
    building = BuildingFactory()
    space = ParkingSpaceFactory.create(building=building)
    first, second = (ReservationFactory.create(agreement=tenant_factory(building).agreement, resource=space) for _ in range(2))
    ReservationItem.objects.filter(reservation=first).update(held_from=date(2026, 12, 1), held_until=date(2027, 1, 31))
    # Back to back is allowed: the second starts the day after the first ends.
    ReservationItem.objects.filter(reservation=second).update(held_from=date(2027, 2, 1))

    with pytest.raises(IntegrityError), transaction.atomic():
        ReservationItem.objects.filter(reservation=second).update(held_from=date(2027, 1, 31))


@pytest.mark.django_db
def test_the_database_refuses_two_holds_of_one_sauna_slot_BKG_5(tenant_factory):
    building = BuildingFactory()
    slot = SaunaSlotFactory.create(building=building)
    first, second = (
        ReservationFactory.create(agreement=tenant_factory(building).agreement, kind="sauna", resource=slot) for _ in range(2)
    )
    ReservationItem.objects.filter(reservation=first).update(held_from=date(2026, 12, 1))
    reservation_set_status(reservation=second, status=Reservation.Status.CANCELLED)

    with pytest.raises(IntegrityError), transaction.atomic():
        ReservationItem.objects.filter(reservation=second).update(held_from=date(2030, 1, 1))


def _blocked_by(pid: int, *, timeout: float = 10.0) -> list[tuple[int, str]]:
    """The sessions waiting for a lock held by the session `pid`, polled until one shows up."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid, query FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid)) AND wait_event_type = 'Lock'",
                [pid],
            )
            rows = cursor.fetchall()
        if rows:
            return rows
        time.sleep(0.05)
    return []


@pytest.mark.django_db(transaction=True)
def test_a_second_allocation_waits_on_the_row_lock_of_the_first_BKG_5(tenant_factory, monkeypatch):
    """The lock itself, observed in PostgreSQL: while one allocation holds the parking space's row
    (it has locked and is deciding), a second allocation of the same space waits for that lock,
    and once the first commits it finds the space granted and grants nothing."""
    from bookings.services import allocation

    building = BuildingFactory()
    space = ParkingSpaceFactory.create(building=building)
    for _ in range(3):
        tenant = tenant_factory(building)
        ReservationFactory.create(
            agreement=tenant.agreement, requested_by=tenant.person, wanted_start=date(2026, 12, 1), resource=space
        )

    deciding, release = threading.Event(), threading.Event()
    first_pid: list[int] = []
    decide = allocation._decide

    def decide_slowly(*args: Any, **kwargs: Any):
        if threading.current_thread().name == "first":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                first_pid.append(cursor.fetchone()[0])
            deciding.set()
            assert release.wait(30), "the test never released the first allocation"
        return decide(*args, **kwargs)

    monkeypatch.setattr(allocation, "_decide", decide_slowly)
    runs: dict[str, Any] = {}  # an allocation run, or what it raised

    def run(name: str) -> None:
        try:
            runs[name] = allocation_run(parking_spaces=[space.pk], today=date(2026, 11, 25))
        except Exception as error:  # asserted below
            runs[name] = error
        finally:
            connection.close()

    first = threading.Thread(target=run, args=("first",), name="first")
    first.start()
    assert deciding.wait(30), "the first allocation took the lock and is deciding"
    second = threading.Thread(target=run, args=("second",), name="second")
    second.start()
    try:
        waiting = _blocked_by(first_pid[0])
        assert len(waiting) == 1, "the second allocation waits for the first one's lock"
        assert "FOR NO KEY UPDATE" in waiting[0][1]
        assert "bookings_parkingspace" in waiting[0][1]
        assert second.is_alive()
        assert "second" not in runs
    finally:
        release.set()
        first.join(30)
        second.join(30)

    assert runs["first"].granted == 1
    assert runs["second"].granted == 0, "after the wait it sees the space granted"
    assert holding(parking_space=space) == 1
