import itertools
from datetime import date
from decimal import Decimal
from typing import Any

import factory

from tenancy.models import (
    AgreementParty,
    Apartment,
    Building,
    Guardianship,
    Invoice,
    Occupancy,
    Person,
    RegionOffice,
    RentalAgreement,
)

_CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_hetu_numbers = itertools.count(1)


def make_hetu(n: int | None = None) -> str:
    """A valid temporary identity code (individual number 900-999), different for each n."""
    n = next(_hetu_numbers) if n is None else n
    day, month, year = 1 + n % 28, 1 + (n // 28) % 12, 50 + (n // 336) % 50
    digits = f"{day:02d}{month:02d}{year:02d}{900 + (n // 16800) % 100}"
    return f"{digits[:6]}-{digits[6:]}{_CHECK_CHARACTERS[int(digits) % 31]}"


class RegionOfficeFactory(factory.django.DjangoModelFactory[RegionOffice]):
    class Meta:
        model = RegionOffice
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Region {n}")
    street_address = "Kansakoulukatu 3"
    postal_code = "00100"
    phone = "09 310 13030"
    email = factory.Sequence(lambda n: f"region{n}@heka.example")


class BuildingFactory(factory.django.DjangoModelFactory[Building]):
    class Meta:
        model = Building

    code = factory.Sequence(lambda n: f"B{n:04d}")
    name = factory.Sequence(lambda n: f"Kerrostalo {n}")
    street_address = factory.Sequence(lambda n: f"Testikatu {n}")
    postal_code = "00500"
    region = factory.SubFactory(RegionOfficeFactory)


class ApartmentFactory(factory.django.DjangoModelFactory[Apartment]):
    class Meta:
        model = Apartment

    building = factory.SubFactory(BuildingFactory)
    number = factory.Sequence(lambda n: f"A {n}")
    rooms = "2h+k"


def _set_hetu(person: Person, create: bool, extracted: str | None, **kwargs: Any) -> None:
    person.set_hetu(extracted or make_hetu())
    if create:
        person.save()


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    first_names = factory.Faker("first_name", locale="fi_FI")
    last_name = factory.Faker("last_name", locale="fi_FI")
    birth_date = date(1980, 1, 1)
    email = factory.Sequence(lambda n: f"person{n}@example.com")
    preferred_language = "fi"

    hetu = factory.PostGeneration(_set_hetu)


class RentalAgreementFactory(factory.django.DjangoModelFactory[RentalAgreement]):
    class Meta:
        model = RentalAgreement

    number = factory.Sequence(lambda n: f"V{n:07d}")
    apartment = factory.SubFactory(ApartmentFactory)
    signed_on = date(2020, 1, 1)
    starts_on = date(2020, 2, 1)
    rent = Decimal("850.00")
    deposit = Decimal("1700.00")


class AgreementPartyFactory(factory.django.DjangoModelFactory[AgreementParty]):
    class Meta:
        model = AgreementParty

    agreement = factory.SubFactory(RentalAgreementFactory)
    person = factory.SubFactory(PersonFactory)


class OccupancyFactory(factory.django.DjangoModelFactory[Occupancy]):
    class Meta:
        model = Occupancy

    person = factory.SubFactory(PersonFactory)
    apartment = factory.SubFactory(ApartmentFactory)
    starts_on = date(2020, 2, 1)


class GuardianshipFactory(factory.django.DjangoModelFactory[Guardianship]):
    class Meta:
        model = Guardianship

    guardian = factory.SubFactory(PersonFactory)
    ward = factory.SubFactory(PersonFactory)
    starts_on = date(2020, 1, 1)


class InvoiceFactory(factory.django.DjangoModelFactory[Invoice]):
    class Meta:
        model = Invoice

    agreement = factory.SubFactory(RentalAgreementFactory)
    number = factory.Sequence(lambda n: f"L{n:08d}")
    due_on = date(2026, 11, 2)
    amount = Decimal("850.00")
    reference_number = factory.Sequence(lambda n: f"1000{n:05d}")
