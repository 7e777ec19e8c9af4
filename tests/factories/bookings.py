from datetime import time
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from bookings.models import ParkingSpace, Reservation, ReservationItem, ResourceKind, SaunaSlot
from tests.factories.tenancy import BuildingFactory, PersonFactory, RentalAgreementFactory


class ParkingSpaceFactory(factory.django.DjangoModelFactory[ParkingSpace]):
    class Meta:
        model = ParkingSpace

    building = factory.SubFactory(BuildingFactory)
    number = factory.Sequence(lambda n: f"P {n}")
    kind = ParkingSpace.Kind.ORDINARY
    monthly_fee = Decimal("35.00")


class SaunaSlotFactory(factory.django.DjangoModelFactory[SaunaSlot]):
    class Meta:
        model = SaunaSlot

    building = factory.SubFactory(BuildingFactory)
    sauna = "Sauna"
    weekday = SaunaSlot.Weekday.TUESDAY
    starts_at = factory.Sequence(lambda n: time(6 + n % 16))
    length_minutes = 60
    monthly_fee = Decimal("18.00")


def _hold_resource(reservation: Reservation, create: bool, extracted: ParkingSpace | SaunaSlot | None, **kwargs: Any) -> None:
    if not create or extracted is None:
        return
    held_from = kwargs.get("held_from")
    ReservationItem.objects.create(
        reservation=reservation,
        parking_space=extracted if isinstance(extracted, ParkingSpace) else None,
        sauna_slot=extracted if isinstance(extracted, SaunaSlot) else None,
        held_from=held_from,
        held_until=kwargs.get("held_until"),
        open_tenant=reservation.tenant if reservation.status in Reservation.OPEN else None,
    )


class ReservationFactory(factory.django.DjangoModelFactory[Reservation]):
    """A reservation of one resource; pass `parking_space` or `sauna_slot`, and `held_from` for one
    that holds it."""

    class Meta:
        model = Reservation
        skip_postgeneration_save = True

    kind = ResourceKind.PARKING
    agreement = factory.SubFactory(RentalAgreementFactory)
    building = factory.LazyAttribute(lambda r: r.agreement.apartment.building)
    requested_by = factory.SubFactory(PersonFactory)
    tenant = factory.LazyAttribute(lambda r: r.requested_by)
    wanted_start = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    status = Reservation.Status.REQUESTED

    resource = factory.PostGeneration(_hold_resource)
