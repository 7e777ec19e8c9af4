"""PAY-3: My economy stays small however long the history: open invoices and the last 12 months,
older ones by year on request; under 50 KB at ten times the demo history and at 200 invoices."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from heka_portal.template_loaders import compact_template
from tenancy.demo import reference_number
from tests.factories.tenancy import InvoiceFactory
from tests.factories.tenancy_pages import PaymentFactory
from tests.tenancy.pages import login

PAGE_LIMIT_BYTES = 50 * 1024


def monthly_history(agreement, today: date, *, months: int, open_months: int) -> None:
    """Rent due on the 2nd of each of `months` months back from this one; the latest
    `open_months` unpaid, the rest paid in full, references with right check digits."""
    for back in range(months):
        year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
        due_on = date(year, month + 1, 2)
        invoice = InvoiceFactory(
            agreement=agreement,
            due_on=due_on,
            amount=Decimal("912.40"),
            period=f"{due_on.month}/{due_on.year}",
            reference_number=reference_number(f"1041{back:04d}"),
        )
        if back >= open_months:
            PaymentFactory(invoice=invoice, amount=invoice.amount, paid_on=due_on - timedelta(days=1))


def economy_bytes(client, household, *, months: int, open_months: int) -> int:
    monthly_history(household.agreement, date.today(), months=months, open_months=open_months)
    login(client, household.main_tenant)
    client.cookies["django_language"] = "fi"
    response = client.get("/economy/")
    assert response.status_code == 200
    return len(response.content)


@pytest.mark.parametrize(
    ("months", "open_months"),
    [
        (20, 1),
        (200, 1),
        # Ten times the demo history: the demo's longest is Helmi Koskinen's, three months of
        # which two are unpaid; ten times that is 30 months with 20 of them open.
        (30, 20),
    ],
)
def test_my_economy_stays_under_50_kb_PAY_3(client, household, months, open_months):
    size = economy_bytes(client, household, months=months, open_months=open_months)
    print(f"My economy, {months} invoices ({open_months} open): {size} bytes")
    assert size < PAGE_LIMIT_BYTES


def test_template_indentation_is_not_sent_but_pre_textarea_and_untrimmed_messages_keep_theirs_PAY_3():
    source = (
        "<ul>\n    <li>a</li>\n\n    <li>b</li>\n</ul>\n"
        "<pre>\n  kept\n    as is</pre>\n"
        "<textarea>\n  typed\n</textarea>\n"
        "{% blocktranslate %}\n    Message id\n{% endblocktranslate %}\n"
        "{% blocktranslate trimmed %}\n    Trimmed\n{% endblocktranslate %}\n"
        "    {% if shown %}\n    <p>x</p>\n    {% endif %}\n    {% translate 'A' %}\n    {% translate 'B' %}\n"
        "{% if a %}{{ a }}{% endif %}\n- b"
    )
    assert compact_template(source) == (
        "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"
        "<pre>\n  kept\n    as is</pre>\n"
        "<textarea>\n  typed\n</textarea>\n"
        "{% blocktranslate %}\n    Message id\n{% endblocktranslate %}\n"
        "{% blocktranslate trimmed %}\nTrimmed\n{% endblocktranslate %}\n"
        "{% if shown %}<p>x</p>\n{% endif %}{% translate 'A' %}\n{% translate 'B' %}\n"
        "{% if a %}{{ a }}{% endif %}\n- b"
    )


def test_my_economy_is_sent_without_indentation_PAY_3(client, household):
    login(client, household.main_tenant)
    body = client.get("/economy/").content.decode()
    assert "\n " not in body
    assert "\n\t" not in body
