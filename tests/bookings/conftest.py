from datetime import time, timedelta
from types import SimpleNamespace

import pytest

from tests.factories.bookings import ParkingSpaceFactory, SaunaSlotFactory
from tests.factories.tenancy import AgreementPartyFactory, ApartmentFactory, PersonFactory, RentalAgreementFactory


def tenant_in(building, today, **names) -> SimpleNamespace:
    """A main tenant of another apartment of `building`, with their agreement."""
    started = today - timedelta(days=400)
    agreement = RentalAgreementFactory(
        apartment=ApartmentFactory(building=building), signed_on=started - timedelta(days=10), starts_on=started
    )
    person = PersonFactory(**names)
    AgreementPartyFactory(agreement=agreement, person=person)
    return SimpleNamespace(person=person, agreement=agreement)


@pytest.fixture
def tenant_factory(today):
    return lambda building, **names: tenant_in(building, today, **names)


@pytest.fixture
def resources(household):
    """The household's building has two parking spaces and three Tuesday-evening sauna slots."""
    building = household.building
    household.space = ParkingSpaceFactory(building=building, number="P 7")
    household.ev_space = ParkingSpaceFactory(building=building, number="P 8", kind="ev_charging")
    household.slots = [SaunaSlotFactory(building=building, weekday=1, starts_at=time(hour)) for hour in (18, 19, 20)]
    household.other_day_slot = SaunaSlotFactory(building=building, weekday=3, starts_at=time(21))
    household.foreign_space = ParkingSpaceFactory(building=household.stranger_agreement.apartment.building, number="X 1")
    return household
