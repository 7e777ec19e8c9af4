"""Seed 003 in headless Chromium: an applicant and a co-applicant confirm a housing application
with two identities at the development identity provider (APP-1..APP-4, X-1, X-2).

The co-applicant's link is taken from the e-mail as a real SMTP server (aiosmtpd) received it.
Every page of the path is checked with axe-core in Finnish, Swedish and English, and saved as a
screenshot at phone and desktop widths.
"""

import email
import socket
import time
from datetime import timedelta
from decimal import Decimal
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.utils import timezone

from applications.models import Application, CoApplicantLink
from tests.applications.flow import ANNA, KALLE
from tests.mail import payload_text

RUNS = [("fi", "phone"), ("sv", "desktop"), ("en", "desktop"), ("en", "phone")]


@pytest.fixture
def portal(settings, live_server):
    settings.ROOT_URLCONF = "tests.applications.urls"
    settings.HEKA_DEV_IDP_ENABLED = True
    settings.HEKA_SAML_IDP_METADATA_FILE = ""
    settings.HEKA_SITE_URL = live_server.url
    return live_server


class Mailbox:
    """An SMTP server's handler that keeps every message it accepted."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def link_to(self, address: str, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.messages:
                if message["To"] == address:
                    text = next(part for part in message.walk() if part.get_content_type() == "text/plain")
                    body = payload_text(text)
                    return next(word for word in body.split() if "/applications/link/" in word)
            time.sleep(0.1)
        raise AssertionError(f"no e-mail to {address} reached the SMTP server")


@pytest.fixture
def smtp_mailbox(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Mailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    yield handler
    controller.stop()


def _check(page, assert_accessible, screenshot, name: str, language: str, viewport: str) -> None:
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    screenshot(page, f"applications-{name}-{language}-{viewport}")


def _submit_button(page):
    return page.locator("main form button[type=submit]:not([name])").last


def _identify(page, person_key: str, next_path: str) -> None:
    page.locator("main form[action$='/identify/'] button").click()
    page.wait_for_url("**/dev-idp/login/")
    page.locator(f"input[name=person][value='{person_key}']").check()
    page.locator("main button[type=submit]:not([name=cancel])").click()
    page.wait_for_url(f"**{next_path}")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("language", "viewport"), RUNS)
def test_seed_003_applicant_and_co_applicant_confirm_APP_1_APP_2_APP_3_APP_4(
    portal, smtp_mailbox, open_page, assert_accessible, screenshot, language, viewport
):
    check = lambda page, name: _check(page, assert_accessible, screenshot, name, language, viewport)  # noqa: E731

    # The applicant fills in and sends the application (APP-1).
    page = open_page(viewport=viewport, language=language)
    page.goto("/applications/")
    check(page, "index")
    page.goto("/applications/new/")
    check(page, "form")
    _submit_button(page).click()  # nothing filled in: errors tied to the fields
    check(page, "form-errors")
    page.locator("input[name=areas][value=central]").check()
    page.locator("input[name=areas][value=eastern]").check()
    page.locator("input[name=apartment_size][value='3']").check()
    page.fill("input[name=max_rent]", "1100")
    page.fill("input[name=moving_date]", (timezone.localdate() + timedelta(days=40)).isoformat())
    page.fill("input[name=first_names]", ANNA.first_names)
    page.fill("input[name=last_name]", ANNA.last_name)
    page.fill("input[name=birth_date]", ANNA.birth_date.isoformat())
    page.fill("input[name=email]", "anna@example.com")
    page.fill("input[name='co-0-first_names']", KALLE.first_names)
    page.fill("input[name='co-0-last_name']", KALLE.last_name)
    page.fill("input[name='co-0-birth_date']", KALLE.birth_date.isoformat())
    page.fill("input[name='co-0-email']", "kalle@example.com")
    page.fill("input[name='co-1-first_names']", "Eeli")
    page.fill("input[name='co-1-last_name']", ANNA.last_name)
    page.fill("input[name='co-1-birth_date']", (timezone.localdate() - timedelta(days=9 * 365)).isoformat())
    _submit_button(page).click()
    page.wait_for_url("**/submitted/")
    check(page, "submitted")
    application = Application.objects.get()

    # "Go on to confirm the application" → cookies → identification → terms → choose → confirm (APP-2).
    page.locator("main a[href='/applications/confirm/']").click()
    check(page, "confirm-cookies")
    page.locator("button[name=choice][value=accept]").click()
    page.wait_for_url("**/applications/confirm/")
    check(page, "confirm")
    _identify(page, ANNA.key, "/applications/confirm/terms/")
    check(page, "terms")
    _submit_button(page).click()
    page.wait_for_url("**/applications/confirm/choose/")
    check(page, "choose")
    assert page.locator("input[name=applicants]").is_checked()
    _submit_button(page).click()
    page.wait_for_url(f"**/applications/{application.pk}/")
    check(page, "detail-waiting")
    assert page.locator(".application-waiting").count() == 1
    assert page.locator(".status-valid").count() == 2  # Anna identified and confirmed

    # The co-applicant opens the e-mailed link, identifies as himself and confirms (APP-3).
    link = smtp_mailbox.link_to("kalle@example.com")
    assert link.startswith(portal.url)
    co = open_page(viewport=viewport, language=language)
    co.goto(link)
    check(co, "link-cookies")
    co.locator("button[name=choice][value=accept]").click()
    co.wait_for_url(link)
    check(co, "link")
    _identify(co, KALLE.key, "/applications/confirm/terms/")
    _submit_button(co).click()
    co.wait_for_url("**/applications/link/confirm/")
    check(co, "co-confirm")
    _submit_button(co).click()
    co.wait_for_url(f"**/applications/{application.pk}/")

    # The applicant's page now shows both adults confirmed and the application valid (APP-4).
    page.reload()
    check(page, "detail-valid")
    assert page.locator(".application-valid").count() == 1
    assert page.locator(".status-valid").count() == 4
    application.refresh_from_db()
    assert application.is_valid

    # The used link now explains itself.
    used = open_page(viewport=viewport, language=language)
    used.goto(link)
    check(used, "link-used")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_declined_cookies_wrong_person_and_expired_link_pages_APP_2_APP_3(
    portal, open_page, assert_accessible, screenshot, submit_in_browser_test, language
):
    viewport = "phone"
    check = lambda page, name: _check(page, assert_accessible, screenshot, name, language, viewport)  # noqa: E731
    page = open_page(viewport=viewport, language=language)
    page.goto("/applications/confirm/")
    page.locator("button[name=choice][value=decline]").click()
    check(page, "cookies-declined")

    link = submit_in_browser_test()
    # Anna uses Kalle's link: refused, nothing changes.
    page.goto(link)
    page.locator("button[name=choice][value=accept]").click()
    page.wait_for_url(link)
    _identify(page, ANNA.key, "/applications/confirm/terms/")
    check(page, "mismatch")
    assert CoApplicantLink.objects.get().state() == CoApplicantLink.State.USABLE

    CoApplicantLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    page.goto(link)
    check(page, "link-expired")

    for path, name in [("/applications/username/", "username"), ("/applications/sign-in/", "sign-in")]:
        page.goto(path)
        check(page, name)
    page.locator("main form button[type=submit]").click()
    check(page, "sign-in-errors")


@pytest.fixture
def submit_in_browser_test(portal):
    from applications import services

    def submit() -> str:
        services.application_submit(
            applicant=services.PersonData(ANNA.first_names, ANNA.last_name, ANNA.birth_date, "anna@example.com"),
            co_applicants=[services.PersonData(KALLE.first_names, KALLE.last_name, KALLE.birth_date, "kalle@example.com")],
            areas=["central"],
            apartment_size="2",
            max_rent=Decimal("900"),
            moving_date=timezone.localdate() + timedelta(days=30),
            language="fi",
        )
        message = next(message for message in mail.outbox if message.to == ["kalle@example.com"])
        return next(word for word in message.body.split() if "/applications/link/" in word)

    return submit
