"""PAY-1: overdue invoices on the dashboard with amount, due date and the two things to do: pay
with the reference, or ask for a payment agreement with the message form filled in (SRQ-2), which
only the person's own invoice fills in."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.formats import date_format

from servicerequests.models import Message
from tests.factories.tenancy import AgreementPartyFactory, GuardianshipFactory, InvoiceFactory, PersonFactory
from tests.factories.tenancy_pages import PaymentFactory
from tests.tenancy.pages import FUTURE_HOME, LOGIN, REFUSED, WHO, Sees, check, login, visit


@pytest.fixture
def overdue(household, today):
    """A partly paid overdue rent, a paid one and one not yet due; the stranger's overdue rent."""
    h = household
    h.overdue = InvoiceFactory(
        agreement=h.agreement, due_on=today - timedelta(days=20), amount=Decimal("850.00"), reference_number="22225",
        period="11/2026",
    )  # fmt: skip
    PaymentFactory(invoice=h.overdue, amount=Decimal("100.00"))
    paid = InvoiceFactory(agreement=h.agreement, due_on=today - timedelta(days=50), reference_number="11112")
    PaymentFactory(invoice=paid, amount=paid.amount)
    InvoiceFactory(agreement=h.agreement, due_on=today + timedelta(days=5), reference_number="33338")
    h.stranger_overdue = InvoiceFactory(
        agreement=h.stranger_agreement, due_on=today - timedelta(days=3), reference_number="99996"
    )
    return h


def due_text(invoice) -> str:
    with translation.override("en"):
        return date_format(invoice.due_on, "DATE_FORMAT")


PANEL = Sees(
    contains=(
        "An overdue invoice",
        "750.00 €</strong> was due on",
        "reference number <strong>22225</strong>",
        "FI44 1234 5600 0999 90",
        "Ask for a payment agreement",
        "/requests/messages/new/?invoice={overdue.pk}",
        "/economy/#invoice-{overdue.pk}-heading",
    ),
    lacks=("11112", "33338", "99996"),
)
NO_PANEL = Sees(lacks=("overdue invoice", "22225", "99996", "Ask for a payment agreement"))
EXPECTED = {
    "main_tenant": PANEL,
    "co_tenant": PANEL,  # the agreement's invoices are both signatories'
    "family_member": NO_PANEL,
    "sublessee": NO_PANEL,  # a sublease is with the main tenant, not with Heka
    "guardian": NO_PANEL,  # the household's ward is an occupant, not a signatory
    "future_tenant": FUTURE_HOME,
    "former_tenant": REFUSED,
    "stranger": Sees(contains=("An overdue invoice", "99996"), lacks=("22225",)),
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("who", WHO)
def test_overdue_invoices_on_the_dashboard_PAY_1(client, overdue, who):
    body = check(visit(client, overdue, who, "/dashboard/"), overdue, EXPECTED[who])
    if who in ("main_tenant", "co_tenant"):
        assert due_text(overdue.overdue) in body


def test_guardian_sees_a_wards_overdue_invoice_labelled_PAY_1(client, overdue):
    ward = PersonFactory(first_names="Liisa", last_name="Alaikäinen")
    AgreementPartyFactory(agreement=overdue.stranger_agreement, person=ward)
    guardian = PersonFactory()
    GuardianshipFactory(guardian=guardian, ward=ward)
    login(client, guardian)
    client.cookies["django_language"] = "en"

    body = client.get("/dashboard/").content.decode()

    assert "On behalf of Liisa Alaikäinen" in body
    assert "99996" in body
    assert "22225" not in body


def test_the_dashboard_lists_five_and_counts_the_rest_in_fixed_queries_PAY_1(
    client, household, today, django_assert_max_num_queries
):
    for back in range(8):
        InvoiceFactory(agreement=household.agreement, due_on=today - timedelta(days=30 * (back + 1)))
    login(client, household.main_tenant)
    client.cookies["django_language"] = "en"
    client.get("/dashboard/")

    with django_assert_max_num_queries(16):
        body = client.get("/dashboard/").content.decode()

    assert "8 overdue invoices" in body
    assert body.count("Ask for a payment agreement") == 5
    assert "3 more overdue invoices in My economy" in body


def message_form(client, household, who: str, invoice_pk: object):
    return visit(client, household, who, f"/requests/messages/new/?invoice={invoice_pk}")


@pytest.mark.parametrize("who", ["main_tenant", "co_tenant"])
def test_payment_agreement_form_is_filled_in_from_the_invoice_PAY_1(client, overdue, who):
    response = message_form(client, overdue, who, overdue.overdue.pk)

    body = response.content.decode()
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["category"] == Message.Category.PAYMENT_AGREEMENT
    assert form.initial["subject"] == f"Payment agreement for invoice {overdue.overdue.number}"
    assert "reference number 22225" in form.initial["body"]
    assert "750.00 € left to pay" in form.initial["body"]
    assert due_text(overdue.overdue) in form.initial["body"]
    assert f'value="{Message.Category.PAYMENT_AGREEMENT}" selected' in body


# The stranger's own overdue invoice is theirs, so that one pair is not in the table.
@pytest.mark.parametrize(
    ("who", "invoice"),
    [
        (who, invoice)
        for who in ["main_tenant", "family_member", "sublessee", "guardian", "stranger"]
        for invoice in ["stranger_overdue", "no such", "-1", "99999999999999999999999"]
        if (who, invoice) != ("stranger", "stranger_overdue")
    ],
)
def test_someone_elses_or_no_invoice_does_not_fill_the_form_PAY_1(client, overdue, who, invoice):
    pk = getattr(overdue, invoice).pk if invoice == "stranger_overdue" else invoice
    response = message_form(client, overdue, who, pk)

    body = response.content.decode()
    assert response.status_code == 200
    assert "That invoice was not found among yours, so the form is not filled in." in body
    assert "category" not in response.context["form"].initial
    assert "99996" not in body


def test_the_sublessee_cannot_fill_the_form_with_the_main_tenants_invoice_PAY_1(client, overdue):
    body = message_form(client, overdue, "sublessee", overdue.overdue.pk).content.decode()
    assert "That invoice was not found among yours" in body
    assert "22225" not in body


def test_anonymous_is_sent_to_log_in_PAY_1(client, overdue):
    response = message_form(client, overdue, "anonymous", overdue.overdue.pk)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
