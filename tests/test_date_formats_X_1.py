"""X-1: one unambiguous date format per language everywhere, pages, e-mails and the admin: English
as in Britain (2 December 2026, 2 Dec 2026, never the US 12/02/2026 or "Dec. 2, 2026"), Finnish
with numbers (2.12.2026), Finland Swedish 2.12.2026 and a month written out in lower case."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import formats, timezone, translation

from tenancy.services import person_change_bank_account
from tenancy.staff_groups import CUSTOMER_SERVICE
from tests.factories.tenancy import InvoiceFactory
from tests.mail import text_of
from tests.tenancy.pages import login
from tests.tenancy.test_admin_audit import staff_in

DAY = datetime.date(2026, 12, 2)
MOMENT = timezone.make_aware(datetime.datetime(2026, 12, 2, 14, 30))
US_STYLE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b|\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\. \d")

EXPECTED = {
    "en": {
        "DATE_FORMAT": "2 December 2026",
        "SHORT_DATE_FORMAT": "2 Dec 2026",
        "DATETIME_FORMAT": "2 December 2026, 14:30",
        "SHORT_DATETIME_FORMAT": "2 Dec 2026, 14:30",
        "YEAR_MONTH_FORMAT": "December 2026",
    },
    "fi": {
        "DATE_FORMAT": "2.12.2026",
        "SHORT_DATE_FORMAT": "2.12.2026",
        "DATETIME_FORMAT": "2.12.2026 klo 14.30",
        "SHORT_DATETIME_FORMAT": "2.12.2026 14.30",
        "YEAR_MONTH_FORMAT": "joulukuu 2026",
    },
    "sv": {
        "DATE_FORMAT": "2 december 2026",
        "SHORT_DATE_FORMAT": "2.12.2026",
        "DATETIME_FORMAT": "2 december 2026 kl. 14.30",
        "SHORT_DATETIME_FORMAT": "2.12.2026 14.30",
        "YEAR_MONTH_FORMAT": "december 2026",
    },
}


@pytest.mark.parametrize("language", EXPECTED)
def test_each_language_has_its_one_unambiguous_date_format_X_1(language):
    with translation.override(language):
        for name, expected in EXPECTED[language].items():
            value = timezone.localtime(MOMENT) if "TIME" in name else DAY
            assert formats.date_format(value, name) == expected, name


def test_english_date_input_is_never_read_the_us_way_X_1():
    with translation.override("en"):
        assert "%m/%d/%Y" not in formats.get_format("DATE_INPUT_FORMATS")
        assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%Y-%m-%d", "the admin shows date fields in ISO"


@pytest.fixture
def invoiced(household):
    InvoiceFactory(agreement=household.agreement, due_on=DAY)
    return household


@pytest.mark.parametrize(("language", "shown"), [("en", "2 Dec 2026"), ("fi", "2.12.2026"), ("sv", "2.12.2026")])
def test_pages_show_dates_in_the_languages_format_X_1(client, invoiced, language, shown):
    login(client, invoiced.main_tenant)
    client.cookies["django_language"] = language
    page = client.get("/economy/").content.decode()
    assert shown in page
    assert not US_STYLE.search(page), US_STYLE.search(page)


@pytest.mark.parametrize(("language", "shown"), [("en", "2 December 2026"), ("fi", "2.12.2026"), ("sv", "2 december 2026")])
def test_the_admin_shows_dates_in_the_languages_format_X_1(client, invoiced, language, shown):
    staff_in(client, CUSTOMER_SERVICE)
    client.cookies["django_language"] = language
    page = client.get("/admin/tenancy/invoice/").content.decode()
    assert shown in page
    assert not US_STYLE.search(page), US_STYLE.search(page)


def test_emails_write_dates_in_the_readers_format_X_1(household, django_capture_on_commit_callbacks):
    household.main_tenant.preferred_language = "en"
    household.main_tenant.save()
    with django_capture_on_commit_callbacks(execute=True):
        person_change_bank_account(person=household.main_tenant, iban="FI2112345600000785", notify_email="m@example.com")
    body = text_of(mail.outbox[-1])
    with translation.override("en"):
        today = formats.date_format(timezone.localdate(), "j M Y")
    assert f"changed on {today}" in body
    assert not US_STYLE.search(body)
