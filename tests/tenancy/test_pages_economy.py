"""TEN-3, TEN-4 "My economy": the agreement under "Show agreement" with the register of
occupants, invoices with their state and the balance, and the payment details; TEN-7 only the
signatories see it, others get a plain explanation; TEN-10 a guardian sees the ward's, labelled."""

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.factories.tenancy import AgreementPartyFactory, GuardianshipFactory, InvoiceFactory, PersonFactory
from tests.factories.tenancy_pages import PaymentFactory
from tests.tenancy.pages import FUTURE, LOGIN, REFUSED, WHO, Sees, check, login, visit


@pytest.fixture
def invoiced(household, today):
    """Three rent invoices: one paid, one partly paid and overdue, one not yet due."""
    agreement = household.agreement
    paid = InvoiceFactory(
        agreement=agreement, due_on=today - timedelta(days=60), amount=Decimal("850.00"), reference_number="11112"
    )
    PaymentFactory(invoice=paid, amount=Decimal("850.00"))
    overdue = InvoiceFactory(
        agreement=agreement, due_on=today - timedelta(days=30), amount=Decimal("850.00"), reference_number="22225"
    )
    PaymentFactory(invoice=overdue, amount=Decimal("350.00"))
    InvoiceFactory(agreement=agreement, due_on=today + timedelta(days=5), amount=Decimal("850.00"), reference_number="33338")
    InvoiceFactory(agreement=household.stranger_agreement, reference_number="99996")
    return household


SIGNATORY = Sees(
    contains=(
        "Show agreement",
        "{agreement.number}",
        "{apartment.address}",
        # the parties, then the register of occupants
        "Maija Virtanen",
        "Matti Virtanen",
        "Register of occupants",
        "Aino Virtanen",
        "Sami Alivuokralainen",
        "(sublessee)",
        "Eero Virtanen",
        "850.00 €",
        "1,700.00 €",
        # invoices: paid, overdue with what is left, unpaid; the balance
        "11112",
        "22225",
        "33338",
        "Paid",
        "Overdue",
        "500.00 € left to pay",
        "Unpaid in all: 1,350.00 €",
        "Of this, overdue: 500.00 €",
        # payment details
        "Helsingin kaupungin asunnot Oy",
        "FI44 1234 5600 0999 90",
        "Terminate the agreement",
        "Notify someone moving in or out",
    ),
    lacks=("99996", "{stranger_agreement.number}", "On behalf of"),
)
EXPLANATION = Sees(
    403,
    contains=("shown only to the signatories", "sublessee of the main tenant"),
    lacks=("Show agreement", "{agreement.number}", "11112", "Terminate the agreement"),
)

WARD_EXPLANATION = Sees(
    403,
    contains=("shown only to the signatories", "On behalf of Eero Virtanen", "Eero Virtanen lives in the apartment"),
    lacks=("you live in the apartment", "Show agreement", "{agreement.number}", "11112", "Terminate the agreement"),
)

EXPECTED = {
    "main_tenant": SIGNATORY,
    "co_tenant": SIGNATORY,
    "family_member": EXPLANATION,
    "sublessee": EXPLANATION,
    "guardian": WARD_EXPLANATION,  # TEN-10: the ward is named, not "you"
    "future_tenant": FUTURE,
    "former_tenant": REFUSED,
    "stranger": Sees(contains=("Show agreement", "{stranger_agreement.number}", "99996"), lacks=("{agreement.number}", "11112")),
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("who", WHO)
def test_my_economy_is_for_signatories_only_TEN_3_TEN_4_TEN_7(client, invoiced, who):
    check(visit(client, invoiced, who, "/economy/"), invoiced, EXPECTED[who])


def test_guardian_sees_the_wards_agreement_labelled_with_the_wards_name_TEN_10(client, household):
    ward = PersonFactory(first_names="Liisa", last_name="Alaikäinen")
    AgreementPartyFactory(agreement=household.stranger_agreement, person=ward)
    guardian = PersonFactory()
    GuardianshipFactory(guardian=guardian, ward=ward)
    login(client, guardian)
    client.cookies["django_language"] = "en"

    body = client.get("/economy/").content.decode()

    assert "On behalf of Liisa Alaikäinen" in body
    assert household.stranger_agreement.number in body
    assert household.agreement.number not in body


def test_paid_invoices_older_than_a_year_are_shown_by_year_but_unpaid_ones_stay_PAY_3(client, household, today):
    old_paid = InvoiceFactory(agreement=household.agreement, due_on=today - timedelta(days=400), reference_number="44444")
    PaymentFactory(invoice=old_paid, amount=old_paid.amount)
    InvoiceFactory(agreement=household.agreement, due_on=today - timedelta(days=500), reference_number="55553")
    login(client, household.main_tenant)
    client.cookies["django_language"] = "en"

    body = client.get("/economy/").content.decode()

    assert "44444" not in body
    assert "55553" in body
    assert "Of this, overdue: 850.00 €" in body
    assert f'href="?year={old_paid.due_on.year}"' in body

    by_year = client.get(f"/economy/?year={old_paid.due_on.year}").content.decode()

    assert "44444" in by_year
    assert f"Invoices due in {old_paid.due_on.year}" in by_year


@pytest.mark.parametrize("year", ["1999", "20x6", "99999", "", "٢٠٢٥"])
def test_a_year_not_offered_is_refused_with_a_message_PAY_3(client, household, year):
    login(client, household.main_tenant)
    client.cookies["django_language"] = "en"

    response = client.get("/economy/", {"year": year}, follow=True)

    assert response.redirect_chain == [("/economy/", 302)]
    assert "Choose a year from the list." in response.content.decode()


YEAR_EXPECTED = {
    **EXPECTED,
    "main_tenant": Sees(contains=("Invoices due in", "22225"), lacks=("99996",)),
    "co_tenant": Sees(contains=("Invoices due in", "22225"), lacks=("99996",)),
    # the stranger's agreement started as long ago, but the year shows only their own invoices
    "stranger": Sees(contains=("Invoices due in", "99996"), lacks=("11112", "22225", "33338")),
}


@pytest.mark.parametrize("who", WHO)
def test_invoices_of_a_year_are_for_the_signatories_only_PAY_3(client, invoiced, today, who):
    year = (today - timedelta(days=30)).year
    InvoiceFactory(agreement=invoiced.stranger_agreement, due_on=today - timedelta(days=30), reference_number="99996")
    check(visit(client, invoiced, who, f"/economy/?year={year}"), invoiced, YEAR_EXPECTED[who])
