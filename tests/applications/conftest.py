"""Fixtures of the application tests: the development identity provider wired in, and submitting."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from applications import services
from applications.models import Application

from .flow import ANNA


@pytest.fixture(autouse=True)
def dev_idp(db, settings):
    settings.ROOT_URLCONF = "tests.applications.urls"
    settings.HEKA_DEV_IDP_ENABLED = True
    settings.HEKA_SAML_IDP_METADATA_FILE = ""
    settings.HEKA_SITE_URL = "http://testserver"
    # The tests read the English texts; the translations are checked elsewhere.
    settings.LANGUAGE_CODE = "en"
    # The attempt limits live in the cache; each test starts with none used.
    cache.clear()


@pytest.fixture
def submit(db, django_capture_on_commit_callbacks):
    """Submit an application through the service; e-mails are sent as after a real commit."""

    def submit(*, main=ANNA, co_applicants=(), language="fi") -> Application:
        with django_capture_on_commit_callbacks(execute=True):
            return services.application_submit(
                applicant=services.PersonData(main.first_names, main.last_name, main.birth_date, "anna@example.com"),
                co_applicants=[services.PersonData(*person) for person in co_applicants],
                areas=["central"],
                apartment_size="2",
                max_rent=Decimal("900"),
                moving_date=timezone.localdate() + timedelta(days=30),
                language=language,
            )

    return submit
