"""BKG-1: a tenant's second request for the same space or slot is refused with a clear message and
creates nothing (the service under the resource locks, and the database for open requests).
BKG-6: an offer that has not started is declined by the resident (POST only, idempotent); staff
see it as withdrawn and the space is free for the next in the queue."""

from datetime import timedelta
from functools import partial

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from bookings.dates import earliest_start
from bookings.models import Reservation, ReservationItem
from bookings.services import DuplicateRequest, allocation_run, holds_on, reservation_request, reservation_withdraw, resource_key
from tenancy.staff_groups import BOOKING_HANDLER
from tests.bookings.test_concurrency import run_at_once
from tests.factories.bookings import ReservationFactory
from tests.tenancy.pages import WHO, login, visit
from tests.tenancy.test_admin_audit import staff_in


@pytest.fixture
def main_client(client, resources):
    login(client, resources.main_tenant)
    client.cookies["django_language"] = "en"
    return client


def _parking_form(resources, today) -> tuple[str, dict]:
    url = f"/bookings/agreements/{resources.agreement.pk}/new/parking/"
    return url, {"parking_space": resources.space.pk, "wanted_start": earliest_start(today).isoformat(), "message": "Farmari"}


def test_the_same_request_sent_twice_is_refused_with_a_clear_message_and_nothing_created_BKG_1(main_client, resources, today):
    url, data = _parking_form(resources, today)
    main_client.post(url, data)
    first = Reservation.objects.get()

    response = main_client.post(url, data)

    assert response.status_code == 409
    page = response.content.decode()
    assert "You already have a booking request or reservation for this space or sauna slot; no new one was made." in page
    assert f'href="/bookings/{first.pk}/"' in page
    assert "Farmari</textarea>" in page, "what the resident typed is kept"
    assert Reservation.objects.count() == 1
    assert ReservationItem.objects.count() == 1


def _request(resources, today, *, tenant=None, slots=None, space=None):
    kind = "sauna" if slots else "parking"
    return reservation_request(
        agreement=resources.agreement,
        requested_by=tenant or resources.main_tenant,
        tenant=tenant or resources.main_tenant,
        kind=kind,
        wanted_start=earliest_start(today),
        parking_space=space if not slots else None,
        sauna_slots=slots or (),
        today=today,
    )


def test_a_sauna_request_overlapping_an_open_one_is_refused_by_the_service_BKG_1(resources, today):
    first = _request(resources, today, slots=resources.slots[:2])

    with pytest.raises(DuplicateRequest) as refused:
        _request(resources, today, slots=resources.slots[1:2])

    assert refused.value.reservation_id == first.reservation.pk
    assert Reservation.objects.count() == 1
    # Another slot is another request.
    assert _request(resources, today, slots=[resources.other_day_slot]).reservation.pk != first.reservation.pk


def test_the_co_tenant_may_queue_for_the_same_space_and_a_withdrawn_request_may_be_made_again_BKG_1(resources, today):
    first = _request(resources, today, space=resources.space)
    assert _request(resources, today, tenant=resources.co_tenant, space=resources.space).reservation.status == "requested"

    assert reservation_withdraw(reservation=first.reservation, today=today)
    again = _request(resources, today, space=resources.space)
    assert again.reservation.pk != first.reservation.pk


def test_the_database_refuses_a_second_open_item_of_one_tenant_for_one_space_BKG_1(resources, today):
    first = _request(resources, today, space=resources.space)
    second = ReservationFactory.create(agreement=resources.agreement, requested_by=resources.main_tenant, status="cancelled")

    with pytest.raises(IntegrityError), transaction.atomic():
        ReservationItem.objects.create(reservation=second, parking_space=resources.space, open_tenant=first.reservation.tenant)
    # A closed request keeps no mark, so it does not count.
    ReservationItem.objects.create(reservation=second, parking_space=resources.space)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_identical_requests_sent_at_once_create_one_BKG_1(resources, today):
    url, data = _parking_form(resources, today)
    user = login(Client(), resources.main_tenant)
    clients = []
    for _ in range(6):
        client = Client()
        client.force_login(user)
        clients.append(client)

    results = run_at_once([partial(client.post, url, data) for client in clients])

    assert sorted(result.status_code for result in results) == [302] + [409] * 5
    assert Reservation.objects.count() == 1


@pytest.fixture
def offer(resources, today):
    """The main tenant's parking request, offered from the first of next month, not yet started."""
    outcome = _request(resources, today, space=resources.space)
    assert outcome.granted
    resources.reservation = outcome.reservation
    return resources


def test_the_resident_declines_an_offer_before_it_starts_BKG_6(main_client, offer, tenant_factory, today):
    page = main_client.get(f"/bookings/{offer.reservation.pk}/").content.decode()
    assert "Decline the offer" in page
    assert "Terminate the reservation" not in page, "an offer not yet started is declined, not terminated with notice"

    response = main_client.post(f"/bookings/{offer.reservation.pk}/withdraw/", follow=True)

    assert "You declined the offer." in response.content.decode()
    offer.reservation.refresh_from_db()
    assert offer.reservation.status == Reservation.Status.WITHDRAWN
    assert holds_on([resource_key(offer.space)], on_or_after=today) == {}, "the space is free again"
    # The next in the queue can get it.
    other = tenant_factory(offer.building)
    queued = ReservationFactory.create(agreement=other.agreement, requested_by=other.person, resource=offer.space)
    assert allocation_run(parking_spaces=[offer.space.pk], today=today).granted == 1
    queued.refresh_from_db()
    assert queued.status == Reservation.Status.OFFERED


def test_declining_twice_changes_nothing_the_second_time_BKG_6(main_client, offer):
    main_client.post(f"/bookings/{offer.reservation.pk}/withdraw/", follow=True)
    changed_at = Reservation.objects.get().status_changed_at

    response = main_client.post(f"/bookings/{offer.reservation.pk}/withdraw/", follow=True)

    assert "You declined the offer." not in response.content.decode()
    assert Reservation.objects.get().status_changed_at == changed_at


def test_declining_is_post_only_BKG_6(main_client, offer):
    assert main_client.get(f"/bookings/{offer.reservation.pk}/withdraw/").status_code == 405
    assert Reservation.objects.get().status == Reservation.Status.OFFERED


@pytest.mark.parametrize("status", ["offered", "agreement_sent", "active"])
def test_a_started_or_signed_reservation_cannot_be_declined_only_terminated_BKG_6_BKG_8(main_client, resources, today, status):
    started = ReservationFactory.create(
        agreement=resources.agreement,
        requested_by=resources.main_tenant,
        status=status,
        starts_on=today if status != "active" else today + timedelta(days=40),
        resource=resources.space,
        resource__held_from=today,
    )
    main_client.post(f"/bookings/{started.pk}/withdraw/")

    started.refresh_from_db()
    assert started.status == status
    assert "Terminate the reservation" in main_client.get(f"/bookings/{started.pk}/").content.decode()


@pytest.mark.parametrize("who", WHO)
def test_only_the_maker_may_decline_an_offer_BKG_7(client, offer, who):
    response = visit(client, offer, who, "/bookings/{reservation.pk}/withdraw/", method="post")
    offer.reservation.refresh_from_db()
    if who == "main_tenant":
        assert response.status_code == 302
        assert offer.reservation.status == Reservation.Status.WITHDRAWN
    else:
        assert response.status_code < 500
        assert offer.reservation.status == Reservation.Status.OFFERED


def test_staff_see_the_declined_offer_as_withdrawn_by_the_resident_BKG_6(client, main_client, offer):
    main_client.post(f"/bookings/{offer.reservation.pk}/withdraw/")
    main_client.logout()
    staff_in(client, BOOKING_HANDLER)
    client.cookies["django_language"] = "en"

    listing = client.get("/admin/bookings/reservation/?status__exact=withdrawn").content.decode()

    assert "Withdrawn by the resident" in listing
    assert f"/admin/bookings/reservation/{offer.reservation.pk}/change/" in listing


def test_a_request_with_a_start_far_ahead_is_declinable_until_it_starts_BKG_6(resources, today):
    outcome = _request(resources, today, space=resources.space)
    day_before = outcome.reservation.starts_on - timedelta(days=1)
    assert not reservation_withdraw(reservation=outcome.reservation, today=outcome.reservation.starts_on)
    assert reservation_withdraw(reservation=outcome.reservation, today=day_before)
