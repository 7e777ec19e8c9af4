"""The public pages answer in Finnish, Swedish and English (X-1) and link the accessibility
statement from every page (X-10)."""

import pytest

PAGES = ["/", "/help/", "/accessibility/", "/accounts/login/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_public_page_speaks_the_chosen_language_X_1(client, path, language):
    client.cookies["django_language"] = language
    response = client.get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    assert 'href="/accessibility/"' in body


@pytest.mark.django_db
def test_language_switcher_remembers_the_choice(client):
    response = client.post("/i18n/setlang/", {"language": "sv", "next": "/help/"})
    assert response.status_code == 302
    assert response["Location"] == "/help/"
    assert '<html lang="sv">' in client.get("/help/").content.decode()


def test_help_page_says_power_of_attorney_does_not_work_with_ones_own_account(client, db):
    """SPEC section 1: an attorney logs in with the principal's own credentials."""
    client.cookies["django_language"] = "en"
    body = client.get("/help/").content.decode()
    assert "Your own user name and password never act for another person." in body
