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
