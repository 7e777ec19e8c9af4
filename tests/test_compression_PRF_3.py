"""PRF-3: pages are gzipped for a browser that accepts it, with Django's BREACH mitigation (a
random-length pad in every compressed response, the CSRF token masked anew on every request);
files are sent as they are; the navigation is rendered once and shown in both of its places."""

import gzip
import re

from tests.tenancy.pages import login

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def _found(pattern: str, page: str) -> str:
    match = re.search(pattern, page, re.S)
    assert match, pattern
    return match.group(1)


def test_a_resident_page_is_gzipped_for_a_browser_that_accepts_it_PRF_3(client, household):
    login(client, household.main_tenant)
    client.cookies["django_language"] = "en"

    response = client.get("/dashboard/", **GZIP)

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    page = gzip.decompress(response.content).decode()
    assert "Your homes" in page
    assert len(response.content) < len(page.encode()) / 3
    assert "no-store" in response["Cache-Control"]


def test_a_browser_that_does_not_accept_gzip_gets_the_page_as_it_is_PRF_3(client, household):
    login(client, household.main_tenant)
    response = client.get("/dashboard/")
    assert not response.has_header("Content-Encoding")
    assert b"<!DOCTYPE html>" in response.content


def test_each_compressed_page_has_its_own_length_and_csrf_token_BREACH_PRF_3(client, household):
    login(client, household.main_tenant)
    responses = [client.get("/accounts/profile/", **GZIP) for _ in range(8)]

    # Heal the BREACH: a random-length file name in the gzip header of each response.
    assert len({len(response.content) for response in responses}) > 1
    pages = [gzip.decompress(response.content).decode() for response in responses]
    tokens = [_found(r'name="csrfmiddlewaretoken" value="([^"]+)"', page) for page in pages]
    assert len(set(tokens)) == len(tokens), "the CSRF token is masked anew on every page"


def test_files_are_not_compressed_again_PRF_3(client, db):
    response = client.get("/favicon.ico", **GZIP)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


def test_the_navigation_is_rendered_once_and_shown_on_the_phone_and_the_desktop_PRF_3(client, household):
    login(client, household.main_tenant)
    client.cookies["django_language"] = "en"

    response = client.get("/dashboard/")

    assert [t.name for t in response.templates].count("includes/site_nav_links.html") == 1
    page = response.content.decode()
    narrow = _found(r'<details class="nav-menu">.*?<ul>(.*?)</ul>\s*</details>', page)
    wide = _found(r'<nav class="container site-nav site-nav-wide"[^>]*>\s*<ul>(.*?)</ul>\s*</nav>', page)
    assert narrow.strip() == wide.strip()
    assert 'href="/economy/"' in narrow
    assert "Log out" in narrow
