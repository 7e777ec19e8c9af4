"""Shared fixtures: the usual people of SPEC section 1, and the rules for tests needing real parts.

Tests marked `postgres`, `redis`, `browser`, `vnu` or `nginx` are skipped where that part is missing (a
newcomer's laptop) and fail instead when HEKA_TEST_STRICT=1 (CI), so CI never skips them.
"""

import os
import shutil
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils import timezone

from tests.factories.tenancy import (
    AgreementPartyFactory,
    ApartmentFactory,
    GuardianshipFactory,
    OccupancyFactory,
    PersonFactory,
    RentalAgreementFactory,
)

STRICT = os.environ.get("HEKA_TEST_STRICT") == "1"
CHROMIUM = os.environ.get("HEKA_CHROMIUM", "/usr/bin/chromium")


def _missing_parts() -> dict[str, str]:
    missing = {}
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        missing["postgres"] = "needs PostgreSQL: set DATABASE_URL=postgres://..."
    if not settings.CELERY_BROKER_URL:
        missing["redis"] = "needs Redis: set CELERY_BROKER_URL=redis://..."
    if not (shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)):
        missing["browser"] = f"needs Chromium at {CHROMIUM} (apt-get install chromium)"
    if not shutil.which("nginx", path=os.environ.get("PATH", "") + ":/usr/sbin"):
        missing["nginx"] = "needs nginx (apt-get install nginx-light)"
    from tests.html_checker import missing_reason

    if vnu := missing_reason():
        missing["vnu"] = vnu
    return missing


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    missing = _missing_parts()
    for item in items:
        for part, reason in missing.items():
            if item.get_closest_marker(part) is None:
                continue
            if STRICT:
                raise pytest.UsageError(f"HEKA_TEST_STRICT=1 but {item.nodeid} {reason}")
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def household(db, today):
    """The people of `make_household` (one apartment with every kind of person of SPEC section 1)."""
    return make_household(today)


def make_household(today) -> SimpleNamespace:
    """One apartment with every kind of person of SPEC section 1, plus people elsewhere.

    - main_tenant and co_tenant signed the agreement in force;
    - family_member is an occupant, sublessee a sublessee (neither is a party);
    - ward is an occupant (a minor) whose guardian lives elsewhere;
    - future_tenant signed an agreement for another apartment that starts in 20 days;
    - former_tenant's agreement ended yesterday; applicant is only a housing applicant;
    - stranger is the main tenant of an apartment in another building.
    """
    started = today - timedelta(days=730)
    apartment = ApartmentFactory(number="A 1")
    agreement = RentalAgreementFactory(apartment=apartment, signed_on=started - timedelta(days=20), starts_on=started)
    main_tenant = PersonFactory(first_names="Maija", last_name="Virtanen")
    co_tenant = PersonFactory(first_names="Matti", last_name="Virtanen")
    AgreementPartyFactory(agreement=agreement, person=main_tenant)
    AgreementPartyFactory(agreement=agreement, person=co_tenant)
    family_member = PersonFactory(first_names="Aino", last_name="Virtanen")
    OccupancyFactory(person=family_member, apartment=apartment, starts_on=started)
    sublessee = PersonFactory(first_names="Sami", last_name="Alivuokralainen")
    OccupancyFactory(person=sublessee, apartment=apartment, starts_on=started, is_sublessee=True)
    ward = PersonFactory(first_names="Eero", last_name="Virtanen")
    OccupancyFactory(person=ward, apartment=apartment, starts_on=started)
    guardian = PersonFactory(first_names="Helena", last_name="Holhooja")
    GuardianshipFactory(guardian=guardian, ward=ward, starts_on=started)

    future_agreement = RentalAgreementFactory(signed_on=today - timedelta(days=5), starts_on=today + timedelta(days=20))
    future_tenant = PersonFactory(first_names="Tuuli", last_name="Tuleva")
    AgreementPartyFactory(agreement=future_agreement, person=future_tenant)

    former_agreement = RentalAgreementFactory(
        signed_on=started - timedelta(days=30), starts_on=started, ends_on=today - timedelta(days=1)
    )
    former_tenant = PersonFactory(first_names="Ville", last_name="Entinen")
    AgreementPartyFactory(agreement=former_agreement, person=former_tenant)

    applicant = PersonFactory(first_names="Hanna", last_name="Hakija")

    stranger_agreement = RentalAgreementFactory(signed_on=started, starts_on=started)
    stranger = PersonFactory(first_names="Veikko", last_name="Vieras")
    AgreementPartyFactory(agreement=stranger_agreement, person=stranger)

    return SimpleNamespace(
        apartment=apartment,
        building=apartment.building,
        agreement=agreement,
        main_tenant=main_tenant,
        co_tenant=co_tenant,
        family_member=family_member,
        sublessee=sublessee,
        ward=ward,
        guardian=guardian,
        future_tenant=future_tenant,
        future_agreement=future_agreement,
        former_tenant=former_tenant,
        applicant=applicant,
        stranger=stranger,
        stranger_agreement=stranger_agreement,
    )
