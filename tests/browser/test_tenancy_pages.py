"""X-2: the tenancy pages have no axe-core violations in fi, sv and en, on a phone and a desktop,
forms with errors included."""

from datetime import timedelta

import pytest

from accounts.models import User
from tests.factories.documents import add_rescue_plan
from tests.factories.tenancy import InvoiceFactory
from tests.factories.tenancy_pages import BulletinFactory, OccupantChangeNoticeFactory, PaymentFactory, TerminationNoticeFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(household, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}}}
    h = household
    h.building.information = "Saunavuorot varataan huoltoyhtiöltä."
    h.building.save()
    add_rescue_plan(h.building)
    paid = InvoiceFactory(agreement=h.agreement, due_on=h.agreement.starts_on + timedelta(days=400))
    PaymentFactory(invoice=paid, amount=paid.amount)
    InvoiceFactory(agreement=h.agreement, due_on=h.agreement.starts_on + timedelta(days=800))
    h.bulletin = BulletinFactory(title_en="Water cut", body_en="On Thursday from 9 to 12.")
    h.change = OccupantChangeNoticeFactory(agreement=h.agreement, submitted_by=h.main_tenant)
    h.termination = TerminationNoticeFactory(agreement=h.stranger_agreement, submitted_by=h.stranger)
    h.users = {}
    for who in ("main_tenant", "stranger", "sublessee", "guardian", "future_tenant"):
        h.users[who] = User.objects.create_user(f"{who}@example.com", "Sal4sana!", person=getattr(h, who))
    return h


def _pages(h) -> list[tuple[str, str]]:
    return [
        ("main_tenant", "/dashboard/"),
        ("main_tenant", "/economy/"),
        ("main_tenant", f"/economy/agreements/{h.agreement.pk}/occupant-changes/new/"),
        ("main_tenant", f"/economy/occupant-changes/{h.change.pk}/"),
        ("main_tenant", f"/economy/agreements/{h.agreement.pk}/terminate/"),
        ("stranger", f"/economy/terminations/{h.termination.pk}/"),
        ("main_tenant", "/profile/contact/"),
        ("sublessee", "/economy/"),
        ("guardian", "/dashboard/"),
        ("main_tenant", "/building/"),
        ("main_tenant", "/bulletins/"),
        ("main_tenant", f"/bulletins/{h.bulletin.pk}/"),
        ("main_tenant", "/documents/"),
        ("main_tenant", f"/economy/?year={h.agreement.starts_on.year}"),
        ("future_tenant", "/dashboard/"),
    ]


def _open_details(page) -> None:
    for details in page.locator("details").all():
        details.evaluate("element => element.open = true")


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_tenancy_pages_have_no_axe_violations_X_2(site, open_page, assert_accessible, screenshot, language, viewport):
    pages = {who: open_page(viewport=viewport, language=language, user=user) for who, user in site.users.items()}
    for who, path in _pages(site):
        page = pages[who]
        response = page.goto(path)
        # TEN-7: the sublessee's My economy is the refusal page, answered with 403.
        expected = 403 if (who, path) == ("sublessee", "/economy/") else 200
        assert response.status == expected, f"{who} {path}: {response.status}"
        assert page.locator("html").get_attribute("lang") == language
        _open_details(page)
        assert_accessible(page)
    pages["main_tenant"].goto("/dashboard/")
    screenshot(pages["main_tenant"], f"tenancy-dashboard-{language}-{viewport}")


@pytest.mark.parametrize(
    ("path", "button"),
    [
        ("/economy/agreements/{agreement.pk}/occupant-changes/new/", "Send the notice"),
        ("/economy/agreements/{agreement.pk}/terminate/", "Continue"),
        ("/profile/contact/", "Change the bank account number"),
    ],
)
def test_forms_with_errors_have_no_axe_violations_X_2(site, open_page, assert_accessible, path, button):
    page = open_page(viewport="phone", language="en", user=site.users["main_tenant"])
    page.goto(path.format(**vars(site)))
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()
    _open_details(page)
    assert_accessible(page)
