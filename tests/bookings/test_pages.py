"""Every Booking page for everyone of SPEC section 1: only main tenants book (BKG-1), a reservation
is shown only to the main tenant who made it and the other main tenant is told why (BKG-7), the
state and the instruction not to use the space yet are shown (BKG-6)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.dates import earliest_start
from bookings.models import Reservation
from tests.factories.bookings import ParkingSpaceFactory, ReservationFactory, SaunaSlotFactory
from tests.tenancy.pages import FUTURE, LOGIN, NOT_FOUND, REFUSED, WHO, Sees, check, login, visit

TO = "\N{EN DASH}"  # between the times of a range
NOT_MAIN_TENANT = Sees(
    403,
    contains=("booked by the main tenants", "have not signed the rental agreement"),
    lacks=("Add a new booking request", "P 7"),
)


@pytest.fixture
def booked(resources):
    """The main tenant has a parking reservation offered to them."""
    resources.reservation = ReservationFactory.create(
        agreement=resources.agreement,
        requested_by=resources.main_tenant,
        status=Reservation.Status.OFFERED,
        wanted_start=date(2026, 12, 1),
        starts_on=date(2026, 12, 1),
        message="Pakettiauto",
        resource=resources.space,
        resource__held_from=date(2026, 12, 1),
    )
    return resources


INDEX = {
    "main_tenant": Sees(
        contains=("Add a new booking request", "Parking space P 7", "Offered", "{apartment.address}"),
        lacks=("Another main tenant of this agreement",),
    ),
    "co_tenant": Sees(
        contains=(
            "Add a new booking request",
            "Another main tenant of this agreement has made a booking request or reservation",
            "shown only to the main tenant who made it",
            "You have no booking requests or reservations.",
        ),
        lacks=("P 7", "Offered", "Pakettiauto"),
    ),
    "family_member": NOT_MAIN_TENANT,
    "sublessee": NOT_MAIN_TENANT,
    "guardian": NOT_MAIN_TENANT,
    "future_tenant": FUTURE,
    "former_tenant": REFUSED,
    "stranger": Sees(contains=("Add a new booking request",), lacks=("P 7", "{apartment.address}", "Another main tenant")),
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("who", WHO)
def test_booking_section_shows_own_bookings_and_tells_the_co_tenant_why_not_BKG_1_BKG_7(client, booked, who):
    check(visit(client, booked, who, "/bookings/"), booked, INDEX[who])


FORM_PAGES = {
    "choose": ("/bookings/agreements/{agreement.pk}/new/", ("Sauna", "Parking", "What would you like to book?")),
    "parking": (
        "/bookings/agreements/{agreement.pk}/new/parking/",
        (
            "Request a parking space",
            "P 7",
            "P 8",
            "Electric-car charging",
            "I have an electric car",
            "Create a new booking request",
        ),
    ),
    "sauna": (
        "/bookings/agreements/{agreement.pk}/new/sauna/",
        (
            "Request a sauna slot",
            f"Tuesday 18:00{TO}19:00",
            "I am willing to take another day or time",
            "Create a new booking request",
        ),
    ),
}


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("page", FORM_PAGES)
def test_only_main_tenants_of_the_agreement_may_request_BKG_1(client, booked, who, page):
    path, texts = FORM_PAGES[page]
    expected = {
        "main_tenant": Sees(contains=texts, lacks=("X 1",)),
        "co_tenant": Sees(contains=texts, lacks=("X 1",)),
        "family_member": NOT_MAIN_TENANT,
        "sublessee": NOT_MAIN_TENANT,
        "guardian": NOT_MAIN_TENANT,
        "future_tenant": FUTURE,
        "former_tenant": REFUSED,
        "stranger": NOT_FOUND,
        "anonymous": LOGIN,
    }[who]
    check(visit(client, booked, who, path), booked, expected)


DETAIL = Sees(
    contains=(
        "Offered",
        "Parking space P 7",
        "Pakettiauto",
        "Do not use the space or the sauna slot before customer service has been in touch with you.",
        "Terminate the reservation",
        "1 December 2026",
    )
)
ONLY_THE_MAKER = {
    "main_tenant": DETAIL,
    "co_tenant": NOT_FOUND,
    "family_member": NOT_MAIN_TENANT,
    "sublessee": NOT_MAIN_TENANT,
    "guardian": NOT_MAIN_TENANT,
    "future_tenant": FUTURE,
    "former_tenant": REFUSED,
    "stranger": NOT_FOUND,
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("who", WHO)
def test_only_the_main_tenant_who_made_it_sees_the_reservation_BKG_6_BKG_7(client, booked, who):
    check(visit(client, booked, who, "/bookings/{reservation.pk}/"), booked, ONLY_THE_MAKER[who])


@pytest.mark.parametrize("who", WHO)
def test_only_the_maker_may_terminate_BKG_7_BKG_8(client, booked, who):
    expected = {**ONLY_THE_MAKER, "main_tenant": Sees(contains=("Terminate the reservation", "the reservation ends on"))}
    check(visit(client, booked, who, "/bookings/{reservation.pk}/terminate/"), booked, expected[who])


@pytest.mark.parametrize("who", WHO)
def test_only_the_maker_may_withdraw_a_request_BKG_7(client, booked, who):
    Reservation.objects.filter(pk=booked.reservation.pk).update(status=Reservation.Status.REQUESTED)
    expected = {**ONLY_THE_MAKER, "main_tenant": Sees(302)}
    response = visit(client, booked, who, "/bookings/{reservation.pk}/withdraw/", method="post")
    if who in ("future_tenant", "former_tenant", "anonymous"):
        check(response, booked, expected[who])
    else:
        assert response.status_code == expected[who].status
    booked.reservation.refresh_from_db()
    assert booked.reservation.status == ("withdrawn" if who == "main_tenant" else "requested")


def test_a_queued_request_says_it_is_in_the_queue_and_not_to_use_the_space_BKG_6(client, resources):
    reservation = ReservationFactory.create(
        agreement=resources.agreement, requested_by=resources.main_tenant, resource=resources.space
    )
    login(client, resources.main_tenant)
    client.cookies["django_language"] = "en"

    body = client.get(f"/bookings/{reservation.pk}/").content.decode()

    assert "Requested, in the queue" in body
    assert "Your request is in the queue." in body
    assert "Do not use the space or the sauna slot before customer service has been in touch with you." in body
    assert "Withdraw the request" in body
    assert "Terminate the reservation" not in body


@pytest.mark.parametrize(
    ("status", "text"),
    [
        ("agreement_sent", "Customer service has sent you the agreement for signing."),
        ("active", "The reservation is in force from"),
        ("terminated", "The reservation has been terminated and ends on"),
        ("cancelled", "This booking request or reservation has been cancelled."),
    ],
)
def test_the_resident_sees_each_state_BKG_6(client, booked, status, text):
    Reservation.objects.filter(pk=booked.reservation.pk).update(status=status, ends_on=date(2027, 1, 31))
    login(client, booked.main_tenant)
    client.cookies["django_language"] = "en"

    body = client.get(f"/bookings/{booked.reservation.pk}/").content.decode()

    assert text in body
    assert ("Do not use the space" in body) is (status == "agreement_sent")


def test_the_co_tenant_is_not_told_when_there_is_nothing_hidden_BKG_7(client, resources):
    login(client, resources.co_tenant)
    client.cookies["django_language"] = "en"
    body = client.get("/bookings/").content.decode()
    assert "Another main tenant" not in body
    assert "A booking is shown only to the main tenant who made it." in body


def add_data(household, count: int, tenant_factory) -> None:
    for _ in range(count):
        space = ParkingSpaceFactory(building=household.building)
        slot = SaunaSlotFactory(building=household.building, sauna=f"Sauna {space.number}")
        ReservationFactory.create(agreement=household.agreement, requested_by=household.main_tenant, resource=space)
        ReservationFactory.create(agreement=household.agreement, requested_by=household.co_tenant, kind="sauna", resource=slot)
        other = tenant_factory(household.building)
        ReservationFactory.create(
            agreement=other.agreement,
            requested_by=other.person,
            status="active",
            resource=space,
            resource__held_from=earliest_start(date.today()),
        )


@pytest.mark.parametrize(
    "path",
    [
        "/bookings/",
        "/bookings/agreements/{agreement.pk}/new/parking/",
        "/bookings/agreements/{agreement.pk}/new/sauna/",
        "/bookings/{reservation.pk}/",
    ],
)
def test_queries_per_booking_page_do_not_grow_with_the_data(client, booked, path, tenant_factory, django_assert_max_num_queries):
    login(client, booked.main_tenant)
    path = path.format(**vars(booked))
    add_data(booked, 2, tenant_factory)
    with CaptureQueriesContext(connection) as baseline:
        assert client.get(path).status_code == 200

    add_data(booked, 15, tenant_factory)

    with django_assert_max_num_queries(len(baseline)):
        assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    ("language", "label", "foreign"),
    [
        ("sv", f"Tisdag 18.00{TO}19.00", "Sauna"),
        ("fi", f"Tiistai 18.00{TO}19.00", "Bastu"),
        ("en", f"Tuesday 18:00{TO}19:00", f"18.00{TO}"),
    ],
)
def test_a_buildings_one_sauna_goes_unnamed_and_times_are_written_the_readers_way_BKG_2_X_1(
    client, resources, language, label, foreign
):
    """A slot of the building's only sauna, named "Sauna" by staff, reads "tisdag 18.00" under "Bastu"
    on the Swedish page, not "Sauna: tisdag 18.00"."""
    login(client, resources.main_tenant)
    client.cookies["django_language"] = language
    page = client.get(f"/bookings/agreements/{resources.agreement.pk}/new/sauna/").content.decode()
    assert label in page
    choices = page.split("<fieldset", 1)[1].split("</fieldset>", 1)[0]
    assert f"{foreign}:" not in choices
    assert foreign not in choices.split("<legend", 1)[1].split("</legend>", 1)[1]
