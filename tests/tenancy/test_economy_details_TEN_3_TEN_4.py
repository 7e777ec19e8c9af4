"""TEN-3, TEN-4: the agreement shows its start date, rent and deposit; each invoice its due date."""

from datetime import timedelta
from decimal import Decimal

from django.utils import translation
from django.utils.formats import date_format

from tests.factories.tenancy import InvoiceFactory
from tests.tenancy.pages import login


def test_agreement_shows_its_start_date_rent_and_deposit_and_invoices_their_due_dates_TEN_3_TEN_4(client, household, today):
    agreement = household.agreement
    invoices = [
        InvoiceFactory(agreement=agreement, due_on=today - timedelta(days=20), amount=Decimal("850.00")),
        InvoiceFactory(agreement=agreement, due_on=today + timedelta(days=10), amount=Decimal("850.00")),
    ]
    login(client, household.main_tenant)
    client.cookies["django_language"] = "en"

    body = client.get("/economy/").content.decode()

    with translation.override("en"):
        assert date_format(agreement.starts_on, "DATE_FORMAT") in body
        for invoice in invoices:
            assert date_format(invoice.due_on, "SHORT_DATE_FORMAT") in body
    assert f"{agreement.rent:,.2f} €" in body
    assert f"{agreement.deposit:,.2f} €" in body
