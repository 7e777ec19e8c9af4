"""TEN-10 in the Booking section: a guardian of a ward who is a main tenant books with the ward's
rights, and every booking page names the ward."""

import pytest

from bookings.dates import earliest_start
from bookings.models import Reservation
from tests.factories.bookings import ParkingSpaceFactory
from tests.factories.tenancy import AgreementPartyFactory, GuardianshipFactory, PersonFactory
from tests.tenancy.pages import login

LABEL = "On behalf of Liisa Alaikäinen"


@pytest.fixture
def ward_tenant(household):
    household.ward_tenant = PersonFactory(first_names="Liisa", last_name="Alaikäinen")
    AgreementPartyFactory(agreement=household.stranger_agreement, person=household.ward_tenant)
    household.ward_guardian = PersonFactory(first_names="Olli", last_name="Edunvalvoja")
    GuardianshipFactory(guardian=household.ward_guardian, ward=household.ward_tenant)
    household.ward_space = ParkingSpaceFactory(building=household.stranger_agreement.apartment.building, number="W 3")
    return household


@pytest.mark.parametrize(
    "path",
    [
        "/bookings/",
        "/bookings/agreements/{stranger_agreement.pk}/new/",
        "/bookings/agreements/{stranger_agreement.pk}/new/parking/",
    ],
)
def test_booking_pages_for_the_wards_agreement_name_the_ward_TEN_10(client, ward_tenant, path):
    login(client, ward_tenant.ward_guardian)
    client.cookies["django_language"] = "en"

    response = client.get(path.format(**vars(ward_tenant)))

    assert response.status_code == 200
    assert LABEL in response.content.decode()


def test_guardian_requests_a_parking_space_for_the_ward_TEN_10_BKG_1(client, ward_tenant, today):
    login(client, ward_tenant.ward_guardian)
    client.cookies["django_language"] = "en"

    response = client.post(
        f"/bookings/agreements/{ward_tenant.stranger_agreement.pk}/new/parking/",
        {"parking_space": ward_tenant.ward_space.pk, "wanted_start": earliest_start(today).isoformat(), "message": ""},
        follow=True,
    )

    reservation = Reservation.objects.get()
    assert (reservation.requested_by, reservation.tenant, reservation.agreement) == (
        ward_tenant.ward_guardian,
        ward_tenant.ward_tenant,
        ward_tenant.stranger_agreement,
    )
    assert response.redirect_chain[-1][0] == f"/bookings/{reservation.pk}/"
    assert LABEL in response.content.decode(), "the booking's own page names the ward too"
