"""Every URL of the portal, walked as an anonymous visitor, a stranger, a resident and staff:
never a server error, and no resident page answers a visitor who is not logged in (X-4)."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import User

# Pages anyone may open; everything else must send an anonymous visitor to log in or refuse.
PUBLIC_PREFIXES = (
    "/",
    "/help/",
    "/accessibility/",
    "/privacy/",
    "/i18n/",
    "/accounts/",
    "/saml/",
    "/dev-idp/",
    "/applications/",
    "/admin/",
    "/favicon.ico",
    "/robots.txt",
)
SKIP = ("/admin/",)  # the admin is walked by its own tests; its URL space is Django's
ARGUMENT_VALUES = {"int": "1", "str": "x", "slug": "x", "uuid": "00000000-0000-0000-0000-000000000000", "path": "x"}


def _walk(patterns, prefix: str = "") -> list[str]:
    paths = []
    for entry in patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            paths += _walk(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            paths.append(prefix + route)
    return paths


def _concrete(route: str) -> str | None:
    if route.startswith("^") or "(?P" in route:
        return None  # a regular-expression route (Django's own, e.g. static or the admin)
    path = re.sub(r"<(?:(\w+):)?\w+>", lambda match: ARGUMENT_VALUES.get(match.group(1) or "str", "x"), route)
    return "/" + path


def all_paths() -> list[str]:
    paths = {_concrete(route) for route in _walk(get_resolver().url_patterns)}
    return sorted(path for path in paths if path and not path.startswith(SKIP))


@pytest.fixture
def people(household):
    return {
        "stranger": User.objects.create_user("stranger@example.com", "Sal4sana!", person=household.stranger),
        "resident": User.objects.create_user("resident@example.com", "Sal4sana!", person=household.main_tenant),
        "staff": User.objects.create_superuser("staff@example.com", "Sal4sana!"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "stranger", "resident", "staff"])
def test_no_url_answers_with_a_server_error(client, people, who):
    if who != "anonymous":
        client.force_login(people[who])
    errors = []
    for path in all_paths():
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            # 503 is the deliberate "strong identification is not available" page: the tests
            # configure no identity provider. Anything else from 500 up is a crash.
            if response.status_code >= 500 and response.status_code != 503:
                errors.append(f"{method.upper()} {path}: {response.status_code}")
    assert not errors, "\n".join(errors)


@pytest.mark.django_db
def test_anonymous_visitor_never_sees_a_resident_page(client, household):
    leaks = []
    for path in all_paths():
        if path == "/" or any(path.startswith(prefix) for prefix in PUBLIC_PREFIXES if prefix != "/"):
            continue
        response = client.get(path)
        if response.status_code == 200:
            leaks.append(path)
    assert not leaks, f"resident pages open to an anonymous visitor: {leaks}"
