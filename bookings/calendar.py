"""Sauna and parking in the resident's own calendar (NTF-9): an ICS file per reservation and a
personal feed of all of them, built with `icalendar`.

A sauna slot is a weekly event in Europe/Helsinki (with the zone's VTIMEZONE, so a calendar shows
18.00 in summer and in winter); a parking space is an all-day event over the reservation's days,
or on its first day while it runs until further notice. The files hold the slot and the place
only: no name, no apartment, nothing the resident wrote.
"""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core import signing
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from tenancy.models import Person

from .models import CalendarFeed, Reservation, ReservationItem

HELSINKI = ZoneInfo("Europe/Helsinki")
PRODID = "-//Heka//Resident Portal//EN"
# Reservations that hold their space or slot, and terminated ones until they end.
IN_CALENDAR = (*Reservation.HOLDING, Reservation.Status.TERMINATED)
# How long an ended reservation stays in the feed, so that its last weeks do not vanish at once.
ENDED_KEPT_DAYS = 90

_feed_signer = signing.Signer(salt="bookings.calendar-feed")


def feed_token(feed: CalendarFeed) -> str:
    return _feed_signer.sign(f"{feed.person_id}.{feed.key}")


def feed_for_token(token: str) -> CalendarFeed | None:
    """The feed a token opens, or None for a forged, malformed or revoked (renewed) token."""
    try:
        person_id, key = _feed_signer.unsign(token).split(".", 1)
    except (signing.BadSignature, ValueError):
        return None
    if not person_id.isdigit():
        return None
    feed = CalendarFeed.objects.filter(person_id=int(person_id)).select_related("person").first()
    if feed is None or not constant_time_compare(feed.key, key):
        return None
    return feed


def in_calendar(reservation: Reservation, *, today: date) -> bool:
    if reservation.status not in IN_CALENDAR or reservation.starts_on is None:
        return False
    return reservation.ends_on is None or reservation.ends_on >= today - timedelta(days=ENDED_KEPT_DAYS)


def calendar_for(reservations: Iterable[Reservation], *, language: str, name: str) -> bytes:
    """An iCalendar file of `reservations` (their items prefetched) in `language`."""
    calendar = Calendar.new(prodid=PRODID, name=name)
    calendar.add("method", "PUBLISH")
    with translation.override(language):
        for reservation in reservations:
            for item in reservation.items.all():
                calendar.add_component(_event(reservation, item))
    calendar.add_component(_helsinki_timezone())
    return calendar.to_ical()


def _helsinki_timezone() -> Timezone:
    """Europe/Helsinki as the EU's rule has it since 1996 (summer time from the last Sunday of March
    03.00 to the last Sunday of October 04.00 local time), as rules rather than the dates of each
    change until 2038, so that a weekly slot is right in every year it repeats."""
    timezone_ = Timezone()
    timezone_.add("tzid", "Europe/Helsinki")
    for kind, name, since, offset_from, offset_to, month in (
        (TimezoneDaylight, "EEST", datetime(1996, 3, 31, 3), timedelta(hours=2), timedelta(hours=3), 3),
        (TimezoneStandard, "EET", datetime(1996, 10, 27, 4), timedelta(hours=3), timedelta(hours=2), 10),
    ):
        part = kind()
        part.add("tzname", name)
        part.add("dtstart", since)
        part.add("tzoffsetfrom", offset_from)
        part.add("tzoffsetto", offset_to)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1SU"})
        timezone_.add_component(part)
    return timezone_


def reservation_calendar(reservation: Reservation, *, person: Person) -> bytes:
    return calendar_for([reservation], language=person.preferred_language, name=_calendar_name(person))


def feed_calendar(feed: CalendarFeed, reservations: Iterable[Reservation]) -> bytes:
    return calendar_for(reservations, language=feed.person.preferred_language, name=_calendar_name(feed.person))


def _calendar_name(person: Person) -> str:
    with translation.override(person.preferred_language):
        return _("Heka: sauna and parking")


def _uid(reservation: Reservation, item: ReservationItem, suffix: str = "") -> str:
    return f"reservation-{reservation.pk}-item-{item.pk}{suffix}@heka-portal"


def _place(item: ReservationItem) -> str:
    building = item.resource.building
    return f"{building.street_address}, {building.postal_code} {building.city}"


def _event(reservation: Reservation, item: ReservationItem) -> Event:
    starts_on = item.held_from or reservation.starts_on
    ends_on = item.held_until or reservation.ends_on
    if starts_on is None:
        raise RuntimeError("starts_on is missing")
    stamp = timezone.now().replace(microsecond=0)
    if item.sauna_slot is not None:
        slot = item.sauna_slot
        first_day = starts_on + timedelta(days=(slot.weekday - starts_on.weekday()) % 7)
        start = datetime.combine(first_day, slot.starts_at, tzinfo=HELSINKI)
        event = Event.new(
            uid=_uid(reservation, item),
            stamp=stamp,
            start=start,
            end=start + timedelta(minutes=slot.length_minutes),
            summary=_("Sauna: %(sauna)s") % {"sauna": slot.sauna} if slot.place else _("Sauna"),
            location=_place(item),
        )
        rule: dict[str, object] = {"freq": "weekly", "byday": ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][slot.weekday]}
        if ends_on is not None:
            # RFC 5545: with a zoned start, UNTIL is in UTC: the end of the last day in Helsinki.
            rule["until"] = datetime.combine(ends_on, time(23, 59, 59), tzinfo=HELSINKI).astimezone(ZoneInfo("UTC"))
        event.add("rrule", rule)
        return event
    space = item.parking_space
    if space is None:
        raise RuntimeError("space is missing")
    label = f"{space.area} {space.number}".strip()
    if ends_on is None:
        # Until further notice: the first day, as a reminder; the feed shows the span once it ends.
        summary, last_day = _("Parking space %(space)s: reservation starts") % {"space": label}, starts_on
    else:
        summary, last_day = _("Parking space %(space)s") % {"space": label}, ends_on
    event = Event.new(
        uid=_uid(reservation, item),
        stamp=stamp,
        start=starts_on,
        end=last_day + timedelta(days=1),
        summary=summary,
        location=_place(item),
    )
    event.add("transp", "TRANSPARENT")  # the space is reserved; the resident is not busy
    return event
