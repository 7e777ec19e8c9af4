"""Which resource is held by which reservation on which days (BKG-5), and the row locks that keep
two writers from granting the same one."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q

from ..models import ParkingSpace, ReservationItem, ResourceKind, SaunaSlot

Resource = ParkingSpace | SaunaSlot
# A resource as a hashable key: ("parking", pk) or ("sauna", pk).
Key = tuple[str, int]


class BookingError(ValueError):
    """A request that breaks a booking rule; the forms check the same rules first."""


class DuplicateRequest(BookingError):
    """The tenant already has an open request or reservation for one of these resources."""

    def __init__(self, reservation_id: int) -> None:
        super().__init__("The tenant already has an open request or reservation for this space or slot.")
        self.reservation_id = reservation_id


def resource_key(resource: Resource) -> Key:
    return (ResourceKind.PARKING if isinstance(resource, ParkingSpace) else ResourceKind.SAUNA, resource.pk)


def row_key(space_id: int | None, slot_id: int | None) -> Key:
    if space_id is not None:
        return (ResourceKind.PARKING, space_id)
    if slot_id is not None:
        return (ResourceKind.SAUNA, slot_id)
    raise ValueError("A reservation item names a parking space or a sauna slot.")


def item_key(item: ReservationItem) -> Key:
    return row_key(item.parking_space_id, item.sauna_slot_id)


def lock_resources(keys: Iterable[Key]) -> None:
    """Lock the resource rows, always in the same order: parking spaces, then sauna slots, each by
    primary key, so that two writers cannot wait for each other. FOR NO KEY UPDATE still lets rows
    that merely refer to the resource be written; SQLite, which locks the whole database, ignores it."""
    keys = set(keys)
    for kind, model in ((ResourceKind.PARKING, ParkingSpace), (ResourceKind.SAUNA, SaunaSlot)):
        pks = sorted(pk for key_kind, pk in keys if key_kind == kind)
        if pks:
            list(model.objects.select_for_update(no_key=True).filter(pk__in=pks).order_by("pk").values_list("pk", flat=True))


def resource_q(keys: Iterable[Key]) -> Q:
    """Reservation items of any of the resources."""
    keys = list(keys)
    spaces = [pk for kind, pk in keys if kind == ResourceKind.PARKING]
    slots = [pk for kind, pk in keys if kind == ResourceKind.SAUNA]
    return Q(parking_space_id__in=spaces) | Q(sauna_slot_id__in=slots)


@dataclass
class Hold:
    reservation_id: int
    held_from: date
    held_until: date | None


def holds_on(keys: Iterable[Key], *, on_or_after: date) -> dict[Key, list[Hold]]:
    """Every hold on the resources that has not ended before `on_or_after`."""
    holds: dict[Key, list[Hold]] = {}
    items = (
        ReservationItem.objects.filter(resource_q(keys), held_from__isnull=False)
        .filter(Q(held_until__isnull=True) | Q(held_until__gte=on_or_after))
        .only("reservation_id", "parking_space_id", "sauna_slot_id", "held_from", "held_until")
    )
    for item in items:
        if item.held_from is not None:  # as the query asks
            holds.setdefault(item_key(item), []).append(Hold(item.reservation_id, item.held_from, item.held_until))
    return holds


def free_from(holds: list[Hold], start: date) -> tuple[date | None, Hold | None]:
    """The first day on or after `start` from which the resource is free for good, or None and the
    hold with no end that keeps it. Reservations have no end date, so a gap between holds is no use."""
    ends: list[date] = []
    for hold in holds:
        if hold.held_until is None:
            return None, hold
        ends.append(hold.held_until)
    later_ends = [end for end in ends if end >= start]
    if not later_ends:
        return start, None
    return max(later_ends) + timedelta(days=1), None
