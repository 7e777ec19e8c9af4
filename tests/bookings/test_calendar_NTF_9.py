"""NTF-9: an ICS file per reservation (a sauna slot as a weekly recurrence in Europe/Helsinki, a
parking space as an all-day event), downloaded through the reservation's access check; and a
personal calendar feed at a signed URL the resident renews (which revokes the old one). A forged or
revoked token is a 404 that says nothing; the feed holds only the person's reservations, with the
slot and the place and nothing else; it is rate limited, never stored, and its token never logged."""

import logging
import re
from datetime import date, time, timedelta

import pytest
from django.core.cache import cache
from icalendar import Calendar

from bookings import views
from bookings.calendar import feed_token
from bookings.models import CalendarFeed, Reservation
from bookings.services import calendar_feed_renew
from heka_portal.gunicorn_logging import RedactTokensFilter, redact_path
from tests.factories.bookings import ReservationFactory
from tests.tenancy.pages import FUTURE, LOGIN, NOT_FOUND, REFUSED, WHO, Sees, check, login, visit

ACTIVE = Reservation.Status.ACTIVE


@pytest.fixture(autouse=True)
def fresh_limits():
    """The feed's rate limits count in the cache; each test starts from zero and leaves nothing."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def booked(resources, today):
    """The main tenant has a Tuesday 18-19 sauna slot running on, and a parking space that ends on
    the last day of next month; the co-tenant a parking space of their own; the stranger one in
    their building."""
    h = resources
    starts_on = today.replace(day=1) + timedelta(days=32)
    starts_on = starts_on.replace(day=1)
    h.sauna = ReservationFactory(
        agreement=h.agreement,
        requested_by=h.main_tenant,
        kind="sauna",
        status=ACTIVE,
        starts_on=starts_on,
        resource=h.slots[0],
        resource__held_from=starts_on,
        message="Toivon saunavuoroa, Maija Virtanen 040 123 4567",
    )
    ends_on = (starts_on + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    h.parking = ReservationFactory(
        agreement=h.agreement,
        requested_by=h.main_tenant,
        status=Reservation.Status.TERMINATED,
        starts_on=starts_on,
        ends_on=ends_on,
        resource=h.space,
        resource__held_from=starts_on,
        resource__held_until=ends_on,
    )
    h.queued = ReservationFactory(agreement=h.agreement, requested_by=h.main_tenant, resource=h.ev_space)
    h.spouse_parking = ReservationFactory(
        agreement=h.agreement,
        requested_by=h.co_tenant,
        status=ACTIVE,
        starts_on=starts_on,
        resource=h.ev_space,
        resource__held_from=starts_on,
    )
    h.foreign = ReservationFactory(
        agreement=h.stranger_agreement,
        requested_by=h.stranger,
        status=ACTIVE,
        starts_on=starts_on,
        resource=h.foreign_space,
        resource__held_from=starts_on,
    )
    h.starts_on, h.ends_on = starts_on, ends_on
    return h


def _events(content: bytes) -> list:
    return list(Calendar.from_ical(content).walk("VEVENT"))


ICS = Sees(
    200, headers={"Content-Type": "text/calendar", "Content-Disposition": "attachment", "X-Content-Type-Options": "nosniff"}
)
ICS_ACCESS = dict.fromkeys(WHO, NOT_FOUND) | {
    "main_tenant": ICS,
    # Only main tenants book (BKG-7): the others meet the refusal page of the Booking section.
    "family_member": Sees(403),
    "sublessee": Sees(403),
    "guardian": Sees(403),
    "future_tenant": FUTURE,
    "former_tenant": REFUSED,
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("who", WHO)
def test_reservation_ics_only_for_the_main_tenant_who_made_it_NTF_9(client, booked, who):
    response = visit(client, booked, who, f"/bookings/{booked.sauna.pk}/calendar.ics")

    check(response, booked, ICS_ACCESS[who])
    if who == "main_tenant":
        assert "no-store" in response["Cache-Control"]
        assert re.search(r'filename="?heka-sauna-\d+\.ics', response["Content-Disposition"])


def test_sauna_slot_is_a_weekly_event_in_helsinki_time_with_its_timezone_NTF_9(client, booked):
    login(client, booked.main_tenant)

    content = client.get(f"/bookings/{booked.sauna.pk}/calendar.ics").content

    calendar = Calendar.from_ical(content)
    [event] = _events(content)
    start = event.decoded("dtstart")
    assert str(start.tzinfo) == "Europe/Helsinki"
    assert start.time() == time(18)
    assert start.weekday() == 1
    assert booked.starts_on <= start.date() < booked.starts_on + timedelta(days=7)
    assert event.decoded("dtend") - start == timedelta(hours=1)
    rule = event["rrule"]
    assert rule["FREQ"] == ["WEEKLY"]
    assert rule["BYDAY"] == ["TU"]
    assert "UNTIL" not in rule
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Helsinki"]
    assert b"DTSTART;TZID=Europe/Helsinki:" in content
    [zone] = calendar.walk("VTIMEZONE")
    offsets = {part.name: part.decoded("tzoffsetto") for part in zone.subcomponents}
    assert offsets == {"DAYLIGHT": timedelta(hours=3), "STANDARD": timedelta(hours=2)}
    assert all("RRULE" in part for part in zone.subcomponents), "the rule holds in every year the slot repeats"


def test_parking_space_is_an_all_day_event_over_its_days_NTF_9(client, booked):
    login(client, booked.main_tenant)

    [event] = _events(client.get(f"/bookings/{booked.parking.pk}/calendar.ics").content)

    assert event.decoded("dtstart") == booked.starts_on
    assert type(event.decoded("dtstart")) is date
    assert event.decoded("dtend") == booked.ends_on + timedelta(days=1)
    assert "P 7" in str(event["summary"])
    assert event["transp"] == "TRANSPARENT"


def test_sauna_slot_with_an_end_repeats_until_its_last_day_NTF_9(client, booked):
    Reservation.objects.filter(pk=booked.sauna.pk).update(status=Reservation.Status.TERMINATED, ends_on=booked.ends_on)
    booked.sauna.items.update(held_until=booked.ends_on)
    login(client, booked.main_tenant)

    [event] = _events(client.get(f"/bookings/{booked.sauna.pk}/calendar.ics").content)

    until = event["rrule"]["UNTIL"][0]
    assert until.tzinfo is not None
    assert until.utcoffset() == timedelta(0)
    assert until.date() in (booked.ends_on, booked.ends_on + timedelta(days=1))


def test_a_request_in_the_queue_has_no_ics_file_NTF_9(client, booked):
    login(client, booked.main_tenant)

    response = client.get(f"/bookings/{booked.queued.pk}/calendar.ics")
    page = client.get(f"/bookings/{booked.queued.pk}/").content.decode()

    assert response.status_code == 404
    assert "calendar.ics" not in page


def _feed_url(client) -> str:
    """Make (or renew) the logged-in person's calendar link, and read it from the Booking page."""
    client.cookies["django_language"] = "en"
    client.post("/bookings/calendar-link/")
    page = client.get("/bookings/").content.decode()
    [url] = re.findall(r'value="(http://testserver/bookings/calendar/[^"]+\.ics)"', page)
    return url.removeprefix("http://testserver")


def test_feed_shows_only_the_persons_reservations_with_slot_and_place_only_NTF_9(client, booked):
    login(client, booked.main_tenant)
    url = _feed_url(client)
    client.logout()

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"]
    content = response.content
    uids = sorted(str(event["uid"]) for event in _events(content))
    assert len(uids) == 2
    assert all(re.fullmatch(rf"reservation-({booked.sauna.pk}|{booked.parking.pk})-item-\d+@heka-portal", uid) for uid in uids)
    text = content.decode()
    for personal in ("Maija", "Virtanen", "040 123 4567", booked.apartment.number, booked.agreement.number, "@example"):
        assert personal not in text
    assert booked.building.street_address in text


def test_feed_answers_get_and_head_only_NTF_9(client, booked):
    url = f"/bookings/calendar/{feed_token(calendar_feed_renew(person=booked.main_tenant))}.ics"

    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


def test_renewing_the_link_revokes_the_old_one_NTF_9(client, booked):
    login(client, booked.main_tenant)
    old = _feed_url(client)
    new = _feed_url(client)
    client.logout()

    assert old != new
    assert client.get(new).status_code == 200
    revoked = client.get(old)
    assert revoked.status_code == 404
    assert b"BEGIN:VCALENDAR" not in revoked.content
    assert b"Virtanen" not in revoked.content


def test_renewing_the_link_is_post_only_and_for_main_tenants_NTF_9(client, booked):
    login(client, booked.main_tenant)
    assert client.get("/bookings/calendar-link/").status_code == 405
    assert not CalendarFeed.objects.exists()

    login(client, booked.sublessee)
    assert client.post("/bookings/calendar-link/").status_code == 403
    assert not CalendarFeed.objects.exists()

    client.logout()
    assert client.post("/bookings/calendar-link/").status_code == 302
    assert not CalendarFeed.objects.exists()


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature changed
        lambda token: token.replace(token.split(".")[0], str(int(token.split(".")[0]) + 1), 1),  # another person
        lambda token: "x" * 60,
        lambda token: "",
    ],
)
def test_forged_token_is_a_404_that_says_nothing_NTF_9(client, booked, forge):
    feed = calendar_feed_renew(person=booked.main_tenant)
    calendar_feed_renew(person=booked.stranger)
    token = forge(feed_token(feed))

    response = client.get(f"/bookings/calendar/{token}.ics")

    assert response.status_code == 404
    assert b"BEGIN:VCALENDAR" not in response.content
    assert b"Virtanen" not in response.content


def test_guessing_tokens_is_rate_limited_per_client_NTF_9(client, booked, settings):
    feed = calendar_feed_renew(person=booked.main_tenant)
    limit = views.FEED_MISSES.attempts

    answers = [client.get(f"/bookings/calendar/guess{number}.ics").status_code for number in range(limit + 1)]
    right_token = client.get(f"/bookings/calendar/{feed_token(feed)}.ics")

    assert answers == [404] * limit + [429]
    assert right_token.status_code == 429
    assert int(right_token["Retry-After"]) > 0


def test_one_feed_is_rate_limited_NTF_9(client, booked, monkeypatch):
    monkeypatch.setattr(views, "FEED_FETCHES", views.RateLimit(scope="calendar-feed-test", attempts=3, window_seconds=3600))
    url = f"/bookings/calendar/{feed_token(calendar_feed_renew(person=booked.main_tenant))}.ics"

    answers = [client.get(url).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]


def test_feed_token_never_reaches_the_logs_NTF_9(booked):
    token = feed_token(calendar_feed_renew(person=booked.main_tenant))
    path = f"/bookings/calendar/{token}.ics"
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "%s: %s", ("Not Found", path), None)

    RedactTokensFilter().filter(record)

    assert redact_path(path) == "/bookings/calendar/[token]"
    assert token not in record.getMessage()
    assert "/bookings/calendar/[token]" in record.getMessage()
    assert redact_path("/bookings/calendar-link/") == "/bookings/calendar-link/"


def test_the_feed_of_someone_no_longer_a_main_tenant_is_empty_NTF_9(client, booked):
    url = f"/bookings/calendar/{feed_token(calendar_feed_renew(person=booked.main_tenant))}.ics"
    booked.agreement.party_links.filter(person=booked.main_tenant).delete()

    response = client.get(url)

    assert response.status_code == 200
    assert _events(response.content) == []
