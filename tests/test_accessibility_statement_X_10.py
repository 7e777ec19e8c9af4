"""X-10: the accessibility statement, with its feedback channel, is linked from every page the
portal shows: public, resident, refusal and error pages alike."""

import pytest

from accounts.models import User
from tests.test_every_url import all_paths


def _shown_pages(client) -> list[tuple[str, str]]:
    """(path, body) of every HTML page a GET answers with content (redirects and 405s have none)."""
    pages = []
    for path in all_paths():
        response = client.get(path)
        if getattr(response, "streaming", False) or "text/html" not in response.get("Content-Type", ""):
            continue
        if response.status_code in (301, 302, 405):
            continue
        pages.append((path, response.content.decode()))
    return pages


@pytest.mark.parametrize("who", ["anonymous", "main_tenant", "future_tenant", "former_tenant", "stranger"])
def test_every_page_links_the_accessibility_statement_X_10(client, household, who):
    if who != "anonymous":
        client.force_login(User.objects.create_user(f"{who}@example.com", "Sal4sana!", person=getattr(household, who)))
    client.cookies["django_language"] = "en"

    pages = _shown_pages(client)

    assert len(pages) > 10
    missing = [path for path, body in pages if 'href="/accessibility/"' not in body]
    assert not missing, missing


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_accessibility_statement_offers_a_feedback_channel_X_10(client, language):
    client.cookies["django_language"] = language

    body = client.get("/accessibility/").content.decode()

    assert 'href="mailto:' in body
    assert 'href="tel:' in body
    assert f'<html lang="{language}">' in body


@pytest.mark.django_db
def test_accessibility_statement_has_its_date_known_problems_and_the_current_supervisor_X_10(client):
    client.cookies["django_language"] = "en"

    body = client.get("/accessibility/").content.decode()

    assert "The statement was drawn up on 1 December 2026 and last reviewed on 1 December 2026." in body
    assert "<h2>Known problems</h2>" in body
    assert "partly meets the WCAG 2.1 level AA requirements" in body
    # The Regional State Administrative Agencies ended on 31 December 2025.
    assert "Finnish Supervisory Agency (Lupa- ja valvontavirasto)" in body
    assert "Regional State Administrative Agency for Southern Finland" not in body
    assert 'href="https://www.webaccessibility.fi/"' in body


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "site"), [("fi", "saavutettavuusvaatimukset.fi"), ("sv", "tillganglighetskrav.fi")])
def test_accessibility_statement_links_the_supervisors_site_in_the_language_X_10(client, language, site):
    client.cookies["django_language"] = language
    assert f'href="https://www.{site}/"' in client.get("/accessibility/").content.decode()


def test_defect_form_gives_the_phone_numbers_for_urgent_defects_SRQ_1(client, household, settings):
    client.force_login(User.objects.create_user("m@example.com", "Sal4sana!", person=household.main_tenant))
    client.cookies["django_language"] = "en"

    body = client.get("/requests/defects/new/").content.decode()

    assert "Is it urgent?" in body
    assert settings.HEKA_CUSTOMER_SERVICE_PHONE == "09 5767 3000"
    assert settings.HEKA_ONCALL_PHONE == "09 5767 3100"
    assert 'href="tel:0957673000">09 5767 3000</a>' in body
    assert 'href="tel:0957673100">09 5767 3100</a>' in body
