"""Reads of the Booking section. Every function takes the person's `Access`; a reservation is
reached only by the main tenant who made it (BKG-7), anything else is a 404."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from tenancy.access import Access, MainTenancy
from tenancy.models import Person

from .dates import earliest_start
from .models import CalendarFeed, ParkingSpace, Reservation, ReservationItem, ResourceKind, SaunaSlot
from .services.holds import free_from, holds_on, resource_key

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def reservations_for(access: Access) -> QuerySet[Reservation]:
    """The reservations this person made, on agreements they are still a main tenant of."""
    agreement_ids = [tenancy.agreement.pk for tenancy in access.main_tenancies()]
    items = ReservationItem.objects.select_related("parking_space__building", "sauna_slot__building").order_by("pk")
    return (
        Reservation.objects.filter(requested_by=access.person, agreement_id__in=agreement_ids)
        .select_related("agreement__apartment__building", "tenant")
        .prefetch_related(Prefetch("items", queryset=items))
        .order_by("-created_at", "-pk")
    )


def reservation_get_for(access: Access, pk: int) -> Reservation:
    return get_object_or_404(reservations_for(access), pk=pk)


def calendar_feed_for(person: Person) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(person=person).first()


def hidden_reservations_by_agreement(access: Access) -> dict[int, int]:
    """How many current requests and reservations other main tenants made on each of the person's
    agreements: the page says they exist and why they are not shown, never what they are (BKG-7)."""
    agreement_ids = [tenancy.agreement.pk for tenancy in access.main_tenancies()]
    rows = (
        Reservation.objects.filter(agreement_id__in=agreement_ids)
        .exclude(requested_by=access.person)
        .exclude(status__in=(Reservation.Status.CANCELLED, Reservation.Status.WITHDRAWN))
        .values("agreement_id")
        .annotate(count=Count("pk"))
    )
    return {row["agreement_id"]: row["count"] for row in rows}


@dataclass(frozen=True)
class Availability:
    """A bookable resource as a resident sees it when choosing (BKG-1)."""

    resource: ParkingSpace | SaunaSlot
    free_from: date | None  # None: reserved with no end date
    queued: int


class Queued(TypedDict):
    queued: int  # requests in the queue of the resource


def availability_for(tenancy: MainTenancy, kind: str, *, today: date) -> list[Availability]:
    """The bookable parking spaces or weekly sauna slots of the tenancy's building: three queries."""
    building_id = tenancy.agreement.apartment.building_id
    waiting = Count("items", filter=Q(items__reservation__status=Reservation.Status.REQUESTED))
    resources: list[WithAnnotations[ParkingSpace, Queued] | WithAnnotations[SaunaSlot, Queued]]
    if kind == ResourceKind.PARKING:
        resources = list(
            ParkingSpace.objects.filter(building_id=building_id, is_bookable=True)
            .annotate(queued=waiting)
            .order_by("area", "number", "pk")
        )
    else:
        resources = list(
            SaunaSlot.objects.filter(building_id=building_id, is_bookable=True)
            .annotate(queued=waiting)
            .order_by("sauna", "weekday", "starts_at", "pk")
        )
    start = earliest_start(today)
    holds = holds_on([resource_key(resource) for resource in resources], on_or_after=start) if resources else {}
    return [
        Availability(resource, free_from(holds.get(resource_key(resource), []), start)[0], resource.queued)
        for resource in resources
    ]
