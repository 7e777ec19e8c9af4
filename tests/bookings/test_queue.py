"""The fair queue (BKG-4), the earliest start (BKG-3), consecutive sauna slots (BKG-2), the end
date of a termination (BKG-8), and the Python side of "never two at once" (BKG-5)."""

from datetime import date, time

import pytest
from django.utils import translation

from bookings.dates import earliest_start, start_choices
from bookings.models import AllocationDecision, Reservation, ReservationItem
from bookings.services import (
    BookingError,
    allocation_run,
    reservation_request,
    reservation_set_status,
    reservation_terminate,
)
from tests.factories.bookings import ParkingSpaceFactory, ReservationFactory, SaunaSlotFactory

TODAY = date(2026, 11, 25)
DECEMBER = date(2026, 12, 1)
Outcome = AllocationDecision.Outcome


def ask(tenant, *, space=None, slots=(), start=DECEMBER, today=TODAY):
    return reservation_request(
        agreement=tenant.agreement,
        requested_by=tenant.person,
        tenant=tenant.person,
        kind="parking" if space is not None else "sauna",
        parking_space=space,
        sauna_slots=slots,
        wanted_start=start,
        today=today,
    )


def holder_of(space, tenant_factory, *, today=TODAY):
    """Someone who got `space` when it was free: the space is reserved with no end date."""
    holder = tenant_factory(space.building)
    outcome = ask(holder, space=space, today=today)
    assert outcome.granted
    return outcome.reservation


def decision(run, reservation) -> AllocationDecision:
    return run.decisions.get(reservation=reservation)


@pytest.fixture
def building(resources):
    return resources.building


def test_a_free_space_with_nobody_waiting_is_offered_at_once_BKG_4(resources, tenant_factory):
    tenant = tenant_factory(resources.building)

    outcome = ask(tenant, space=resources.space)

    reservation = outcome.reservation
    assert outcome.granted
    assert (reservation.status, reservation.starts_on) == (Reservation.Status.OFFERED, DECEMBER)
    assert reservation.items.get().held_from == DECEMBER
    assert reservation.decisions.get().outcome == Outcome.GRANTED_FREE


def test_nothing_is_assigned_while_a_queue_exists_until_staff_allocate_BKG_4(resources, tenant_factory):
    holding = holder_of(resources.space, tenant_factory)
    first, second = tenant_factory(resources.building), tenant_factory(resources.building)
    queued_first = ask(first, space=resources.space).reservation
    # Customer service ends the holder's reservation: the space is free, but a queue exists.
    reservation_set_status(reservation=holding, status=Reservation.Status.CANCELLED)

    queued_second = ask(second, space=resources.space)

    assert not queued_second.granted
    assert queued_second.reservation.status == Reservation.Status.REQUESTED
    queued_first.refresh_from_db()
    assert queued_first.status == Reservation.Status.REQUESTED
    assert not ReservationItem.objects.filter(parking_space=resources.space, held_from__isnull=False).exists()

    run = allocation_run(parking_spaces=[resources.space.pk], today=TODAY)

    queued_first.refresh_from_db()
    assert queued_first.status == Reservation.Status.OFFERED
    assert decision(run, queued_second.reservation).outcome == Outcome.EARLIER_REQUEST_GRANTED


def test_queue_is_served_in_order_of_request_time_BKG_4(resources, tenant_factory):
    holding = holder_of(resources.space, tenant_factory)
    tenants = [tenant_factory(resources.building) for _ in range(3)]
    requests = [ask(tenant, space=resources.space).reservation for tenant in tenants]
    reservation_set_status(reservation=holding, status=Reservation.Status.CANCELLED)

    run = allocation_run(parking_spaces=[resources.space.pk], today=TODAY)

    decisions = [decision(run, request) for request in requests]
    assert [d.position for d in decisions] == [1, 2, 3]
    assert [d.outcome for d in decisions] == [Outcome.GRANTED_FIRST_IN_QUEUE, *[Outcome.EARLIER_REQUEST_GRANTED] * 2]
    assert all(d.blocked_by_id == requests[0].pk for d in decisions[1:])
    assert (run.considered, run.granted) == (3, 1)


def test_queue_order_follows_the_request_time_not_the_id_BKG_4(resources, tenant_factory):
    holding = holder_of(resources.space, tenant_factory)
    later, earlier = (ask(tenant_factory(resources.building), space=resources.space).reservation for _ in range(2))
    Reservation.objects.filter(pk=earlier.pk).update(created_at=later.created_at.replace(year=2025))
    reservation_set_status(reservation=holding, status=Reservation.Status.CANCELLED)

    run = allocation_run(parking_spaces=[resources.space.pk], today=TODAY)

    assert decision(run, earlier).outcome == Outcome.GRANTED_FIRST_IN_QUEUE
    assert decision(run, later).position == 2


def test_resident_without_a_parking_space_goes_first_BKG_4(resources, tenant_factory):
    holding = holder_of(resources.space, tenant_factory)
    has_space = tenant_factory(resources.building)
    assert ask(has_space, space=resources.ev_space).granted
    no_space = tenant_factory(resources.building)
    asked_first = ask(has_space, space=resources.space).reservation
    asked_later = ask(no_space, space=resources.space).reservation
    reservation_set_status(reservation=holding, status=Reservation.Status.CANCELLED)

    run = allocation_run(parking_spaces=[resources.space.pk], today=TODAY)

    winner, other = decision(run, asked_later), decision(run, asked_first)
    assert (winner.outcome, winner.position, winner.had_parking_space) == (Outcome.GRANTED_FIRST_IN_QUEUE, 1, False)
    assert (other.outcome, other.position, other.had_parking_space) == (Outcome.EARLIER_REQUEST_GRANTED, 2, True)


def test_a_space_granted_in_the_same_run_counts_as_having_one_BKG_4(building, tenant_factory):
    spaces = [ParkingSpaceFactory.create(building=building) for _ in range(2)]
    holders = [holder_of(space, tenant_factory) for space in spaces]
    greedy, patient = tenant_factory(building), tenant_factory(building)
    greedy_first = ask(greedy, space=spaces[0]).reservation
    greedy_second = ask(greedy, space=spaces[1]).reservation
    patient_second = ask(patient, space=spaces[1]).reservation
    for holding in holders:
        reservation_set_status(reservation=holding, status=Reservation.Status.CANCELLED)

    run = allocation_run(parking_spaces=[space.pk for space in spaces], today=TODAY)

    assert decision(run, greedy_first).outcome == Outcome.GRANTED_FIRST_IN_QUEUE
    assert decision(run, patient_second).outcome == Outcome.GRANTED_FIRST_IN_QUEUE
    assert decision(run, greedy_second).outcome == Outcome.EARLIER_REQUEST_GRANTED


def test_sauna_queue_has_no_parking_priority_BKG_4(resources, tenant_factory):
    slot = resources.slots[0]
    holder = tenant_factory(resources.building)
    holding = ask(holder, slots=[slot]).reservation
    with_parking = tenant_factory(resources.building)
    assert ask(with_parking, space=resources.ev_space).granted
    first = ask(with_parking, slots=[slot]).reservation
    second = ask(tenant_factory(resources.building), slots=[slot]).reservation
    reservation_set_status(reservation=holding, status=Reservation.Status.CANCELLED)

    run = allocation_run(sauna_slots=[slot.pk], today=TODAY)

    assert decision(run, first).outcome == Outcome.GRANTED_FIRST_IN_QUEUE
    assert decision(run, second).outcome == Outcome.EARLIER_REQUEST_GRANTED


def test_a_terminated_space_is_granted_from_the_day_after_it_ends_BKG_4_BKG_8(resources, tenant_factory):
    holding = holder_of(resources.space, tenant_factory)
    reservation_terminate(reservation=holding, acting_person=holding.requested_by, notice_date=date(2026, 12, 10))
    waiting = ask(tenant_factory(resources.building), space=resources.space).reservation
    assert waiting.status == Reservation.Status.REQUESTED, "reserved until 31 January: the request joins the queue"

    run = allocation_run(parking_spaces=[resources.space.pk], today=TODAY)

    waiting.refresh_from_db()
    assert (waiting.status, waiting.starts_on) == (Reservation.Status.OFFERED, date(2027, 2, 1))
    assert decision(run, waiting).starts_on == date(2027, 2, 1)


def test_a_space_reserved_with_no_end_is_not_granted_and_the_reason_is_written_BKG_4(resources, tenant_factory):
    holding = holder_of(resources.space, tenant_factory)
    waiting = ask(tenant_factory(resources.building), space=resources.space).reservation

    run = allocation_run(parking_spaces=[resources.space.pk], today=TODAY)

    written = decision(run, waiting)
    assert (written.outcome, written.blocked_by_id) == (Outcome.RESERVED, holding.pk)
    with translation.override("en"):
        assert "reserved by another reservation" in str(written.get_outcome_display())


def test_allocation_is_deterministic_and_running_it_again_changes_nothing_BKG_4(building, tenant_factory):
    spaces = [ParkingSpaceFactory.create(building=building) for _ in range(3)]
    holders = [holder_of(space, tenant_factory) for space in spaces]
    tenants = [tenant_factory(building) for _ in range(5)]
    for index, tenant in enumerate(tenants):
        ask(tenant, space=spaces[index % 3])
        ask(tenant, space=spaces[(index + 1) % 3])
    for holding in holders:
        reservation_set_status(reservation=holding, status=Reservation.Status.CANCELLED)
    ids = [space.pk for space in spaces]

    first = allocation_run(parking_spaces=ids, today=TODAY)
    again = allocation_run(parking_spaces=ids, today=TODAY)

    granted = set(
        first.decisions.filter(outcome=Outcome.GRANTED_FIRST_IN_QUEUE).values_list("reservation__tenant", "parking_space")
    )
    # Space 0: the first tenant asked first. Space 1: the first tenant now has a space, so the second
    # goes first. Space 2: the second has one now, so the third.
    assert granted == {(tenants[n].person.pk, spaces[n].pk) for n in range(3)}
    assert again.granted == 0


@pytest.mark.parametrize(
    ("today", "earliest"),
    [
        (date(2026, 11, 1), date(2026, 12, 1)),
        (date(2026, 11, 30), date(2026, 12, 1)),
        (date(2026, 12, 15), date(2027, 1, 1)),
        (date(2026, 12, 31), date(2027, 1, 1)),
        (date(2027, 1, 31), date(2027, 2, 1)),
        (date(2028, 2, 29), date(2028, 3, 1)),
    ],
)
def test_reservation_starts_on_the_first_day_of_the_following_month_at_the_earliest_BKG_3(today, earliest):
    assert earliest_start(today) == earliest
    choices = start_choices(today)
    assert choices[0] == earliest
    assert all(day.day == 1 for day in choices)
    assert len(set(choices)) == len(choices) == 12


def test_an_earlier_start_is_refused_BKG_3(resources, tenant_factory):
    tenant = tenant_factory(resources.building)
    with pytest.raises(BookingError):
        ask(tenant, space=resources.space, start=date(2026, 11, 26))
    assert not Reservation.objects.exists()


def test_an_old_queued_request_starts_next_month_when_granted_BKG_3(resources, tenant_factory):
    holding = holder_of(resources.space, tenant_factory, today=date(2026, 3, 10))
    waiting = ask(tenant_factory(resources.building), space=resources.space, start=date(2026, 4, 1), today=date(2026, 3, 10))
    reservation_set_status(reservation=holding, status=Reservation.Status.CANCELLED)

    allocation_run(parking_spaces=[resources.space.pk], today=TODAY)

    waiting.reservation.refresh_from_db()
    assert waiting.reservation.starts_on == DECEMBER


def test_several_consecutive_sauna_slots_are_granted_together_BKG_2(resources, tenant_factory):
    outcome = ask(tenant_factory(resources.building), slots=resources.slots[:2])

    assert outcome.granted
    assert sorted(outcome.reservation.items.values_list("sauna_slot", flat=True)) == [s.pk for s in resources.slots[:2]]
    assert all(item.held_from == DECEMBER for item in outcome.reservation.items.all())


def test_sauna_slots_that_do_not_follow_each_other_are_refused_BKG_2(resources, tenant_factory):
    tenant = tenant_factory(resources.building)
    with pytest.raises(BookingError):
        ask(tenant, slots=[resources.slots[0], resources.slots[2]])
    with pytest.raises(BookingError):
        ask(tenant, slots=[resources.slots[2], resources.other_day_slot])
    other_sauna = SaunaSlotFactory(building=resources.building, sauna="B sauna", weekday=1, starts_at=time(19))
    with pytest.raises(BookingError):
        ask(tenant, slots=[resources.slots[0], other_sauna])


def test_a_request_for_two_slots_waits_while_one_of_them_is_reserved_BKG_2_BKG_4(resources, tenant_factory):
    holding = ask(tenant_factory(resources.building), slots=[resources.slots[1]]).reservation
    both = ask(tenant_factory(resources.building), slots=resources.slots[:2]).reservation
    assert both.status == Reservation.Status.REQUESTED

    run = allocation_run(sauna_slots=[resources.slots[0].pk], today=TODAY)

    written = decision(run, both)
    assert (written.outcome, written.blocked_by_id) == (Outcome.OTHER_SLOT_RESERVED, holding.pk)
    assert not ReservationItem.objects.filter(sauna_slot=resources.slots[0], held_from__isnull=False).exists()


def test_only_the_own_buildings_resources_may_be_requested_BKG_1(resources, tenant_factory):
    with pytest.raises(BookingError):
        ask(tenant_factory(resources.building), space=resources.foreign_space)


def test_a_reserved_space_is_never_granted_twice_BKG_5(resources, tenant_factory):
    holder_of(resources.space, tenant_factory)

    second = ask(tenant_factory(resources.building), space=resources.space)

    assert not second.granted
    assert ReservationItem.objects.filter(parking_space=resources.space, held_from__isnull=False).count() == 1


@pytest.mark.parametrize(
    ("notice_date", "ends_on"),
    [
        (date(2026, 11, 1), date(2026, 12, 31)),
        (date(2026, 11, 15), date(2026, 12, 31)),
        (date(2026, 11, 30), date(2026, 12, 31)),
        (date(2026, 12, 1), date(2027, 1, 31)),
        (date(2026, 12, 15), date(2027, 1, 31)),
        (date(2026, 12, 31), date(2027, 1, 31)),
        (date(2027, 1, 1), date(2027, 2, 28)),
        (date(2027, 1, 15), date(2027, 2, 28)),
        (date(2027, 1, 31), date(2027, 2, 28)),
        (date(2027, 2, 1), date(2027, 3, 31)),
        (date(2027, 2, 15), date(2027, 3, 31)),
        (date(2027, 2, 28), date(2027, 3, 31)),
        (date(2028, 1, 15), date(2028, 2, 29)),
        (date(2028, 2, 29), date(2028, 3, 31)),
    ],
)
def test_termination_ends_on_the_last_day_of_the_month_after_the_notice_BKG_8(resources, notice_date, ends_on):
    reservation = ReservationFactory.create(
        agreement=resources.agreement,
        requested_by=resources.main_tenant,
        status=Reservation.Status.ACTIVE,
        starts_on=date(2025, 1, 1),
        resource=resources.space,
        resource__held_from=date(2025, 1, 1),
    )

    assert reservation_terminate(reservation=reservation, acting_person=resources.main_tenant, notice_date=notice_date)

    reservation.refresh_from_db()
    assert (reservation.status, reservation.ends_on, reservation.notice_date) == ("terminated", ends_on, notice_date)
    assert reservation.items.get().held_until == ends_on
