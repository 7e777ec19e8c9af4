"""BKG-1: the additional information of a request is offered on the form of its kind and kept on
the request for customer service: electric car and disabled parking permit for parking, another
day or time for the sauna."""

from bookings.dates import earliest_start
from bookings.models import Reservation
from tests.tenancy.pages import login


def test_parking_request_keeps_the_disabled_parking_permit_BKG_1(client, resources, today):
    login(client, resources.main_tenant)
    client.cookies["django_language"] = "en"
    url = f"/bookings/agreements/{resources.agreement.pk}/new/parking/"
    form = client.get(url).content.decode()
    assert "I have a disabled parking permit" in form
    assert 'name="electric_car"' in form

    response = client.post(
        url,
        {
            "parking_space": resources.space.pk,
            "disability_permit": "on",
            "wanted_start": earliest_start(today).isoformat(),
            "message": "",
        },
    )

    assert response.status_code == 302
    reservation = Reservation.objects.get()
    assert (reservation.disability_permit, reservation.electric_car) == (True, False)


def test_sauna_request_does_not_ask_about_cars_or_permits_BKG_1(client, resources):
    login(client, resources.main_tenant)
    client.cookies["django_language"] = "en"
    form = client.get(f"/bookings/agreements/{resources.agreement.pk}/new/sauna/").content.decode()
    assert "I am willing to take another day or time" in form
    assert 'name="disability_permit"' not in form
    assert 'name="electric_car"' not in form
