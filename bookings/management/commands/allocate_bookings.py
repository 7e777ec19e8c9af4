"""Run the booking allocation (BKG-4) from the command line, as the admin action does."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import translation

from bookings.models import AllocationDecision, ParkingSpace, Reservation, SaunaSlot
from bookings.services import allocation_run


class Command(BaseCommand):
    help = "Grant queued sauna and parking requests in queue order, and record why each got or did not get its place."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--parking-space", type=int, action="append", default=[], help="A parking space id (repeatable).")
        parser.add_argument("--sauna-slot", type=int, action="append", default=[], help="A sauna slot id (repeatable).")
        parser.add_argument("--building", help="Every resource of the building with this code.")
        parser.add_argument("--all", action="store_true", help="Every resource that has a queue.")

    def handle(self, *args: Any, **options: Any) -> None:
        spaces, slots = set(options["parking_space"]), set(options["sauna_slot"])
        queued = Q(items__reservation__status=Reservation.Status.REQUESTED)
        if options["building"]:
            spaces |= set(ParkingSpace.objects.filter(building__code=options["building"]).values_list("pk", flat=True))
            slots |= set(SaunaSlot.objects.filter(building__code=options["building"]).values_list("pk", flat=True))
        if options["all"]:
            spaces |= set(ParkingSpace.objects.filter(queued).values_list("pk", flat=True))
            slots |= set(SaunaSlot.objects.filter(queued).values_list("pk", flat=True))
        if not (spaces or slots or options["building"] or options["all"]):
            raise CommandError("Name the resources: --parking-space, --sauna-slot, --building or --all.")
        unknown = spaces - set(ParkingSpace.objects.filter(pk__in=spaces).values_list("pk", flat=True))
        unknown_slots = slots - set(SaunaSlot.objects.filter(pk__in=slots).values_list("pk", flat=True))
        if unknown or unknown_slots:
            raise CommandError(f"No such parking space {sorted(unknown)} or sauna slot {sorted(unknown_slots)}.")
        run = allocation_run(parking_spaces=spaces, sauna_slots=slots)
        self.stdout.write(f"Allocation run {run.pk}: {run.considered} requests considered, {run.granted} granted.")
        if options["verbosity"] >= 2:
            with translation.override("en"):
                decisions = AllocationDecision.objects.filter(run=run).order_by("parking_space_id", "sauna_slot_id", "position")
                for decision in decisions:
                    resource = (
                        f"space {decision.parking_space_id}" if decision.parking_space_id else f"slot {decision.sauna_slot_id}"
                    )
                    start = f" from {decision.starts_on:%Y-%m-%d}" if decision.starts_on else ""
                    self.stdout.write(
                        f"  {resource} #{decision.position}: request {decision.reservation_id} — "
                        f"{decision.get_outcome_display()}{start}"
                    )
