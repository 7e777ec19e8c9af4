"""What a resident meets in the first hour, looked at in Chromium: the navigation reaches every
section a main tenant has, on a phone and a desktop (TEN-1, SRQ-5), and on a phone an invoice's
labels never run into their values (TEN-4)."""

from datetime import timedelta

import pytest

from accounts.models import User
from tests.factories.tenancy import InvoiceFactory

pytestmark = pytest.mark.django_db(transaction=True)

SERVICE_REQUESTS = {"fi": "Palvelupyynnöt", "sv": "Servicebegäranden", "en": "Service requests"}


@pytest.fixture
def users(household):
    InvoiceFactory(agreement=household.agreement, due_on=household.agreement.starts_on + timedelta(days=400))
    return {
        who: User.objects.create_user(f"{who}@example.com", "Sal4sana!", person=getattr(household, who))
        for who in ("main_tenant", "family_member")
    }


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_service_requests_are_in_the_desktop_bar_and_the_phone_menu_of_a_main_tenant_SRQ_5(
    open_page, users, screenshot, language
):
    name = SERVICE_REQUESTS[language]
    desktop = open_page(viewport="desktop", language=language, user=users["main_tenant"])
    desktop.goto("/dashboard/")
    bar = desktop.locator("nav.site-nav-wide")
    assert bar.get_by_role("link", name=name, exact=True).is_visible()

    phone = open_page(viewport="phone", language=language, user=users["main_tenant"])
    phone.goto("/dashboard/")
    menu = phone.locator("nav.site-nav-narrow")
    menu.get_by_text({"fi": "Valikko", "sv": "Meny", "en": "Menu"}[language], exact=True).click()
    link = menu.get_by_role("link", name=name, exact=True)
    assert link.is_visible()
    screenshot(phone, f"first-hour-menu-{language}-phone")
    link.click()
    phone.wait_for_load_state()
    assert phone.url.endswith("/requests/service/")


def test_an_occupant_has_no_service_requests_in_the_navigation_SRQ_5(open_page, users):
    page = open_page(viewport="desktop", language="en", user=users["family_member"])
    page.goto("/dashboard/")
    assert page.locator("nav.site-nav-wide").get_by_role("link", name="Service requests").count() == 0


# For each invoice cell on a phone: the width of the label's longest word (the label, a ::before
# text, may wrap between words but not inside one) and where the value starts.
_LABEL_AND_VALUE = r"""() => [...document.querySelectorAll('table.invoices td')].map(td => {
    const label = getComputedStyle(td, '::before');
    const canvas = document.createElement('canvas').getContext('2d');
    canvas.font = `${label.fontWeight} ${label.fontSize} ${label.fontFamily}`;
    const text = td.dataset.label;
    const value = td.firstElementChild.getBoundingClientRect().left - td.getBoundingClientRect().left;
    const labelWidth = Math.max(...text.split(/\s+/).map(word => canvas.measureText(word).width));
    return {text, labelWidth, value};
})"""


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_on_a_phone_invoice_labels_do_not_run_into_their_values_TEN_4(open_page, users, screenshot, language):
    page = open_page(viewport="phone", language=language, user=users["main_tenant"])
    page.goto("/economy/")
    cells = page.evaluate(_LABEL_AND_VALUE)
    assert cells
    for cell in cells:
        assert cell["labelWidth"] + 4 <= cell["value"], f"{cell['text']!r} runs into its value: {cell}"
    screenshot(page, f"first-hour-economy-{language}-phone")
