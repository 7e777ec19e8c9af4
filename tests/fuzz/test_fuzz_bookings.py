"""X-4: hostile input to the parking and sauna booking request forms."""

from datetime import time

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import User
from bookings.dates import start_choices
from bookings.models import Reservation, ReservationItem
from tests.factories.bookings import ParkingSpaceFactory, SaunaSlotFactory

from .strategies import FUZZ, assert_rejected_clearly, changed, post, post_raw, raw_bodies, row_counts, submissions

PASSWORD = "Sal4sana!x"

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(household):
    """The main tenant; the building has two parking spaces and three Tuesday-evening sauna slots,
    and another building a space of its own."""
    building = household.building
    household.spaces = [
        ParkingSpaceFactory(building=building, number="P 7"),
        ParkingSpaceFactory(building=building, number="P 8"),
    ]
    household.slots = [SaunaSlotFactory(building=building, weekday=1, starts_at=time(hour)) for hour in (18, 19, 20)]
    household.slots.append(SaunaSlotFactory(building=building, weekday=3, starts_at=time(21)))
    household.foreign_space = ParkingSpaceFactory(building=household.stranger_agreement.apartment.building, number="X 1")
    return User.objects.create_user("maija.virtanen@example.com", PASSWORD, person=household.main_tenant, language="en")


def _starts() -> st.SearchStrategy:
    return st.sampled_from([day.isoformat() for day in start_choices(timezone.localdate())])


booleans = st.sampled_from(["on", "", "true", "false", "1", "0"])


def _assert_complete_or_nothing(response, before: dict, items: int) -> None:
    if response.status_code == 302:
        reservation = Reservation.objects.latest("pk")
        assert response["Location"] == f"/bookings/{reservation.pk}/"
        assert ReservationItem.objects.filter(reservation=reservation).count() == items
    else:
        assert_rejected_clearly(response)
        assert changed(before, row_counts()) == {}


@FUZZ
@given(data=st.data())
def test_parking_request_form_never_errors_on_hostile_input_X_4(fresh_client, resident, household, data):
    spaces = [str(space.pk) for space in (*household.spaces, household.foreign_space)]
    sent = data.draw(
        submissions(
            {
                "parking_space": st.sampled_from(spaces),
                "electric_car": booleans,
                "disability_permit": booleans,
                "wanted_start": _starts(),
                "message": st.text(max_size=300),
            }
        )
    )
    client = fresh_client(resident)
    before = row_counts()

    response = post(client, f"/bookings/agreements/{household.agreement.pk}/new/parking/", sent)

    _assert_complete_or_nothing(response, before, items=1)
    if response.status_code == 302:
        assert sent["parking_space"] != str(household.foreign_space.pk), "a space of another building"


@FUZZ
@given(data=st.data())
def test_sauna_request_form_never_errors_on_hostile_input_X_4(fresh_client, resident, household, data):
    slots = [str(slot.pk) for slot in household.slots]
    sent = data.draw(
        submissions(
            {
                "sauna_slots": st.lists(st.sampled_from([*slots, "0", "-1", "abc"]), min_size=1, max_size=4, unique=True),
                "flexible": booleans,
                "wanted_start": _starts(),
                "message": st.text(max_size=300),
            }
        )
    )
    client = fresh_client(resident)
    before = row_counts()

    response = post(client, f"/bookings/agreements/{household.agreement.pk}/new/sauna/", sent)

    chosen = sent.get("sauna_slots", [])
    _assert_complete_or_nothing(response, before, items=len(chosen) if isinstance(chosen, list) else 1)


@pytest.mark.parametrize("kind", ["parking", "sauna"])
@FUZZ
@given(raw=raw_bodies)
def test_booking_forms_never_error_on_malformed_bodies_X_4(fresh_client, resident, household, kind, raw):
    client = fresh_client(resident)
    before = row_counts()

    post_raw(client, f"/bookings/agreements/{household.agreement.pk}/new/{kind}/", *raw)

    assert changed(before, row_counts()) == {}
