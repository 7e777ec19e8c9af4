"""The staff pages of the tenancy register (STF-2) cost the same number of queries for five rows as
for one: the agreement's parties, the invoice's payments, and the apartments and agreements the
autocomplete of other forms offers, each named without a query of its own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from tests.factories.tenancy import AgreementPartyFactory, InvoiceFactory, RentalAgreementFactory
from tests.factories.tenancy_pages import PaymentFactory

AUTOCOMPLETE = "/admin/autocomplete/?app_label=tenancy&model_name={model}&field_name={field}&term="


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.fixture
def staff(client, db):
    client.force_login(User.objects.create_superuser("root@heka.example", "Root-pass-1!xx"))
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize(
    ("model", "field"),
    [("rentalagreement", "apartment"), ("occupancy", "apartment"), ("invoice", "agreement")],
)
def test_autocomplete_queries_do_not_grow_with_the_register_STF_2(staff, model, field):
    path = AUTOCOMPLETE.format(model=model, field=field)
    RentalAgreementFactory.create()
    baseline = count_queries(staff, path)
    for _ in range(4):
        RentalAgreementFactory.create()
    assert count_queries(staff, path) <= baseline


def test_invoice_page_queries_do_not_grow_with_its_payments_STF_2(staff):
    invoice = InvoiceFactory.create()
    path = f"/admin/tenancy/invoice/{invoice.pk}/change/"
    PaymentFactory(invoice=invoice, amount=1)
    baseline = count_queries(staff, path)
    for _ in range(4):
        PaymentFactory(invoice=invoice, amount=1)
    assert count_queries(staff, path) <= baseline


def test_agreement_page_costs_at_most_one_query_per_party_STF_2(staff):
    """The autocomplete widget of each party row looks up its person: one query a row is Django's
    own; the row's title must not add another."""
    agreement = RentalAgreementFactory.create()
    path = f"/admin/tenancy/rentalagreement/{agreement.pk}/change/"
    AgreementPartyFactory(agreement=agreement)
    baseline = count_queries(staff, path)
    for _ in range(4):
        AgreementPartyFactory(agreement=agreement)
    assert count_queries(staff, path) <= baseline + 4
