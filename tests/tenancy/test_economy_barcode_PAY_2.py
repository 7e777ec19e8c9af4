"""PAY-2 on My economy: each open invoice with its payment details and virtual bar code (of what is
left to pay), none for a paid one or one whose reference is not valid; the e-invoice guide in each
language."""

from datetime import timedelta
from decimal import Decimal

import pytest

from tenancy.virtual_barcode import virtual_barcode
from tests.factories.tenancy import InvoiceFactory
from tests.factories.tenancy_pages import PaymentFactory
from tests.tenancy.pages import login


def test_open_invoices_show_the_bar_code_of_what_is_left_to_pay_PAY_2(client, household, today):
    open_one = InvoiceFactory(
        agreement=household.agreement, due_on=today - timedelta(days=5), amount=Decimal("850.00"), reference_number="11112"
    )
    PaymentFactory(invoice=open_one, amount=Decimal("50.00"))
    paid = InvoiceFactory(agreement=household.agreement, due_on=today - timedelta(days=35), reference_number="868624")
    PaymentFactory(invoice=paid, amount=paid.amount)
    InvoiceFactory(
        agreement=household.agreement, due_on=today + timedelta(days=20), reference_number="12345"
    )  # check digit wrong
    login(client, household.co_tenant)
    client.cookies["django_language"] = "en"

    body = client.get("/economy/").content.decode()

    code = virtual_barcode(iban="FI44 1234 5600 0999 90", reference="11112", amount=Decimal("800.00"), due_on=open_one.due_on)
    assert code is not None
    assert f'value="{code}"' in body
    assert code[17:25] == "00080000"
    assert body.count('class="barcode-digits"') == 1, "no code for the paid invoice, nor for a wrong reference"
    assert "Amount to pay" in body
    assert "800.00 €" in body
    assert 'data-copy="barcode-' in body
    assert "hidden>" in body, "the copy button waits for the script"
    assert '<script src="/static/js/copy.js' in body


@pytest.mark.parametrize(
    ("language", "heading", "term"),
    [
        ("fi", "Siirry e-laskuun", "e-laskut"),
        ("sv", "Byt till e-faktura", "e-fakturor"),
        ("en", "Switch to e-invoice", "e-invoices"),
    ],
)
def test_my_economy_guides_to_e_invoice_in_each_language_PAY_2(client, household, language, heading, term):
    login(client, household.main_tenant)
    client.cookies["django_language"] = language

    body = client.get("/economy/").content.decode()

    assert heading in body
    assert term in body
