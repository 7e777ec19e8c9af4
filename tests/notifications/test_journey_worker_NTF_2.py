"""The e-mails of whole journeys through a real Celery worker on Redis to a real SMTP server, each
exactly once and in the recipient's language (NTF-1, NTF-2, NTF-4): a defect received, in progress
and done; a booking requested, offered by the allocation, agreement sent, active and terminated;
a termination given on an agreement with two signatories."""

import time
from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from django.utils import translation
from django.utils.formats import date_format

from accounts.models import User
from bookings import services as booking_services
from bookings.models import Reservation
from heka_portal.models import OutboxEmail
from servicerequests import services as request_services
from servicerequests.forms.common import Home
from tenancy import services as tenancy_services
from tenancy.dates import termination_end_date
from tests.factories.bookings import ParkingSpaceFactory, ReservationFactory
from tests.factories.tenancy import PersonFactory
from tests.outbox.test_worker import _parts, mailbox, worker  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.redis, pytest.mark.postgres]


def _subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


@pytest.mark.django_db(transaction=True)
def test_three_journeys_reach_smtp_once_each_in_the_recipients_language_NTF_2(household, today, worker, mailbox):  # noqa: F811
    h = household
    h.main_tenant.preferred_language = "fi"
    h.main_tenant.save()
    h.co_tenant.preferred_language = "sv"
    h.co_tenant.save()
    User.objects.create_user("maija@example.com", "x", person=h.main_tenant)
    User.objects.create_user("matti@example.com", "x", person=h.co_tenant)

    # A defect: received, in progress, done, reopened by its sender, done again, confirmed (NTF-7).
    defect = request_services.defect_create(
        person=h.main_tenant,
        home=Home(h.apartment, h.main_tenant, False, h.agreement),
        category="water",
        location="kitchen",
        location_details="",
        description="Hana vuotaa",
        master_key_allowed=False,
        has_pets=False,
        pets_details="",
        photos=[],
    )
    for status in ("in_progress", "done"):
        request_services.request_change_status(request=defect, status=status, staff_user=None)
    assert request_services.defect_reopen(defect=defect, reason="Hana vuotaa yhä", rating=2)
    assert not request_services.defect_reopen(defect=defect, reason="Hana vuotaa yhä", rating=2), "a double click"
    request_services.request_change_status(request=defect, status="done", staff_user=None)
    assert request_services.defect_confirm(defect=defect, rating=4)
    assert not request_services.defect_confirm(defect=defect, rating=4), "a double click"

    # A booking: the space is held by a neighbour until the end of next month, so it queues.
    space = ParkingSpaceFactory.create(building=h.building, number="P 9")
    first_of_next = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    held_until = (first_of_next + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    ReservationFactory(
        agreement=h.stranger_agreement,
        requested_by=PersonFactory(),
        resource=space,
        resource__held_from=today - timedelta(days=60),
        resource__held_until=held_until,
        status=Reservation.Status.TERMINATED,
        starts_on=today - timedelta(days=60),
        ends_on=held_until,
    )
    outcome = booking_services.reservation_request(
        agreement=h.agreement,
        requested_by=h.co_tenant,
        tenant=h.co_tenant,
        kind="parking",
        wanted_start=first_of_next,
        parking_space=space,
    )
    reservation = outcome.reservation
    assert not outcome.granted
    booking_services.allocation_run(parking_spaces=[space.pk])
    reservation.refresh_from_db()
    assert reservation.status == Reservation.Status.OFFERED
    for status in (Reservation.Status.AGREEMENT_SENT, Reservation.Status.ACTIVE):
        assert booking_services.reservation_set_status(reservation=reservation, status=status)
    assert reservation.starts_on is not None
    assert booking_services.reservation_terminate(
        reservation=reservation, acting_person=h.co_tenant, notice_date=reservation.starts_on
    )

    # A termination of the agreement the two of them signed.
    tenancy_services.termination_notice_create(
        agreement=h.agreement, submitted_by=h.main_tenant, on_behalf_of=None, notice_date=today
    )

    expected = 6 + 5 + 2 + 2  # defect, booking, a confirmation to each signatory, two to customer service
    messages = mailbox.wait_for(expected, timeout=60)
    time.sleep(2)  # a second copy of any would have arrived by now
    assert len(messages) == expected, [_subject(m) for m in messages]
    assert len({m["Message-ID"] for m in messages}) == expected
    assert not OutboxEmail.objects.exclude(status=OutboxEmail.Status.SENT).exists()

    by_to: dict[str, list] = {}
    for message in messages:
        by_to.setdefault(message["To"], []).append(message)
    maija, matti = by_to["maija@example.com"], by_to["matti@example.com"]
    assert {m["Content-Language"] for m in maija} == {"fi"}
    assert {m["Content-Language"] for m in matti} == {"sv"}
    assert len(by_to["asiakaspalvelu@heka.example"]) == 2

    defect_subjects = [_subject(m) for m in maija if f"V-{defect.pk}" in _parts(m)["text/plain"]]
    # Two workers send them: the order of arrival is not the order of events.
    assert sorted(defect_subjects) == sorted(
        [
            "Vastaanotettu: Vikailmoitus: Vesi, viemärit tai vuodot",
            "Vikailmoitus: Vesi, viemärit tai vuodot — uusi tila: Käsittelyssä",
            "Vikailmoitus: Vesi, viemärit tai vuodot — uusi tila: Valmis",
            "Vikailmoitus: Vesi, viemärit tai vuodot — uusi tila: Vastaanotettu",
            "Vikailmoitus: Vesi, viemärit tai vuodot — uusi tila: Valmis",
            "Vastaanotettu: Vikailmoitus: Vesi, viemärit tai vuodot",
        ]
    )
    texts = [_parts(m)["text/plain"] for m in maija if f"V-{defect.pk}" in _parts(m)["text/plain"]]
    assert sum("palasi jonoon" in text for text in texts) == 1, "the reopen is told once"
    assert sum("Kiitos" in text for text in texts) == 1, "the confirmation is told once"
    booking = [m for m in matti if f"B-{reservation.pk}" in _parts(m)["text/plain"]]
    assert len(booking) == 5
    assert _subject(booking[0]).startswith("Mottaget: ")
    for message, status in zip(booking[1:], ("Erbjuden", "Avtalet skickat", "Aktiv", "Uppsagd"), strict=True):
        assert status in _subject(message)

    ends_on = termination_end_date(today)
    for person_mail, language in ((maija, "fi"), (matti, "sv")):
        with translation.override(language):
            day = date_format(ends_on, "SHORT_DATE_FORMAT")
        [confirmation] = [m for m in person_mail if "I-" in _parts(m)["text/plain"]]
        parts = _parts(confirmation)
        assert day in parts["text/plain"]
        assert set(parts) == {"text/plain", "text/html"}
