"""The allocation (BKG-4): queued requests granted in queue order, every decision explained.

It reads and writes in bulk, so that one run over thousands of requests takes seconds
(bench/bookings_allocation.py).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import User

from ..dates import earliest_start
from ..models import AllocationDecision, AllocationRun, ParkingSpace, Reservation, ReservationItem, ResourceKind, SaunaSlot
from .holds import Hold, Key, free_from, holds_on, lock_resources, resource_q, row_key
from .reservations import reservation_notify

BATCH_SIZE = 1000
# Rows per INSERT of decisions: ten parameters each, under SQLite's limit of 32,766.
INSERT_BATCH = 500
# A run over more resources than this is described by counts only.
DESCRIBED_RESOURCES = 10


@dataclass
class _Queued:
    """A queued request as the allocation sees it: plain values, no model instances."""

    pk: int
    kind: str
    tenant_id: int
    wanted_start: date
    created_at: datetime
    keys: list[Key]
    item_ids: list[int]
    starts_on: date | None = None


def allocation_run(
    *,
    parking_spaces: Iterable[int] = (),
    sauna_slots: Iterable[int] = (),
    run_by: User | None = None,
    today: date | None = None,
) -> AllocationRun:
    """Grant the queued requests of the given resources (ids), in queue order (BKG-4).

    Deterministic: resources are taken in primary-key order, parking spaces first; each queue is
    ordered by the time of request, and for parking a tenant who holds no parking space goes
    before one who does (a space granted earlier in the same run counts). A request is granted
    from its wanted start, the first day of the following month, or the day after the last hold
    of its resources ends, whichever is latest; it is not granted while a hold with no end keeps
    one of them. Every request considered gets a decision saying why.
    """
    day = today or timezone.localdate()
    targets: list[Key] = sorted(
        [(ResourceKind.PARKING, pk) for pk in set(parking_spaces)] + [(ResourceKind.SAUNA, pk) for pk in set(sauna_slots)]
    )
    with transaction.atomic():
        return _allocate(targets, run_by=run_by, day=day)


def _asking(keys: Iterable[Key]) -> QuerySet:
    """The ids of the queued reservations that ask for one of `keys`, as a subquery."""
    return ReservationItem.objects.filter(resource_q(keys), reservation__status=Reservation.Status.REQUESTED).values(
        "reservation_id"
    )


def _allocate(targets: list[Key], *, run_by: User | None, day: date) -> AllocationRun:
    earliest = earliest_start(day)
    asking = _asking(targets)
    queued, locked = _lock_and_read_queue(targets, asking)
    holds = holds_on(locked, on_or_after=earliest)
    tenants_with_parking = _tenants_with_parking(asking, day)

    now = timezone.now()
    run = AllocationRun.objects.create(run_by=run_by, started_at=now, resources=_describe(targets))
    decisions, granted = _decide(targets, queued, holds, tenants_with_parking, earliest=earliest)
    _write_grants(granted, now)
    _insert_decisions(run, decisions, now)
    # NTF-2: each resident whose request was granted is told, as by any other change of status.
    for reservation in Reservation.objects.filter(pk__in=[entry.pk for entry in granted]).select_related("requested_by"):
        reservation_notify(reservation)
    run.considered = len({decision.reservation_id for decision in decisions})
    run.granted = len(granted)
    run.save(update_fields=["considered", "granted"])
    return run


def _lock_and_read_queue(targets: list[Key], asking: QuerySet) -> tuple[dict[int, _Queued], set[Key]]:
    """Lock every resource the queued requests ask for, then read the queue again under the lock:
    a request added or granted meanwhile is seen as it is now (BKG-5)."""
    wanted = ReservationItem.objects.filter(reservation_id__in=asking).values_list("parking_space_id", "sauna_slot_id")
    locked = {*targets, *(row_key(space, slot) for space, slot in wanted.distinct())}
    lock_resources(locked)
    queued: dict[int, _Queued] = {
        pk: _Queued(pk, kind, tenant_id, wanted_start, created_at, [], [])
        for pk, kind, tenant_id, wanted_start, created_at in Reservation.objects.select_for_update(of=("self",))
        .filter(pk__in=asking, status=Reservation.Status.REQUESTED)
        .values_list("pk", "kind", "tenant_id", "wanted_start", "created_at")
    }
    items = ReservationItem.objects.filter(reservation_id__in=asking).values_list(
        "pk", "reservation_id", "parking_space_id", "sauna_slot_id"
    )
    for item_id, reservation_id, space_id, slot_id in items:
        if reservation_id in queued:
            queued[reservation_id].keys.append(row_key(space_id, slot_id))
            queued[reservation_id].item_ids.append(item_id)
    # A request asking also for a slot that was added to it after the lock is left for the next run.
    return {pk: entry for pk, entry in queued.items() if set(entry.keys) <= locked}, locked


def _tenants_with_parking(asking: QuerySet, day: date) -> set[int]:
    """The queued requests' tenants who hold a parking space on `day` (they queue after the others)."""
    return set(
        ReservationItem.objects.filter(
            parking_space__isnull=False,
            held_from__isnull=False,
            reservation__tenant_id__in=Reservation.objects.filter(pk__in=asking).values("tenant_id"),
        )
        .filter(Q(held_until__isnull=True) | Q(held_until__gte=day))
        .values_list("reservation__tenant_id", flat=True)
    )


def _decide(
    targets: list[Key],
    queued: dict[int, _Queued],
    holds: dict[Key, list[Hold]],
    tenants_with_parking: set[int],
    *,
    earliest: date,
) -> tuple[list["_Decision"], list[_Queued]]:
    """Every queued request of each target in queue order, granted or told why not; pure, no queries.

    `holds` and `tenants_with_parking` grow with each grant, so a later request sees the earlier ones."""
    granted: list[_Queued] = []
    granted_ids: set[int] = set()
    decisions: list[_Decision] = []
    asking: dict[Key, list[_Queued]] = {}
    for entry in queued.values():
        for key in entry.keys:
            asking.setdefault(key, []).append(entry)
    for target in targets:
        waiting = [entry for entry in asking.get(target, []) if entry.starts_on is None]
        if target[0] == ResourceKind.PARKING:
            waiting.sort(key=lambda e: (e.tenant_id in tenants_with_parking, e.created_at, e.pk))
        else:
            waiting.sort(key=lambda e: (e.created_at, e.pk))
        for position, entry in enumerate(waiting, start=1):
            decision = _Decision(
                reservation_id=entry.pk,
                parking_space_id=target[1] if target[0] == ResourceKind.PARKING else None,
                sauna_slot_id=target[1] if target[0] == ResourceKind.SAUNA else None,
                position=position,
                had_parking_space=entry.tenant_id in tenants_with_parking,
            )
            decisions.append(decision)
            start = max(entry.wanted_start, earliest)
            blocked: tuple[Key, Hold] | None = None
            for key in entry.keys:
                free, blocking = free_from(holds.get(key, []), start)
                if blocking is not None:  # held with no end
                    blocked = (key, blocking)
                    break
                if free is not None:
                    start = max(start, free)
            if blocked is not None:
                key, blocking = blocked
                decision.blocked_by_id = blocking.reservation_id
                if blocking.reservation_id in granted_ids:
                    decision.outcome = AllocationDecision.Outcome.EARLIER_REQUEST_GRANTED
                elif key == target:
                    decision.outcome = AllocationDecision.Outcome.RESERVED
                else:
                    decision.outcome = AllocationDecision.Outcome.OTHER_SLOT_RESERVED
                continue
            decision.outcome = AllocationDecision.Outcome.GRANTED_FIRST_IN_QUEUE
            decision.starts_on = entry.starts_on = start
            granted.append(entry)
            granted_ids.add(entry.pk)
            for key in entry.keys:
                holds.setdefault(key, []).append(Hold(entry.pk, start, None))
            if entry.kind == ResourceKind.PARKING:
                tenants_with_parking.add(entry.tenant_id)
    return decisions, granted


def _write_grants(granted: list[_Queued], now: datetime) -> None:
    """One UPDATE per start date rather than one per row: a run may grant thousands of requests."""
    by_start: dict[date, list[_Queued]] = {}
    for entry in granted:
        if entry.starts_on is not None:  # always set when granted
            by_start.setdefault(entry.starts_on, []).append(entry)
    for start, entries in sorted(by_start.items()):
        for chunk in range(0, len(entries), BATCH_SIZE):
            batch = entries[chunk : chunk + BATCH_SIZE]
            Reservation.objects.filter(pk__in=[entry.pk for entry in batch]).update(
                status=Reservation.Status.OFFERED, starts_on=start, status_changed_at=now
            )
            ReservationItem.objects.filter(pk__in=[pk for entry in batch for pk in entry.item_ids]).update(held_from=start)


@dataclass
class _Decision:
    reservation_id: int
    parking_space_id: int | None
    sauna_slot_id: int | None
    position: int
    had_parking_space: bool
    outcome: str = ""
    starts_on: date | None = None
    blocked_by_id: int | None = None


DECISION_COLUMNS = [
    "run_id",
    "reservation_id",
    "parking_space_id",
    "sauna_slot_id",
    "position",
    "had_parking_space",
    "outcome",
    "starts_on",
    "blocked_by_id",
    "decided_at",
]


def _insert_decisions(run: AllocationRun, decisions: list[_Decision], now: datetime) -> None:
    """Write the decisions with one prepared INSERT: a run over thousands of requests would spend
    most of its time building model instances otherwise."""
    if not decisions:
        return
    connection = connections[AllocationDecision.objects.db]
    table = connection.ops.quote_name(AllocationDecision._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in DECISION_COLUMNS)
    placeholders = ", ".join(["%s"] * len(DECISION_COLUMNS))
    decided_at = AllocationDecision._meta.get_field("decided_at").get_db_prep_value(now, connection)
    starts = {}
    rows = []
    for d in decisions:
        if d.starts_on is not None and d.starts_on not in starts:
            starts[d.starts_on] = connection.ops.adapt_datefield_value(d.starts_on)
        rows.append(
            (
                run.pk,
                d.reservation_id,
                d.parking_space_id,
                d.sauna_slot_id,
                d.position,
                d.had_parking_space,
                d.outcome,
                starts.get(d.starts_on) if d.starts_on is not None else None,
                d.blocked_by_id,
                decided_at,
            )
        )
    with connection.cursor() as cursor:
        for chunk in range(0, len(rows), INSERT_BATCH):
            batch = rows[chunk : chunk + INSERT_BATCH]
            values = ", ".join([f"({placeholders})"] * len(batch))
            # Table and column names come from the model; every value goes as a parameter.
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values}",  # noqa: S608  # nosec B608
                [value for row in batch for value in row],
            )


def _describe(targets: list[Key]) -> str:
    """The resources of a run for the staff list: names when few, counts when many."""
    spaces = [pk for kind, pk in targets if kind == ResourceKind.PARKING]
    slots = [pk for kind, pk in targets if kind == ResourceKind.SAUNA]
    with translation.override(settings.LANGUAGE_CODE):
        if len(targets) > DESCRIBED_RESOURCES:
            return gettext("%(spaces)d parking spaces, %(slots)d sauna slots") % {"spaces": len(spaces), "slots": len(slots)}
        names = [str(space) for space in ParkingSpace.objects.filter(pk__in=spaces).select_related("building")]
        names += [str(slot) for slot in SaunaSlot.objects.filter(pk__in=slots).select_related("building")]
    return "; ".join(names)
