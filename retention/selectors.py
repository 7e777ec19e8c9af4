"""Whose data the storage limitation removes (OPS-8).

A person is due when they held a tenancy (a main tenant's agreement or a place in the register
of occupants), every one of them ended before the cut-off day, and nothing is open with them:

- a request to Heka, a booking request or reservation, a notice of moving or termination that
  customer service has not handled;
- an invoice of one of their agreements that is not paid in full (Heka may still claim it);
- a guardianship that has not ended, as guardian or as ward;
- a housing application submitted after the cut-off day;
- a staff account (staff are not residents; their accounts are closed by hand).
"""

from datetime import date, datetime, time

from django.db.models import DecimalField, Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from applications.models import Applicant
from bookings.models import Reservation
from servicerequests.models import ResidentRequest
from servicerequests.models.base import OPEN_STATUSES
from tenancy.models import (
    AgreementParty,
    Guardianship,
    Invoice,
    Occupancy,
    OccupantChangeNotice,
    Person,
    TerminationNotice,
)

from .models import AnonymisedPerson

_OPEN_RESERVATIONS = (Reservation.Status.REQUESTED, *Reservation.HOLDING)


def _live(ends_on: str, cutoff: date) -> Q:
    return Q(**{f"{ends_on}__isnull": True}) | Q(**{f"{ends_on}__gte": cutoff})


def _open_matters(cutoff: date) -> list[Exists]:
    me = OuterRef("pk")
    cutoff_moment = timezone.make_aware(datetime.combine(cutoff, time.min))
    unpaid = (
        Invoice.objects.filter(agreement__party_links__person=me)
        .annotate(paid=Coalesce(Sum("payments__amount"), Value(0), output_field=DecimalField()))
        .filter(paid__lt=F("amount"))
    )
    return [
        Exists(ResidentRequest.objects.filter(Q(submitted_by=me) | Q(on_behalf_of=me), status__in=OPEN_STATUSES)),
        Exists(Reservation.objects.filter(Q(requested_by=me) | Q(tenant=me), status__in=_OPEN_RESERVATIONS)),
        Exists(TerminationNotice.objects.filter(submitted_by=me, status=TerminationNotice.Status.RECEIVED)),
        Exists(OccupantChangeNotice.objects.filter(submitted_by=me, status=OccupantChangeNotice.Status.RECEIVED)),
        Exists(unpaid),
        Exists(Guardianship.objects.filter(Q(guardian=me) | Q(ward=me)).filter(_live("ends_on", cutoff))),
        Exists(Applicant.objects.filter(person=me, application__submitted_at__gte=cutoff_moment)),
        Exists(User.objects.filter(person=me, is_staff=True)),
    ]


def persons_due(*, cutoff: date) -> QuerySet[Person]:
    """Persons whose data is to be removed: last tenancy ended before `cutoff`, nothing open."""
    me = OuterRef("pk")
    parties = AgreementParty.objects.filter(person=me)
    occupancies = Occupancy.objects.filter(person=me)
    due = (
        Person.objects.filter(Exists(parties) | Exists(occupancies))
        .exclude(Exists(parties.filter(_live("agreement__ends_on", cutoff))))
        .exclude(Exists(occupancies.filter(_live("ends_on", cutoff))))
        .exclude(Exists(AnonymisedPerson.objects.filter(person=me)))
    )
    for matter in _open_matters(cutoff):
        due = due.exclude(matter)
    return due
