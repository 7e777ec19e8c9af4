"""Time the booking allocation (BKG-4) of 10,000 queued parking requests over 2,000 spaces.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/heka_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/heka_bench .venv/bin/python bench/bookings_allocation.py

The script adds its own region office, 100 buildings with 20 parking spaces each and 10,000 main
tenants, one in ten of whom already holds one of 400 spaces; each tenant asks for a space of their
building (a fixed random seed, so every run sees the same queues). It then runs the allocation
once for all 2,000 spaces, as `allocate_bookings --all` does, and once building by building, and
removes everything it added. It can run on a database filled by `bench/fill_register.py`.
"""

import argparse
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heka_portal.settings.local")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from bookings.models import AllocationDecision, AllocationRun, ParkingSpace, Reservation, ReservationItem  # noqa: E402
from bookings.services import allocation_run  # noqa: E402
from tenancy.models import AgreementParty, Apartment, Building, Person, RegionOffice, RentalAgreement  # noqa: E402

PREFIX = "BENCH-BKG"
TODAY = date(2026, 11, 25)
START = date(2026, 12, 1)


def build(*, buildings: int, spaces_per_building: int, requests: int, held: int, seed: int) -> list[int]:
    rng = random.Random(seed)  # noqa: S311 (a repeatable benchmark, not a secret)
    with transaction.atomic():
        region = RegionOffice.objects.create(
            name=f"{PREFIX} region", street_address="Testikatu 1", postal_code="00100", phone="09 1", email="bench@heka.example"
        )
        houses = Building.objects.bulk_create(
            Building(
                code=f"{PREFIX}-{n}", name=f"{PREFIX} {n}", street_address=f"Penkkikatu {n}", postal_code="00500", region=region
            )
            for n in range(buildings)
        )
        spaces = ParkingSpace.objects.bulk_create(
            ParkingSpace(building=house, number=f"P {n}", monthly_fee=Decimal("35.00"))
            for house in houses
            for n in range(spaces_per_building)
        )
        apartments = Apartment.objects.bulk_create(
            Apartment(building=houses[n % buildings], number=f"{PREFIX} {n}") for n in range(requests)
        )
        people = Person.objects.bulk_create(
            Person(first_names="Penkki", last_name=f"{PREFIX} {n}", birth_date=date(1980, 1, 1)) for n in range(requests)
        )
        agreements = RentalAgreement.objects.bulk_create(
            RentalAgreement(
                number=f"{PREFIX}-{n}",
                apartment=apartment,
                signed_on=date(2020, 1, 1),
                starts_on=date(2020, 2, 1),
                rent=Decimal("800.00"),
            )
            for n, apartment in enumerate(apartments)
        )
        AgreementParty.objects.bulk_create(
            AgreementParty(agreement=agreement, person=person) for agreement, person in zip(agreements, people, strict=True)
        )
        by_building: dict[int, list[ParkingSpace]] = {}
        for space in spaces:
            by_building.setdefault(space.building_id, []).append(space)
        held_spaces = set(rng.sample(range(len(spaces)), held))
        now = timezone.now()
        reservations: list[Reservation] = []
        wanted: list[tuple[ParkingSpace, date | None]] = []
        for n, (agreement, person) in enumerate(zip(agreements, people, strict=True)):
            building_id = agreement.apartment.building_id
            holder_of = spaces[sorted(held_spaces)[n // 10]] if n % 10 == 0 and n // 10 < held else None
            if holder_of is not None:
                reservations.append(_reservation(agreement, person, "active", now - timedelta(days=400), holder_of.building_id))
                wanted.append((holder_of, date(2025, 1, 1)))
            reservations.append(_reservation(agreement, person, "requested", now - timedelta(seconds=requests - n), building_id))
            wanted.append((rng.choice(by_building[building_id]), None))
        created = Reservation.objects.bulk_create(reservations, batch_size=2000)
        ReservationItem.objects.bulk_create(
            (
                ReservationItem(reservation=reservation, parking_space=space, held_from=held_from)
                for reservation, (space, held_from) in zip(created, wanted, strict=True)
            ),
            batch_size=2000,
        )
    return [space.pk for space in spaces]


def _reservation(agreement: RentalAgreement, person: Person, status: str, created_at: datetime, building_id: int) -> Reservation:
    return Reservation(
        kind="parking",
        agreement=agreement,
        building_id=building_id,
        requested_by=person,
        tenant=person,
        wanted_start=START,
        starts_on=date(2025, 1, 1) if status == "active" else None,
        status=status,
        created_at=created_at,
        status_changed_at=created_at,
    )


def reset_queue() -> None:
    """Put the granted requests back in the queue, for the second measurement."""
    mine = Reservation.objects.filter(building__code__startswith=PREFIX)
    with transaction.atomic():
        runs = set(AllocationDecision.objects.filter(reservation__in=mine).values_list("run_id", flat=True))
        AllocationDecision.objects.filter(reservation__in=mine).delete()
        AllocationRun.objects.filter(pk__in=runs).delete()
        granted = mine.filter(status="offered")
        ReservationItem.objects.filter(reservation__in=granted).update(held_from=None)
        granted.update(status="requested", starts_on=None)


def clean_up() -> None:
    """Remove everything `build` added; the statements are constants with the prefix as a parameter."""
    statements = [
        "DELETE FROM bookings_allocationrun WHERE id IN (SELECT d.run_id FROM bookings_allocationdecision d"
        " JOIN bookings_reservation r ON r.id = d.reservation_id JOIN tenancy_building b ON b.id = r.building_id"
        " WHERE b.code LIKE %s)",
        "DELETE FROM bookings_allocationdecision WHERE reservation_id IN (SELECT r.id FROM bookings_reservation r"
        " JOIN tenancy_building b ON b.id = r.building_id WHERE b.code LIKE %s)",
        "DELETE FROM bookings_reservationitem WHERE reservation_id IN (SELECT r.id FROM bookings_reservation r"
        " JOIN tenancy_building b ON b.id = r.building_id WHERE b.code LIKE %s)",
        "DELETE FROM bookings_reservation WHERE building_id IN (SELECT id FROM tenancy_building WHERE code LIKE %s)",
        "DELETE FROM bookings_parkingspace WHERE building_id IN (SELECT id FROM tenancy_building WHERE code LIKE %s)",
        "DELETE FROM tenancy_agreementparty WHERE agreement_id IN (SELECT id FROM tenancy_rentalagreement WHERE number LIKE %s)",
        "DELETE FROM tenancy_rentalagreement WHERE number LIKE %s",
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, [f"{PREFIX}-%"])
        cursor.execute("DELETE FROM tenancy_person WHERE last_name LIKE %s", [f"{PREFIX} %"])
        cursor.execute("DELETE FROM tenancy_apartment WHERE number LIKE %s", [f"{PREFIX} %"])
        cursor.execute("DELETE FROM tenancy_building WHERE code LIKE %s", [f"{PREFIX}-%"])
        cursor.execute("DELETE FROM tenancy_regionoffice WHERE name = %s", [f"{PREFIX} region"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--buildings", type=int, default=100)
    parser.add_argument("--spaces-per-building", type=int, default=20)
    parser.add_argument("--held", type=int, default=400, help="Spaces already reserved by tenants who also queue.")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run this on PostgreSQL: set DATABASE_URL=postgres://...")

    clean_up()
    started = time.perf_counter()
    space_ids = build(
        buildings=args.buildings,
        spaces_per_building=args.spaces_per_building,
        requests=args.requests,
        held=args.held,
        seed=args.seed,
    )
    with connection.cursor() as cursor:
        # As autovacuum would soon after a bulk load: fresh statistics for the planner.
        cursor.execute("ANALYZE bookings_reservation, bookings_reservationitem, bookings_parkingspace, tenancy_person")
    print(f"Set up {len(space_ids)} spaces and {args.requests} queued requests in {time.perf_counter() - started:.1f} s")
    try:
        started = time.perf_counter()
        run = allocation_run(parking_spaces=space_ids, today=TODAY)
        print(
            f"One allocation of all spaces: {time.perf_counter() - started:.2f} s "
            f"({run.considered} requests considered, {run.granted} granted)"
        )

        reset_queue()
        per_building = ParkingSpace.objects.filter(pk__in=space_ids).values_list("building_id", "pk").order_by("building_id")
        groups: dict[int, list[int]] = {}
        for building_id, pk in per_building:
            groups.setdefault(building_id, []).append(pk)
        started = time.perf_counter()
        granted = sum(allocation_run(parking_spaces=pks, today=TODAY).granted for pks in groups.values())
        print(f"{len(groups)} allocations, building by building: {time.perf_counter() - started:.2f} s ({granted} granted)")
    finally:
        clean_up()


if __name__ == "__main__":
    main()
