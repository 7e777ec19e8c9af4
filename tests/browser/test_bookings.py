"""The Booking section in headless Chromium: a main tenant requests a sauna slot, a booking handler
allocates it in the admin and it is offered, the resident sees the state (BKG-1, BKG-4, BKG-6);
the co-tenant does not see it and is told why (BKG-7); no axe-core violations in any language."""

from datetime import date, time, timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import User
from bookings.dates import earliest_start, termination_end_date
from bookings.models import Reservation
from bookings.services import reservation_terminate
from tenancy.staff_groups import BOOKING_HANDLER
from tests.bookings.conftest import tenant_in
from tests.factories.bookings import ParkingSpaceFactory, ReservationFactory, SaunaSlotFactory

LANGUAGES = ["fi", "sv", "en"]
VIEWPORTS = ["phone", "desktop"]


def user_for(person) -> User:
    return User.objects.create_user(f"person{person.pk}@example.com", "Sal4sana!", person=person)


@pytest.fixture
def sauna(household, today):
    """Tuesday evening slots; the 19 o'clock one is held by a neighbour who has given notice, so a new
    request for it joins the queue and waits for the allocation."""
    building = household.building
    household.slots = [SaunaSlotFactory(building=building, sauna="A-sauna", weekday=1, starts_at=time(h)) for h in (18, 19, 20)]
    ParkingSpaceFactory(building=building, number="P 7")
    ParkingSpaceFactory(building=building, number="P 8", kind="ev_charging")
    neighbour = tenant_in(building, today)
    held = ReservationFactory.create(
        agreement=neighbour.agreement,
        requested_by=neighbour.person,
        kind="sauna",
        status=Reservation.Status.ACTIVE,
        starts_on=date(2025, 1, 1),
        resource=household.slots[1],
        resource__held_from=date(2025, 1, 1),
    )
    reservation_terminate(reservation=held, acting_person=neighbour.person, notice_date=earliest_start(today))
    household.slot_free_from = termination_end_date(earliest_start(today)) + timedelta(days=1)
    return household


def booking_handler() -> User:
    call_command("setup_groups", stdout=StringIO(), stderr=StringIO())
    user = User.objects.create_user("varaukset@heka.example", "Staff-pass-1!", is_staff=True)
    user.groups.add(Group.objects.get(name=BOOKING_HANDLER))
    return user


@pytest.mark.django_db(transaction=True)
def test_request_allocate_offer_and_the_co_tenant_is_told_why_BKG_1_BKG_4_BKG_6_BKG_7(
    open_page, assert_accessible, screenshot, sauna
):
    resident = open_page(viewport="phone", language="en", user=user_for(sauna.main_tenant))
    resident.goto("/bookings/")
    resident.get_by_role("link", name="Add a new booking request").click()
    resident.get_by_role("link", name="Sauna").click()
    resident.get_by_label("Tuesday 19:00\N{EN DASH}20:00, A-sauna", exact=False).check()
    resident.get_by_label("I am willing to take another day or time").check()
    resident.get_by_role("button", name="Create a new booking request").click()

    expect(resident.get_by_text("Your booking request was sent and is in the queue.")).to_be_visible()
    expect(resident.get_by_text("Requested, in the queue")).to_be_visible()
    reservation = Reservation.objects.get(requested_by=sauna.main_tenant)
    assert reservation.status == Reservation.Status.REQUESTED

    staff = open_page(viewport="desktop", language="en", user=booking_handler())
    staff.goto("/admin/bookings/saunaslot/?weekday__exact=1")
    staff.locator(f"input[name='_selected_action'][value='{sauna.slots[1].pk}']").check()
    staff.locator("select[name='action']").select_option("allocate")
    staff.get_by_role("button", name="Go").click()
    expect(staff.get_by_text("1 request considered, 1 granted.")).to_be_visible()
    staff.get_by_role("link", name="See why each request got or did not get it.").click()
    screenshot(staff, "bookings-admin-allocation-en-desktop")
    expect(staff.get_by_text("Granted: first in the queue").first).to_be_visible()

    reservation.refresh_from_db()
    assert (reservation.status, reservation.starts_on) == (Reservation.Status.OFFERED, sauna.slot_free_from)
    resident.goto(f"/bookings/{reservation.pk}/")
    expect(resident.locator(".booking-status")).to_have_text("Offered")
    expect(
        resident.get_by_text("Do not use the space or the sauna slot before customer service has been in touch")
    ).to_be_visible()
    assert_accessible(resident)
    screenshot(resident, "bookings-offered-en-phone")

    co_tenant = open_page(viewport="phone", language="en", user=user_for(sauna.co_tenant))
    co_tenant.goto("/bookings/")
    expect(
        co_tenant.get_by_text("Another main tenant of this agreement has made a booking request or reservation.")
    ).to_be_visible()
    assert co_tenant.get_by_text("A-sauna").count() == 0
    assert co_tenant.goto(f"/bookings/{reservation.pk}/").status == 404
    co_tenant.goto("/bookings/")
    screenshot(co_tenant, "bookings-co-tenant-en-phone")


def _pages(h) -> list[tuple[str, str, str | None]]:
    """(who, path, the submit button to press first or None)."""
    agreement = h.agreement.pk
    return [
        ("main_tenant", "/bookings/", None),
        # NTF-9: making the calendar link, the page's one form, shows the link.
        ("main_tenant", "/bookings/", "submit"),
        ("main_tenant", f"/bookings/agreements/{agreement}/new/", None),
        ("main_tenant", f"/bookings/agreements/{agreement}/new/sauna/", None),
        ("main_tenant", f"/bookings/agreements/{agreement}/new/sauna/", "submit"),
        ("main_tenant", f"/bookings/agreements/{agreement}/new/parking/", None),
        ("main_tenant", f"/bookings/{h.reservation.pk}/", None),
        ("main_tenant", f"/bookings/{h.reservation.pk}/terminate/", None),
        ("main_tenant", f"/bookings/{h.reservation.pk}/terminate/", "submit"),
        ("co_tenant", "/bookings/", None),
        ("sublessee", "/bookings/", None),
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_booking_pages_pass_axe_in_every_language_X_1_X_2(open_page, assert_accessible, screenshot, sauna, language):
    sauna.reservation = ReservationFactory.create(
        agreement=sauna.agreement,
        requested_by=sauna.main_tenant,
        kind="sauna",
        status=Reservation.Status.ACTIVE,
        starts_on=date(2025, 1, 1),
        resource=sauna.slots[0],
        resource__held_from=date(2025, 1, 1),
    )
    users = {who: user_for(getattr(sauna, who)) for who in ("main_tenant", "co_tenant", "sublessee")}
    pages: dict[tuple[str, str], Any] = {}  # (who, viewport): an open page
    for who, path, submit in _pages(sauna):
        page = pages.get((who, "phone"))
        if page is None:
            page = pages[(who, "phone")] = open_page(viewport="phone", language=language, user=users[who])
        response = page.goto(path)
        # BKG-7: the sublessee gets the refusal page, answered with 403.
        assert response.status == (403 if who == "sublessee" else 200), path
        if submit:
            page.locator("main form button[type='submit']").first.click()
            page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("h1").count() == 1
        assert_accessible(page)
        name = path.strip("/").replace("/", "-").replace(str(sauna.agreement.pk), "a").replace(str(sauna.reservation.pk), "r")
        screenshot(page, f"{name}{'-submitted' if submit else ''}-{who}-{language}-phone")
    desktop = open_page(viewport="desktop", language=language, user=users["main_tenant"])
    for path in ("/bookings/", f"/bookings/agreements/{sauna.agreement.pk}/new/parking/", f"/bookings/{sauna.reservation.pk}/"):
        desktop.goto(path)
        assert_accessible(desktop)
        name = path.strip("/").replace("/", "-").replace(str(sauna.agreement.pk), "a").replace(str(sauna.reservation.pk), "r")
        screenshot(desktop, f"{name}-main_tenant-{language}-desktop")
