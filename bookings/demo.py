"""Parking spaces and weekly sauna slots for the buildings of the demo data. Running it again
changes nothing that exists."""

from datetime import time
from decimal import Decimal
from typing import TextIO

from django.db import transaction

from tenancy.models import Building

from .models import ParkingSpace, SaunaSlot

PARKING = [
    ("P 1", ParkingSpace.Kind.ORDINARY, Decimal("35.00")),
    ("P 2", ParkingSpace.Kind.ORDINARY, Decimal("35.00")),
    ("P 3", ParkingSpace.Kind.ORDINARY, Decimal("35.00")),
    ("P 4", ParkingSpace.Kind.EV_CHARGING, Decimal("55.00")),
    ("P 5", ParkingSpace.Kind.EV_CHARGING, Decimal("55.00")),
    ("P 6", ParkingSpace.Kind.ACCESSIBLE, Decimal("35.00")),
]
SAUNA = "Sauna"
# Tuesday to Saturday evenings, one-hour slots from 17 to 21.
SAUNA_DAYS = [
    SaunaSlot.Weekday.TUESDAY,
    SaunaSlot.Weekday.WEDNESDAY,
    SaunaSlot.Weekday.THURSDAY,
    SaunaSlot.Weekday.FRIDAY,
    SaunaSlot.Weekday.SATURDAY,
]
SAUNA_HOURS = [17, 18, 19, 20]
SAUNA_FEE = Decimal("18.00")


@transaction.atomic
def populate(*, stdout: TextIO | None = None) -> None:
    spaces = slots = 0
    for building in Building.objects.order_by("pk"):
        for number, kind, fee in PARKING:
            _space, created = ParkingSpace.objects.get_or_create(
                building=building, area="", number=number, defaults={"kind": kind, "monthly_fee": fee}
            )
            spaces += created
        for weekday in SAUNA_DAYS:
            for hour in SAUNA_HOURS:
                _slot, created = SaunaSlot.objects.get_or_create(
                    building=building,
                    sauna=SAUNA,
                    weekday=weekday,
                    starts_at=time(hour),
                    defaults={"length_minutes": 60, "monthly_fee": SAUNA_FEE},
                )
                slots += created
    if stdout is not None:
        stdout.write(f"Bookings: {spaces} parking spaces and {slots} sauna slots created.\n")
