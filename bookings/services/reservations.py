"""Residents' booking requests (BKG-1..BKG-3), staff moves between states (BKG-6) and the
termination (BKG-8)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation

from heka_portal.http import site_url
from heka_portal.outbox import email_enqueue
from notifications.kinds import Kind as NotificationKind
from notifications.references import reference_for
from notifications.services import About, notify
from tenancy.models import Building, Person, RentalAgreement
from tenancy.services import CUSTOMER_SERVICE_LANGUAGE, _day

from ..dates import earliest_start, termination_end_date
from ..models import AllocationDecision, ParkingSpace, Reservation, ReservationItem, ResourceKind, SaunaSlot
from .holds import (
    BookingError,
    DuplicateRequest,
    Resource,
    free_from,
    holds_on,
    item_key,
    lock_resources,
    resource_key,
    resource_q,
)


@dataclass(frozen=True)
class RequestOutcome:
    reservation: Reservation
    granted: bool


def _check_resources(
    *, building: Building, kind: str, parking_space: ParkingSpace | None, sauna_slots: Sequence[SaunaSlot]
) -> None:
    if kind == ResourceKind.PARKING:
        if parking_space is None or sauna_slots:
            raise BookingError("A parking request asks for exactly one parking space.")
        resources: list[Resource] = [parking_space]
    else:
        if parking_space is not None or not sauna_slots:
            raise BookingError("A sauna request asks for one or more sauna slots.")
        resources = list(sauna_slots)
        ordered = sorted(sauna_slots, key=lambda slot: (slot.weekday, slot.starts_at))
        if any(not earlier.is_followed_by(later) for earlier, later in pairwise(ordered)):
            raise BookingError("Several sauna slots must follow each other in the same sauna on the same day.")
    if any(resource.building_id != building.pk or not resource.is_bookable for resource in resources):
        raise BookingError("Only the bookable resources of the tenant's own building may be requested.")


def reservation_request(
    *,
    agreement: RentalAgreement,
    requested_by: Person,
    tenant: Person,
    kind: str,
    wanted_start: date,
    parking_space: ParkingSpace | None = None,
    sauna_slots: Sequence[SaunaSlot] = (),
    electric_car: bool = False,
    disability_permit: bool = False,
    flexible: bool = False,
    message: str = "",
    today: date | None = None,
) -> RequestOutcome:
    """Create a booking request for customer service (BKG-1, BKG-2, BKG-3).

    A resource that is free from the wanted start, with nobody waiting for it, is offered at once.
    Where a queue exists the request joins it and nothing is assigned until staff run the
    allocation (BKG-4). The caller has checked that `requested_by` is a main tenant of `agreement`.
    A second open request of the tenant for the same space or slot raises DuplicateRequest and
    creates nothing (also refused by the database, `reservation_item_*_once_per_tenant`).
    """
    day = today or timezone.localdate()
    if wanted_start < earliest_start(day):
        raise BookingError("A reservation starts on the first day of the following month at the earliest.")
    building = agreement.apartment.building
    _check_resources(building=building, kind=kind, parking_space=parking_space, sauna_slots=sauna_slots)
    fields = {
        "kind": kind,
        "agreement": agreement,
        "building": building,
        "requested_by": requested_by,
        "tenant": tenant,
        "wanted_start": wanted_start,
        "electric_car": electric_car,
        "disability_permit": disability_permit,
        "flexible": flexible,
        "message": message.strip(),
    }
    resources = [parking_space] if parking_space is not None else list(sauna_slots)
    try:
        return _request(fields, resources, may_grant=True)
    except IntegrityError:
        # The database constraint saw a hold the Python check did not: stay in the queue instead.
        return _request(fields, resources, may_grant=False)


@transaction.atomic
def _request(fields: dict, resources: Sequence[Resource], *, may_grant: bool) -> RequestOutcome:
    keys = [resource_key(resource) for resource in resources]
    lock_resources(keys)
    # Under the resource locks, so that two identical requests sent at once are told apart here.
    earlier = ReservationItem.objects.filter(resource_q(keys), open_tenant=fields["tenant"]).values_list(
        "reservation_id", flat=True
    )
    if earlier_id := earlier.first():
        raise DuplicateRequest(earlier_id)
    start = fields["wanted_start"]
    queue_exists = ReservationItem.objects.filter(resource_q(keys), reservation__status=Reservation.Status.REQUESTED).exists()
    holds = holds_on(keys, on_or_after=start)
    is_free = all(free_from(holds.get(key, []), start)[0] == start for key in keys)
    granted = may_grant and is_free and not queue_exists
    now = timezone.now()
    reservation = Reservation.objects.create(
        **fields,
        status=Reservation.Status.OFFERED if granted else Reservation.Status.REQUESTED,
        starts_on=start if granted else None,
        created_at=now,
        status_changed_at=now,
    )
    ReservationItem.objects.bulk_create(
        [
            ReservationItem(
                reservation=reservation,
                parking_space=resource if isinstance(resource, ParkingSpace) else None,
                sauna_slot=resource if isinstance(resource, SaunaSlot) else None,
                held_from=start if granted else None,
                open_tenant=fields["tenant"],
            )
            for resource in resources
        ]
    )
    first = resources[0]
    AllocationDecision.objects.create(
        reservation=reservation,
        parking_space=first if isinstance(first, ParkingSpace) else None,
        sauna_slot=first if isinstance(first, SaunaSlot) else None,
        outcome=AllocationDecision.Outcome.GRANTED_FREE if granted else AllocationDecision.Outcome.QUEUED,
        starts_on=start if granted else None,
        decided_at=now,
    )
    reservation_notify(reservation, kind=NotificationKind.RECEIPT, key="received")
    if granted:
        reservation_notify(reservation)
    return RequestOutcome(reservation, granted)


def reservation_notify(reservation: Reservation, *, kind: str = NotificationKind.BOOKING_STATUS, key: str = "") -> None:
    """Tell the main tenant who made the request about it (NTF-1, NTF-2); BKG-7: only they see it."""
    params = {"item": reservation.kind, "statuses": "booking", "status": reservation.status}
    for field in ("starts_on", "ends_on"):
        if value := getattr(reservation, field):
            params[field] = value.isoformat()
    notify(
        recipient=reservation.requested_by,
        kind=kind,
        about=About.of(reservation, reference=reference_for(reservation), url_name="bookings:detail", url_args=[reservation.pk]),
        params=params,
        key=f"bookings-{reservation.pk}-{key or reservation.status}",
    )


# Moves staff make in the admin (BKG-6): to-state → the states it may come from.
STAFF_TRANSITIONS: dict[str, tuple[str, ...]] = {
    Reservation.Status.AGREEMENT_SENT: (Reservation.Status.OFFERED,),
    Reservation.Status.ACTIVE: (Reservation.Status.AGREEMENT_SENT,),
    Reservation.Status.CANCELLED: (
        Reservation.Status.REQUESTED,
        Reservation.Status.OFFERED,
        Reservation.Status.AGREEMENT_SENT,
    ),
}


@transaction.atomic
def reservation_set_status(*, reservation: Reservation, status: str) -> bool:
    """Move a reservation to `status` if the move is allowed from its current state (BKG-6).

    Idempotent: returns True only when this call changed it. Cancelling frees what it held."""
    allowed_from = STAFF_TRANSITIONS.get(status)
    if allowed_from is None:
        raise BookingError(f"Staff cannot move a reservation to {status}.")
    changed = Reservation.objects.filter(pk=reservation.pk, status__in=allowed_from).update(
        status=status, status_changed_at=timezone.now()
    )
    if changed and status == Reservation.Status.CANCELLED:
        ReservationItem.objects.filter(reservation=reservation).update(held_from=None, held_until=None, open_tenant=None)
    if changed:
        reservation.refresh_from_db(fields=["status", "status_changed_at"])
        reservation_notify(reservation)
    return bool(changed)


@transaction.atomic
def reservation_withdraw(*, reservation: Reservation, today: date) -> bool:
    """The resident takes a request out of the queue, or declines an offer that has not started
    and whose agreement is not signed (BKG-6): it is withdrawn and frees what it held, so that the
    next in the queue may get it. Staff see it as "Withdrawn by the resident". A reservation that
    has started, or whose agreement is signed, is terminated with notice instead (BKG-8).

    Idempotent: returns True only when this call changed it.
    """
    # The resource locks order this after an allocation run that may be granting the same request.
    lock_resources(item_key(item) for item in ReservationItem.objects.filter(reservation_id=reservation.pk))
    withdrawable = Q(status=Reservation.Status.REQUESTED) | (
        Q(status__in=Reservation.DECLINABLE) & (Q(starts_on__isnull=True) | Q(starts_on__gt=today))
    )
    changed = Reservation.objects.filter(withdrawable, pk=reservation.pk).update(
        status=Reservation.Status.WITHDRAWN, status_changed_at=timezone.now()
    )
    if changed:
        ReservationItem.objects.filter(reservation_id=reservation.pk).update(held_from=None, held_until=None, open_tenant=None)
        reservation.refresh_from_db(fields=["status", "status_changed_at"])
        reservation_notify(reservation)
    return bool(changed)


@transaction.atomic
def reservation_terminate(*, reservation: Reservation, acting_person: Person, notice_date: date, message: str = "") -> bool:
    """Terminate a reservation with one calendar month's notice (BKG-8, as TEN-6) and tell
    customer service, who contact the resident.

    The reservation ends on the last day of the month after the month of notice; one that would
    end before it starts is cancelled instead. Idempotent: returns False when it was no longer
    running (terminated or cancelled already), and nothing is sent again.
    """
    locked = Reservation.objects.select_for_update().filter(pk=reservation.pk, status__in=Reservation.HOLDING).first()
    if locked is None:
        return False
    ends_on = termination_end_date(notice_date)
    now = timezone.now()
    locked.notice_date = notice_date
    locked.status_changed_at = now
    if locked.starts_on is not None and ends_on < locked.starts_on:
        locked.status = Reservation.Status.CANCELLED
        ReservationItem.objects.filter(reservation=locked).update(held_from=None, held_until=None, open_tenant=None)
    else:
        locked.status = Reservation.Status.TERMINATED
        locked.ends_on = ends_on
        ReservationItem.objects.filter(reservation=locked).update(held_until=ends_on, open_tenant=None)
    locked.save(update_fields=["status", "ends_on", "notice_date", "status_changed_at"])
    items = list(locked.items.select_related("parking_space__building", "sauna_slot__building"))
    with translation.override(CUSTOMER_SERVICE_LANGUAGE):
        resources = [str(item.resource) for item in items]
    apartment = locked.agreement.apartment
    email_enqueue(
        to=settings.HEKA_CUSTOMER_SERVICE_EMAIL,
        template="bookings_termination_notice",
        context={
            "reservation_id": locked.pk,
            "kind": locked.kind,
            "resources": resources,
            "agreement_number": locked.agreement.number,
            "address": apartment.address,
            "region": str(apartment.building.region),
            "submitted_by": acting_person.full_name,
            "phone": acting_person.phone,
            "email": acting_person.email,
            "notice_date": _day(notice_date, CUSTOMER_SERVICE_LANGUAGE),
            "ends_on": _day(ends_on, CUSTOMER_SERVICE_LANGUAGE),
            "cancelled_before_start": locked.status == Reservation.Status.CANCELLED,
            "message": message.strip(),
            "admin_path": f"/admin/bookings/reservation/{locked.pk}/change/",
            "site_url": site_url(),
        },
        language=CUSTOMER_SERVICE_LANGUAGE,
        idempotency_key=f"bookings-termination-{locked.pk}",
    )
    # NTF-4: the resident's confirmation with the computed end date.
    reservation_notify(locked)
    reservation.refresh_from_db()
    return True
