"""A planned water outage in Kontulankaari 7 for the demo data, told to its residents. Running it
again changes nothing."""

from datetime import timedelta
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from tenancy.models import Building

from .models import Outage
from .outages import outage_notice_send


@transaction.atomic
def populate(*, stdout: TextIO | None = None) -> None:
    building = Building.objects.filter(street_address="Kontulankaari 7").first()
    if building is None or Outage.objects.filter(buildings=building).exists():
        return
    start = timezone.localtime().replace(minute=0, second=0, microsecond=0) + timedelta(days=1, hours=2)
    outage = Outage.objects.create(
        planned=True,
        utility=Outage.Utility.WATER,
        starts_at=start,
        expected_end_at=start + timedelta(hours=4),
        description="Vesi katkaistaan putkitöiden vuoksi. Laske vettä astioihin etukäteen.",
        description_sv="Vattnet stängs av för rörarbeten. Tappa upp vatten i förväg.",
        description_en="The water is cut off for pipe work. Draw some water in advance.",
        version=1,
    )
    outage.buildings.add(building)
    told = outage_notice_send(outage_id=outage.pk, version=1)
    if stdout is not None:
        stdout.write(f"notifications: a planned outage told to {told} resident(s)\n")
