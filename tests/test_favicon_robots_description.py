"""The small things a browser and a crawler ask for: /favicon.ico is a real icon, robots.txt keeps
the portal's private parts out of search engines, and every page has a meta description in its
language."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from tests.test_every_url import all_paths

PUBLIC = {"/", "/help/", "/accessibility/", "/privacy/", "/robots.txt", "/favicon.ico"}


def test_favicon_is_a_small_real_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00", "an ICO file"
    assert len(response.content) < 20_000
    assert "public" in response["Cache-Control"]


def test_robots_txt_disallows_every_private_part_and_nothing_public(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    disallowed = [line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow: ")]
    for path in [*all_paths(), "/admin/"]:
        if path in PUBLIC:
            assert not any(path.startswith(prefix) for prefix in disallowed), f"{path} is public"
        else:
            assert any(path.startswith(prefix) for prefix in disallowed), f"robots.txt does not keep out {path}"


@pytest.mark.parametrize("path", ["/", "/help/", "/accessibility/", "/accounts/login/", "/accounts/register/", "/applications/"])
def test_every_page_has_a_meta_description_in_its_language(client, db, path):
    descriptions = {}
    for language in ("fi", "sv", "en"):
        client.cookies["django_language"] = language
        page = client.get(path).content.decode()
        found = re.findall(r'<meta name="description"\s+content="([^"]*)"', page)
        assert len(found) == 1, f"{path} {language}: {found}"
        assert len(found[0]) > 40
        descriptions[language] = found[0]
        for link in re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="([^"]+)"', page):
            assert finders.find(link.removeprefix(settings.STATIC_URL)), link
    assert len(set(descriptions.values())) == 3, f"{path}: the description is not translated: {descriptions}"
