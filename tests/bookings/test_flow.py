"""The request flow through the pages (BKG-1..BKG-3) and the termination (BKG-8)."""

from datetime import date
from typing import Any

import pytest
from django.core import mail

from bookings.dates import earliest_start, start_choices, termination_end_date
from bookings.models import Reservation
from bookings.services import reservation_terminate
from tests.factories.bookings import ReservationFactory
from tests.tenancy.pages import login


@pytest.fixture
def main_client(client, resources):
    login(client, resources.main_tenant)
    client.cookies["django_language"] = "en"
    return client


def new_url(household, kind: str) -> str:
    return f"/bookings/agreements/{household.agreement.pk}/new/{kind}/"


def test_requesting_a_free_parking_space_creates_a_request_offered_at_once_BKG_1(main_client, resources, today):
    response = main_client.post(
        new_url(resources, "parking"),
        {
            "parking_space": resources.ev_space.pk,
            "electric_car": "on",
            "wanted_start": earliest_start(today).isoformat(),
            "message": "Täyssähköauto",
        },
        follow=True,
    )

    reservation = Reservation.objects.get()
    assert response.redirect_chain[-1][0] == f"/bookings/{reservation.pk}/"
    assert (reservation.kind, reservation.status, reservation.electric_car) == ("parking", "offered", True)
    assert (reservation.requested_by, reservation.tenant, reservation.agreement) == (
        resources.main_tenant,
        resources.main_tenant,
        resources.agreement,
    )
    body = response.content.decode()
    assert "The space was free and is now offered to you." in body
    assert "Do not use the space or the sauna slot before customer service has been in touch with you." in body


def test_requesting_several_consecutive_sauna_slots_with_a_later_start_BKG_1_BKG_2(main_client, resources, today):
    later = start_choices(today)[2]
    main_client.post(
        new_url(resources, "sauna"),
        {"sauna_slots": [resources.slots[0].pk, resources.slots[1].pk], "flexible": "on", "wanted_start": later.isoformat()},
    )

    reservation = Reservation.objects.get()
    assert (reservation.kind, reservation.wanted_start, reservation.starts_on, reservation.flexible) == (
        "sauna",
        later,
        later,
        True,
    )
    assert reservation.items.count() == 2


def test_sauna_slots_that_do_not_follow_each_other_get_a_message_BKG_2(main_client, resources, today):
    response = main_client.post(
        new_url(resources, "sauna"),
        {"sauna_slots": [resources.slots[0].pk, resources.slots[2].pk], "wanted_start": earliest_start(today).isoformat()},
    )

    assert response.status_code == 200
    assert "Choose slots that follow each other in the same sauna on the same day" in response.content.decode()
    assert not Reservation.objects.exists()


def test_the_start_cannot_be_this_month_nor_another_buildings_space_BKG_1_BKG_3(main_client, resources, today):
    response = main_client.post(
        new_url(resources, "parking"), {"parking_space": resources.foreign_space.pk, "wanted_start": today.isoformat()}
    )

    form = response.context["form"]
    assert set(form.errors) == {"parking_space", "wanted_start"}
    assert not Reservation.objects.exists()


def test_a_reserved_space_is_listed_and_the_request_joins_its_queue_BKG_1_BKG_4(main_client, resources, tenant_factory, today):
    other = tenant_factory(resources.building)
    ReservationFactory.create(
        agreement=other.agreement,
        requested_by=other.person,
        status="active",
        resource=resources.space,
        resource__held_from=date(2025, 1, 1),
    )
    page = main_client.get(new_url(resources, "parking")).content.decode()
    assert "P 7 — Ordinary, 35.00 € a month (reserved)" in page
    assert "P 8 — Electric-car charging, 35.00 € a month (free)" in page

    response = main_client.post(
        new_url(resources, "parking"),
        {"parking_space": resources.space.pk, "wanted_start": earliest_start(today).isoformat()},
        follow=True,
    )

    assert "Your booking request was sent and is in the queue." in response.content.decode()
    assert Reservation.objects.get(requested_by=resources.main_tenant).status == "requested"


def test_an_unknown_kind_is_not_found(main_client, resources):
    assert main_client.get(new_url(resources, "boat")).status_code == 404


@pytest.fixture
def active(resources):
    return ReservationFactory.create(
        agreement=resources.agreement,
        requested_by=resources.main_tenant,
        status="active",
        starts_on=date(2025, 1, 1),
        resource=resources.space,
        resource__held_from=date(2025, 1, 1),
    )


def test_termination_shows_the_end_date_before_sending_and_tells_customer_service_BKG_8(
    main_client, resources, active, today, django_capture_on_commit_callbacks
):
    url = f"/bookings/{active.pk}/terminate/"
    end = termination_end_date(today)

    review = main_client.post(url, {"step": "review", "message": "Muutan pois."})

    assert "Confirm the termination" in review.content.decode()
    active.refresh_from_db()
    assert active.status == "active", "nothing is sent before the confirmation"

    with django_capture_on_commit_callbacks(execute=True):
        sent = main_client.post(url, {"step": "send", "message": "Muutan pois.", "expected_end": end.isoformat()}, follow=True)

    active.refresh_from_db()
    assert (active.status, active.ends_on, active.notice_date) == ("terminated", end, today)
    assert "Your notice of termination was sent to customer service." in sent.content.decode()
    [email, confirmation] = sorted(mail.outbox, key=lambda message: message.to != ["asiakaspalvelu@heka.example"])
    assert email.to == ["asiakaspalvelu@heka.example"]
    assert confirmation.to != email.to, "the resident gets the confirmation with the end date (NTF-4)"
    assert resources.agreement.number in email.subject
    assert "P 7" in email.body
    assert "Muutan pois." in email.body
    assert end.strftime("%-d.%-m.%Y") in email.body


def test_a_termination_is_sent_once_BKG_8(resources, active, today, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = reservation_terminate(reservation=active, acting_person=resources.main_tenant, notice_date=today)
        again = reservation_terminate(reservation=active, acting_person=resources.main_tenant, notice_date=today)
    assert (first, again) == (True, False)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        ["asiakaspalvelu@heka.example", resources.main_tenant.email]
    ), "once to customer service and once to the resident (NTF-4)"


def test_the_end_date_changing_between_the_steps_is_shown_again_BKG_8(main_client, active):
    response = main_client.post(f"/bookings/{active.pk}/terminate/", {"step": "send", "expected_end": "2020-01-31"})

    assert "The date changed while you were filling in the notice" in response.content.decode()
    active.refresh_from_db()
    assert active.status == "active"


def test_terminating_a_reservation_that_has_not_started_cancels_it_BKG_8(resources, tenant_factory, today):
    reservation = ReservationFactory.create(
        agreement=resources.agreement,
        requested_by=resources.main_tenant,
        status="offered",
        starts_on=date(today.year + 1, 6, 1),
        resource=resources.space,
        resource__held_from=date(today.year + 1, 6, 1),
    )

    reservation_terminate(reservation=reservation, acting_person=resources.main_tenant, notice_date=today)

    reservation.refresh_from_db()
    assert reservation.status == "cancelled"
    assert reservation.items.get().held_from is None


def test_a_rule_broken_between_form_and_sending_gets_a_message_not_an_error_page_X_4(main_client, resources, today, monkeypatch):
    from bookings import services

    def refuse(**kwargs: Any) -> None:
        raise services.BookingError("withdrawn meanwhile")

    monkeypatch.setattr(services, "reservation_request", refuse)
    response = main_client.post(
        new_url(resources, "parking"), {"parking_space": resources.space.pk, "wanted_start": earliest_start(today).isoformat()}
    )

    assert response.status_code == 200
    assert "The choice is no longer available." in response.content.decode()
    assert not Reservation.objects.exists()
