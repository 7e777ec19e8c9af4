"""Registration in headless Chromium: strong identification at the development identity provider
(ACC-1, ACC-3) and office identification (ACC-4), each ending on the dashboard, with axe on every page."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import User
from tests.factories.accounts import OfficeIdentificationFactory
from tests.factories.tenancy import AgreementPartyFactory, PersonFactory, RentalAgreementFactory
from tests.mail import found, text_of

HETU = "010280-9662"  # Anna Maria Aaltonen, a demo person of the development IdP
PASSWORD = "Kes4kuu!ilta"
P8_PASSWORD = "SAUNATONTTU!"


@pytest.fixture
def dev_idp(settings, live_server):
    settings.ROOT_URLCONF = "tests.saml.urls"
    settings.HEKA_DEV_IDP_ENABLED = True
    settings.HEKA_SAML_IDP_METADATA_FILE = ""
    settings.HEKA_SITE_URL = live_server.url


def _resident(**person):
    today = timezone.localdate()
    resident = PersonFactory(**person)
    agreement = RentalAgreementFactory(signed_on=today - timedelta(days=400), starts_on=today - timedelta(days=365))
    AgreementPartyFactory(agreement=agreement, person=resident)
    return resident


def _activation_path() -> str:
    assert mail.outbox, "no activation e-mail was sent"
    link = found(r"https?://\S+/accounts/activate/\S+/", text_of(mail.outbox[-1]))
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def _confirm_and_reach_dashboard(page, assert_accessible, screenshot, name: str, email: str, password: str) -> None:
    page.goto(_activation_path())
    page.wait_for_url("**/accounts/activate/confirm/")
    assert_accessible(page)
    screenshot(page, f"{name}-confirm")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Activate my account").click()
    page.wait_for_url("**/dashboard/")
    assert "Your account is now active" in page.content()
    assert_accessible(page)
    screenshot(page, f"{name}-dashboard")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_register_with_strong_identification_end_to_end_ACC_1_ACC_3(dev_idp, open_page, assert_accessible, screenshot, viewport):
    resident = _resident(first_names="Anna Maria", last_name="Aaltonen", hetu=HETU)
    name = f"accounts-electronic-{viewport}"
    page = open_page(viewport=viewport, language="en")

    page.goto("/")
    page.get_by_role("link", name="Register as user").first.click()
    page.wait_for_url("**/accounts/register/")
    assert_accessible(page)
    screenshot(page, f"{name}-register")

    page.get_by_role("button", name="Identify yourself").click()
    page.wait_for_url("**/dev-idp/login/")
    page.get_by_label(f"Anna Maria Aaltonen, {HETU}").check()
    page.get_by_role("button", name="Identify", exact=True).click()
    page.wait_for_url("**/accounts/register/details/")
    assert "Hello Anna Maria" in page.content()
    assert HETU not in page.url
    assert_accessible(page)

    # A mistake first: the address stays, the password does not, and each failed rule is named.
    page.get_by_label("E-mail address").fill("Anna.Aaltonen@Example.com")
    page.get_by_label("Password", exact=True).fill("anna")
    page.get_by_label("Password again").fill("anna")
    page.get_by_role("button", name="Register").click()
    assert page.get_by_label("E-mail address").input_value() == "Anna.Aaltonen@Example.com"
    assert page.get_by_label("Password", exact=True).input_value() == ""
    assert "The password must contain a capital letter." in page.content()
    assert_accessible(page)
    screenshot(page, f"{name}-details-errors")

    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Register").click()
    page.wait_for_url("**/accounts/register/sent/")
    assert "anna.aaltonen@example.com" in page.content()
    assert_accessible(page)
    screenshot(page, f"{name}-sent")
    assert not User.objects.get(email="anna.aaltonen@example.com").is_active

    _confirm_and_reach_dashboard(page, assert_accessible, screenshot, name, "ANNA.aaltonen@example.com", PASSWORD)
    assert User.objects.get(email="anna.aaltonen@example.com", is_active=True).person == resident


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_register_with_office_identification_end_to_end_ACC_4_ACC_5(dev_idp, open_page, assert_accessible, screenshot, viewport):
    resident = _resident(first_names="Kalle", last_name="Korhonen")
    OfficeIdentificationFactory(person=resident, email="kalle@example.com")
    name = f"accounts-office-{viewport}"
    page = open_page(viewport=viewport, language="en")

    page.goto("/accounts/register/")
    page.get_by_role("link", name="Office identification").click()
    page.wait_for_url("**/accounts/register/office/")
    assert_accessible(page)
    screenshot(page, f"{name}-email")
    page.get_by_label("The e-mail address you gave at the office").fill("kalle@example.com")
    page.get_by_role("button", name="Identify").click()
    page.wait_for_url("**/accounts/register/office/password/")
    assert_accessible(page)
    screenshot(page, f"{name}-password")

    page.get_by_label("Password", exact=True).fill(P8_PASSWORD)
    page.get_by_label("Password again").fill(P8_PASSWORD)
    page.get_by_role("button", name="Register").click()
    page.wait_for_url("**/accounts/register/sent/")

    _confirm_and_reach_dashboard(page, assert_accessible, screenshot, name, "kalle@example.com", P8_PASSWORD)
    assert User.objects.get(email="kalle@example.com", is_active=True).person == resident


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
@pytest.mark.parametrize(
    "path", ["/accounts/register/", "/accounts/register/office/", "/accounts/activate/new/", "/accounts/activate/confirm/"]
)
def test_registration_pages_pass_axe_in_every_language_X_1_X_2(
    open_page, assert_accessible, screenshot, language, viewport, path
):
    page = open_page(viewport=viewport, language=language)
    page.goto(path)
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    screenshot(page, f"accounts-{path.strip('/').replace('/', '-')}-{language}-{viewport}")


@pytest.mark.django_db(transaction=True)
def test_refusal_and_profile_pages_pass_axe_ACC_8_ACC_10(dev_idp, open_page, assert_accessible, screenshot):
    resident = _resident(first_names="Liisa", last_name="Mäkinen")
    user = User.objects.create_user("liisa@example.com", PASSWORD, person=resident, language="en")
    page = open_page(viewport="phone", language="en", user=user)
    page.goto("/accounts/profile/")
    assert "cannot be changed" in page.content()
    assert_accessible(page)
    screenshot(page, "accounts-profile-phone")
    page.get_by_label("Svenska").check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/accounts/profile/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert_accessible(page)
