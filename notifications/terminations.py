"""NTF-4: a termination of the rental agreement (TEN-6) is confirmed to every signatory, with the
computed end date and the reservations of theirs (BKG-*) that run past it."""

from django.db.models import Q
from django.utils import translation

from tenancy.models import TerminationNotice

from .kinds import Kind
from .references import reference_for
from .services import About, notify


def _running_past(notice: TerminationNotice, person_id: int, language: str) -> list[dict]:
    from bookings.models import Reservation

    reservations = (
        Reservation.objects.filter(agreement=notice.agreement, tenant_id=person_id, status__in=Reservation.HOLDING)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=notice.ends_on))
        .prefetch_related("items__parking_space__building", "items__sauna_slot__building")
        .order_by("pk")
    )
    with translation.override(language):
        return [
            {
                "kind": reservation.kind,
                "reference": reference_for(reservation),
                "place": "; ".join(str(item.resource) for item in reservation.items.all()),
            }
            for reservation in reservations
        ]


def termination_confirmation_send(*, notice: TerminationNotice) -> int:
    """Tell each signatory of the notice's agreement; returns how many were told."""
    parties = list(notice.agreement.parties.all())
    for person in parties:
        notify(
            recipient=person,
            kind=Kind.TERMINATION_CONFIRMED,
            about=About.of(notice, reference=reference_for(notice), url_name="termination_detail", url_args=[notice.pk]),
            params={
                "item": "termination",
                "notice_date": notice.notice_date.isoformat(),
                "ends_on": notice.ends_on.isoformat(),
                "reservations": _running_past(notice, person.pk, person.preferred_language),
            },
            key=f"termination-{notice.pk}-confirmed-{person.pk}",
        )
    return len(parties)
