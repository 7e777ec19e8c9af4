"""No page ever shows a stack trace: errors get a plain page in the visitor's language (X-4)."""

import pytest
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_unknown_address_gets_a_translated_404_page_X_4(client, language):
    client.cookies["django_language"] = language
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{language}">' in page
    assert ("Page not found" in page) == (language == "en")
    assert "Traceback" not in page


@pytest.mark.django_db
def test_a_bug_in_a_view_shows_a_plain_500_page_without_a_stack_trace_X_4(settings):
    settings.ROOT_URLCONF = "tests.error_urls"
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Traceback" not in page
    assert "a bug in a view" not in page
    assert "<h1>" in page
