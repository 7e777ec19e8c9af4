"""The bookings app's part of "Download my data" (X-10): the requests and reservations the person
made or that were made in their name."""

from typing import Any

from django.db.models import Q

from tenancy.models import Person

from .models import Reservation


def export_for_person(person: Person) -> dict[str, Any]:
    reservations = (
        Reservation.objects.filter(Q(requested_by=person) | Q(tenant=person))
        .select_related("agreement")
        .prefetch_related("items__parking_space__building", "items__sauna_slot__building")
        .order_by("created_at")
    )
    return {
        "reservations": [
            {
                "kind": reservation.kind,
                "agreement": reservation.agreement.number,
                "booked": [str(item.resource) for item in reservation.items.all()],
                "electric_car": reservation.electric_car,
                "disabled_parking_permit": reservation.disability_permit,
                "willing_to_take_another_time": reservation.flexible,
                "message": reservation.message,
                "wanted_start": reservation.wanted_start,
                "status": reservation.status,
                "starts_on": reservation.starts_on,
                "ends_on": reservation.ends_on,
                "notice_date": reservation.notice_date,
                "requested_at": reservation.created_at,
            }
            for reservation in reservations
        ]
    }
