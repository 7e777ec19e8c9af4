"""Login and "Forgot your password?" in headless Chromium (ACC-6, ACC-7, ACC-10, X-2)."""

import re

import pytest
from django.core import mail
from django.core.cache import cache

from accounts.models import User
from tests.mail import found, text_of

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Vanha-Sala1"
NEW_PASSWORD = "Uusi-Sala9"
LINK = re.compile(r"https?://\S+/accounts/password/reset/key/\S+/")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def accounts(household):
    return {
        "resident": User.objects.create_user("maija.virtanen@example.com", PASSWORD, person=household.main_tenant),
        "former": User.objects.create_user("ville@example.com", PASSWORD, person=household.former_tenant),
    }


def _log_in(page, email: str, password: str) -> None:
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def test_forgotten_password_is_reset_by_email_and_the_resident_logs_in_ACC_7(
    open_page, accounts, live_server, screenshot, assert_accessible
):
    page = open_page(viewport="phone", language="fi")
    page.goto("/accounts/login/")
    page.locator("main a[href='/accounts/password/reset/']").click()
    page.wait_for_load_state()
    page.locator("input[name=email]").fill("maija.virtanen@example.com")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/accounts/password/reset/done/")
    screenshot(page, "login-reset-done-fi-phone")

    assert len(mail.outbox) == 1
    link = found(LINK, text_of(mail.outbox[0]))
    page.goto(live_server.url + "/" + link.split("/", 3)[3])
    assert page.url.endswith("-set-password/"), page.content()
    # A password breaking P6 is refused with each failed rule named next to the field.
    page.locator("input[name=password1]").fill("lyhyt")
    page.locator("input[name=password2]").fill("lyhyt")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".field-error").count() >= 1
    assert_accessible(page)
    screenshot(page, "login-reset-new-password-errors-fi-phone")
    page.locator("input[name=password1]").fill(NEW_PASSWORD)
    page.locator("input[name=password2]").fill(NEW_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/accounts/password/reset/key/done/")
    screenshot(page, "login-reset-changed-fi-phone")

    page.goto("/accounts/login/")
    _log_in(page, "maija.virtanen@example.com", NEW_PASSWORD)
    page.wait_for_url("**/dashboard/")
    assert page.locator("h1").count() == 1


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_login_and_reset_pages_have_no_axe_violations_X_2(open_page, accounts, assert_accessible, screenshot, language, viewport):
    page = open_page(viewport=viewport, language=language)

    def check(name: str) -> None:
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("h1").count() == 1
        assert_accessible(page)
        screenshot(page, f"login-{name}-{language}-{viewport}")

    page.goto("/accounts/login/")
    check("login")
    _log_in(page, "maija.virtanen@example.com", "Wrong-Pass1")
    assert page.locator(".notice-error").count() == 1
    check("login-error")
    page.goto("/accounts/password/reset/")
    check("reset-request")
    page.locator("input[name=email]").fill("not-an-address")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    check("reset-request-error")
    page.goto("/accounts/password/reset/key/1-not-a-token/")
    check("reset-link-expired")
    page.goto("/accounts/login/")
    _log_in(page, "ville@example.com", PASSWORD)
    check("login-refused")
