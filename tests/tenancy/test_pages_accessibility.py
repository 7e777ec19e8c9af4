"""X-2: the tenancy pages have no axe-core violations on a phone-sized screen, forms with errors
included."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from tests.conftest import CHROMIUM
from tests.factories.tenancy import InvoiceFactory
from tests.factories.tenancy_pages import BulletinFactory, OccupantChangeNoticeFactory, PaymentFactory, TerminationNoticeFactory
from tests.tenancy.pages import login

pytestmark = pytest.mark.browser


@pytest.fixture
def site(transactional_db, household, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}}}
    h = household
    h.building.information = "Saunavuorot varataan huoltoyhtiöltä."
    h.building.rescue_plan.save("plan.pdf", ContentFile(b"%PDF-1.4"))
    paid = InvoiceFactory(agreement=h.agreement, due_on=h.agreement.starts_on + timedelta(days=400))
    PaymentFactory(invoice=paid, amount=paid.amount)
    InvoiceFactory(agreement=h.agreement, due_on=h.agreement.starts_on + timedelta(days=800))
    h.bulletin = BulletinFactory(title_en="Water cut", body_en="On Thursday from 9 to 12.")
    h.change = OccupantChangeNoticeFactory(agreement=h.agreement, submitted_by=h.main_tenant)
    h.termination = TerminationNoticeFactory(agreement=h.stranger_agreement, submitted_by=h.stranger)
    return h


def _pages(h) -> list[tuple[str, str, str | None]]:
    """(who, path, the submit button to press first or None)."""
    return [
        ("main_tenant", "/dashboard/", None),
        ("main_tenant", "/economy/", None),
        ("main_tenant", f"/economy/agreements/{h.agreement.pk}/occupant-changes/new/", "Send the notice"),
        ("main_tenant", f"/economy/occupant-changes/{h.change.pk}/", None),
        ("main_tenant", f"/economy/agreements/{h.agreement.pk}/terminate/", None),
        ("main_tenant", f"/economy/agreements/{h.agreement.pk}/terminate/", "Continue"),
        ("stranger", f"/economy/terminations/{h.termination.pk}/", None),
        ("main_tenant", "/profile/contact/", "Change the bank account number"),
        ("sublessee", "/economy/", None),
        ("guardian", "/dashboard/", None),
        ("main_tenant", "/building/", None),
        ("main_tenant", "/bulletins/", None),
        ("main_tenant", f"/bulletins/{h.bulletin.pk}/", None),
        ("future_tenant", "/dashboard/", None),
    ]


def test_tenancy_pages_have_no_axe_violations_X_2(site, live_server, monkeypatch):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    sessions = {}
    for who in {who for who, _, _ in _pages(site)}:
        client = Client()
        login(client, getattr(site, who))
        sessions[who] = client.cookies["sessionid"].value
    pages = _pages(site)
    # Playwright's sync API runs an event loop in this thread; the ORM work is done above.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    failures = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for who, path, button in pages:
            context = browser.new_context(viewport={"width": 375, "height": 740}, locale="en-GB")
            context.add_cookies(
                [
                    {"name": "sessionid", "value": sessions[who], "url": live_server.url},
                    {"name": "django_language", "value": "en", "url": live_server.url},
                ]
            )
            page = context.new_page()
            page.goto(live_server.url + path)
            if button:
                page.get_by_role("button", name=button).click()
                page.wait_for_load_state()
            for details in page.locator("details").all():
                details.evaluate("element => element.open = true")
            results = Axe().run(page)
            if results.violations_count:
                failures.append(f"{who} {path} {button or ''}:\n{results.generate_report()}")
            context.close()
        browser.close()
    assert not failures, "\n".join(failures)
