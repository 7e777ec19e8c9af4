"""Two presses of "Confirm application" at the same moment use a link only once (APP-3, PostgreSQL)."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from applications import services
from applications.matching import Identity
from applications.models import CoApplicantLink
from tenancy import hetu

pytestmark = pytest.mark.postgres

KALLE = Identity(hetu.lookup_hash("010469-999W"), hetu.encrypt("010469-999W"), "Kalle Johannes", "Korhonen")


@pytest.mark.django_db(transaction=True)
def test_simultaneous_confirmations_use_the_link_once_APP_3():
    services.application_submit(
        applicant=services.PersonData("Anna", "Aaltonen", date(1980, 2, 1), "anna@example.com"),
        co_applicants=[services.PersonData("Kalle", "Korhonen", date(1969, 4, 1), "kalle@example.com")],
        areas=["central"],
        apartment_size="2",
        max_rent=Decimal("900"),
        moving_date=timezone.localdate(),
        language="fi",
    )
    link = CoApplicantLink.objects.get()
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def press() -> None:
        try:
            start.wait()
            services.co_applicant_confirm(link=link, identity=KALLE, identified_at=timezone.now())
            outcomes.append("confirmed")
        except services.LinkNotUsable as error:
            outcomes.append(error.state)
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["confirmed", "used"]
    link.refresh_from_db()
    assert link.used_at is not None
