"""Factories for the resident pages' models: bulletins, payments and residents' notices."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from tenancy.models import Bulletin, OccupantChangeNotice, Payment, TerminationNotice
from tests.factories.tenancy import InvoiceFactory, PersonFactory, RentalAgreementFactory


class BulletinFactory(factory.django.DjangoModelFactory[Bulletin]):
    class Meta:
        model = Bulletin
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Tiedote {n}")
    body = "Vesikatko torstaina klo 9-12."
    audience = Bulletin.Audience.EVERYONE
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    @factory.post_generation
    def regions(self, create: bool, extracted: list | None, **kwargs: Any) -> None:
        if create and extracted:
            self.regions.set(extracted)

    @factory.post_generation
    def buildings(self, create: bool, extracted: list | None, **kwargs: Any) -> None:
        if create and extracted:
            self.buildings.set(extracted)


class PaymentFactory(factory.django.DjangoModelFactory[Payment]):
    class Meta:
        model = Payment

    invoice = factory.SubFactory(InvoiceFactory)
    paid_on = date(2026, 1, 1)
    amount = Decimal("850.00")


class OccupantChangeNoticeFactory(factory.django.DjangoModelFactory[OccupantChangeNotice]):
    class Meta:
        model = OccupantChangeNotice

    agreement = factory.SubFactory(RentalAgreementFactory)
    submitted_by = factory.SubFactory(PersonFactory)
    kind = OccupantChangeNotice.Kind.MOVING_IN
    occupant_name = "Kalle Uusi"
    occupant_birth_date = date(1990, 5, 5)
    moves_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10))


class TerminationNoticeFactory(factory.django.DjangoModelFactory[TerminationNotice]):
    class Meta:
        model = TerminationNotice

    agreement = factory.SubFactory(RentalAgreementFactory)
    submitted_by = factory.SubFactory(PersonFactory)
    notice_date = date(2026, 11, 15)
    ends_on = date(2026, 12, 31)
