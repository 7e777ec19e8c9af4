"""PAY-2 in Chromium: the virtual bar code of an open invoice is text to select without script, and
a copy button where script runs puts exactly the bar code on the clipboard; PAY-1's panel and the
bar code pass axe-core."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings

from accounts.models import User
from tenancy.virtual_barcode import virtual_barcode
from tests.browser.conftest import CHROMIUM_ARGS  # noqa: F401 (the browser is the session's)
from tests.factories.tenancy import InvoiceFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def overdue(household, today):
    invoice = InvoiceFactory(
        agreement=household.agreement, due_on=today - timedelta(days=10), amount=Decimal("912.40"), reference_number="11112"
    )
    household.user = User.objects.create_user("main@example.com", "Sal4sana!", person=household.main_tenant)
    household.code = virtual_barcode(
        iban=settings.HEKA_PAYMENT_IBAN, reference="11112", amount=Decimal("912.40"), due_on=invoice.due_on
    )
    return household


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_copy_button_copies_the_bar_code_PAY_2(overdue, open_page, live_server, assert_accessible, screenshot, viewport):
    page = open_page(viewport=viewport, language="en", user=overdue.user)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto("/economy/")

    field = page.get_by_label("Virtual bar code")
    assert field.input_value() == overdue.code
    button = page.get_by_role("button", name="Copy the bar code")
    assert button.is_visible()
    button.click()

    assert page.evaluate("navigator.clipboard.readText()") == overdue.code
    assert page.get_by_role("status").filter(has_text="The bar code was copied.").count() == 1
    assert_accessible(page)
    screenshot(page, f"economy-barcode-{viewport}")
    page.goto("/dashboard/")
    assert "Ask for a payment agreement" in page.content()
    assert_accessible(page)


def test_without_script_the_bar_code_is_text_to_select_and_no_button_shows_PAY_2(overdue, chromium, live_server):
    from tests.browser.conftest import _session_for

    host = live_server.url.split("//", 1)[1].split(":")[0]
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    context.add_cookies([
        {"name": settings.SESSION_COOKIE_NAME, "value": _session_for(overdue.user), "domain": host, "path": "/"},
        {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "domain": host, "path": "/"},
    ])  # fmt: skip
    try:
        page = context.new_page()
        page.goto("/economy/")
        field = page.get_by_label("Virtual bar code")
        assert field.input_value() == overdue.code
        assert field.get_attribute("readonly") is not None
        assert not page.locator("button[data-copy]").is_visible()
    finally:
        context.close()
