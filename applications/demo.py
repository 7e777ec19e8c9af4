"""A housing application for the demo data, waiting for its confirmations. Running it again
changes nothing that exists.

Pekka Antero Heikkinen (test person 230477-9342, only an applicant in the demo register) applies
with Emma Sofia Laine (071298-912W) and a child. Confirm it at /applications/confirm/ as Pekka;
Emma's link is in the e-mail printed on the console, and Pekka can send her a new one.
"""

from datetime import date, timedelta
from decimal import Decimal
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from . import services
from .models import ApartmentSize, Applicant, Area

APPLICANT = services.PersonData("Pekka Antero", "Heikkinen", date(1977, 4, 23), "pekka.heikkinen@example.com")
CO_APPLICANT = services.PersonData("Emma Sofia", "Laine", date(1998, 12, 7), "emma.laine@example.com")


def _child() -> services.PersonData:
    today = timezone.localdate()
    return services.PersonData("Aleksi", "Heikkinen", today.replace(year=today.year - 7, day=1), "")


@transaction.atomic
def populate(*, stdout: TextIO | None = None) -> None:
    exists = Applicant.objects.filter(
        role=Applicant.Role.MAIN,
        first_names=APPLICANT.first_names,
        last_name=APPLICANT.last_name,
        birth_date=APPLICANT.birth_date,
    ).exists()
    if not exists:
        application = services.application_submit(
            applicant=APPLICANT,
            co_applicants=[CO_APPLICANT, _child()],
            areas=[Area.EASTERN.value, Area.SOUTH_EASTERN.value],
            apartment_size=ApartmentSize.THREE_ROOMS.value,
            max_rent=Decimal("1100.00"),
            moving_date=timezone.localdate() + timedelta(days=60),
            language="fi",
        )
    if stdout is not None:
        if exists:
            stdout.write("Applications: the demo application exists already.\n")
        else:
            stdout.write(
                f"Applications: application {application.number} of {APPLICANT.first_names} {APPLICANT.last_name} "
                "created, waiting for confirmation at /applications/confirm/.\n"
            )
