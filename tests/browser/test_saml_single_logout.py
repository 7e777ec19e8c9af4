"""Single logout in headless Chromium with the identity provider on another site (SFI-4, SFI-6).

The portal is served at one host name and the development identity provider at another (the
same live server as `localhost` and `idp.localhost`, which Chromium resolves to the loopback
address: two sites to the browser, and both host names, as CSP host sources must be), as with Suomi.fi:
the ACS gets a cross-site POST, and a logout at another service reaches /saml/slo/ in a hidden
cross-site iframe, where the portal's SameSite=Lax session cookie is not sent.
"""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.saml import views as saml_views
from tests.factories.tenancy import AgreementPartyFactory, PersonFactory, RentalAgreementFactory

TESSA = "010280-952L"


@pytest.fixture
def two_sites(settings, live_server):
    """(portal origin, identity provider origin)."""
    parts = urlsplit(live_server.url)
    portal = f"http://localhost:{parts.port}"
    identity_provider = f"http://idp.localhost:{parts.port}"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost", "idp.localhost"]
    settings.ROOT_URLCONF = "tests.saml.urls"
    settings.HEKA_DEV_IDP_ENABLED = True
    settings.HEKA_SAML_IDP_METADATA_FILE = ""
    settings.HEKA_SITE_URL = portal
    settings.HEKA_DEV_IDP_BASE_URL = identity_provider
    return portal, identity_provider


@pytest.fixture
def tessa(db):
    today = timezone.localdate()
    person = PersonFactory(first_names="Tessa", last_name="Testilä", hetu=TESSA)
    agreement = RentalAgreementFactory(signed_on=today - timedelta(days=400), starts_on=today - timedelta(days=365))
    AgreementPartyFactory(agreement=agreement, person=person)
    return person


@pytest.fixture
def slo_requests(monkeypatch):
    """What /saml/slo/ saw of each LogoutRequest from the IdP: the cookies the browser sent."""
    seen = []
    original = saml_views._logout_request

    def recording(request, saml_settings):
        seen.append(set(request.COOKIES))
        return original(request, saml_settings)

    monkeypatch.setattr(saml_views, "_logout_request", recording)
    return seen


def _identify_as_tessa(page, portal: str, identity_provider: str) -> None:
    page.goto(f"{portal}/accounts/register/")
    page.locator("form[action$='/accounts/register/identify/'] button").click()
    page.wait_for_url(f"{identity_provider}/dev-idp/login/")
    page.locator(f"input[name=person][value='{TESSA}']").check()
    page.locator("main button[type=submit]:not([name=cancel])").click()
    page.wait_for_url(f"{portal}/accounts/register/details/")


def _session_key(context, portal: str) -> str:
    return next(cookie["value"] for cookie in context.cookies(portal) if cookie["name"] == django_settings.SESSION_COOKIE_NAME)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("language", "viewport"), [("en", "desktop"), ("fi", "phone"), ("sv", "desktop")])
def test_logout_at_another_service_ends_the_session_from_a_cross_site_iframe_SFI_4_SFI_6(
    two_sites, tessa, slo_requests, open_page, assert_accessible, screenshot, language, viewport
):
    """SFI-4, SFI-6: after identifying at the IdP on the other site, the person logs out "at
    another service": the IdP's page loads our /saml/slo/ in a hidden iframe, the request carries
    no session cookie of ours, and the portal session still ends; the IdP gets the LogoutResponse."""
    portal, identity_provider = two_sites
    page = open_page(viewport=viewport, language=language)
    _identify_as_tessa(page, portal, identity_provider)
    assert "Tessa" in page.locator("main").inner_text()
    session_key = _session_key(page.context, portal)
    assert Session.objects.filter(session_key=session_key).exists()

    idp_page = page.context.new_page()
    idp_page.goto(f"{identity_provider}/dev-idp/logout/")
    assert "Tessa Testilä" in idp_page.locator("main").inner_text()
    screenshot(idp_page, f"suomifi-idp-logout-start-{language}-{viewport}")
    idp_page.locator("main form button[type=submit]").click()
    frame = idp_page.locator("iframe[hidden]")
    assert frame.count() == 1
    assert frame.get_attribute("src").startswith(f"{portal}/saml/slo/?SAMLRequest=")
    result = idp_page.frame_locator("iframe[hidden]").locator("#logout-result")
    result.wait_for(state="attached")
    assert result.get_attribute("data-confirmed") == "yes"

    assert len(slo_requests) == 1
    assert django_settings.SESSION_COOKIE_NAME not in slo_requests[0], slo_requests
    assert not Session.objects.filter(session_key=session_key).exists()
    idp_page.goto(f"{identity_provider}/dev-idp/logout/")
    assert_accessible(idp_page)
    screenshot(idp_page, f"suomifi-idp-logout-done-{language}-{viewport}")

    page.goto(f"{portal}/accounts/register/details/")
    assert "Tessa" not in page.locator("main").inner_text()
    assert page.locator("form[action$='/accounts/register/identify/']").count() == 1
    screenshot(page, f"suomifi-portal-after-idp-logout-{language}-{viewport}")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("language", "viewport"), [("en", "phone"), ("fi", "desktop"), ("sv", "phone")])
def test_log_out_in_the_portal_confirm_at_the_idp_and_land_on_a_clear_page_SFI_4(
    two_sites, tessa, open_page, assert_accessible, screenshot, language, viewport
):
    """SFI-4: "Log out" in the navigation ends the local session first, the IdP on the other site
    asks for confirmation, and its LogoutResponse ends on the portal's logged-out page."""
    portal, identity_provider = two_sites
    page = open_page(viewport=viewport, language=language)
    _identify_as_tessa(page, portal, identity_provider)
    session_key = _session_key(page.context, portal)
    page.locator("form[action$='/accounts/logout/'] button").locator("visible=true").first.click()
    page.wait_for_url(f"{identity_provider}/dev-idp/slo/**")
    assert not Session.objects.filter(session_key=session_key).exists()  # closed before the IdP answered
    screenshot(page, f"suomifi-idp-logout-confirm-{language}-{viewport}")

    page.locator("main form button[type=submit]:not([name=cancel])").click()
    page.wait_for_url(f"{portal}/saml/slo/**")
    assert page.locator("h1").count() == 1
    assert page.locator(".notice-success").count() == 1
    assert_accessible(page)
    screenshot(page, f"suomifi-portal-logged-out-{language}-{viewport}")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("language", "viewport"), [("en", "desktop"), ("fi", "phone"), ("sv", "desktop")])
def test_cancel_at_the_idp_lands_on_a_clear_page_SFI_4(two_sites, open_page, assert_accessible, screenshot, language, viewport):
    """SFI-4: cancelling at the IdP on the other site brings the person to a clear page with "try
    again", not an error page."""
    portal, identity_provider = two_sites
    page = open_page(viewport=viewport, language=language)
    page.goto(f"{portal}/accounts/register/")
    page.locator("form[action$='/accounts/register/identify/'] button").click()
    page.wait_for_url(f"{identity_provider}/dev-idp/login/")
    page.locator("main button[name=cancel]").click()
    page.wait_for_url(f"{portal}/saml/refused/cancelled/")

    assert page.locator(".notice-error").count() == 0
    assert page.locator("main a[href='/accounts/register/details/']").count() == 1
    assert_accessible(page)
    screenshot(page, f"suomifi-portal-cancelled-{language}-{viewport}")


@pytest.mark.django_db(transaction=True)
def test_only_the_identity_provider_origin_may_frame_the_portal_SFI_4(two_sites, open_page):
    """SFI-4: a page of the IdP's origin can show /saml/slo/'s own page in a frame (here its refusal
    of an unsigned LogoutRequest); the portal's other pages refuse to be framed by it."""
    _, identity_provider = two_sites
    page = open_page(language="en")
    page.goto(f"{identity_provider}/test-frames/")

    page.frame_locator("#slo").locator("h1").wait_for(state="attached")
    assert page.frame_locator("#slo").locator("h1").text_content().strip() == "Logout failed"
    front = page.locator("#front").element_handle().content_frame()
    front.wait_for_load_state()
    assert front.url.startswith("chrome-error:")  # refused: X-Frame-Options DENY, frame-ancestors 'none'
