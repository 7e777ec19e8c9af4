"""Helpers of the registration tests: a strong identification stored in the session as the SAML
service provider stores it (accounts.saml.identity), and the activation link of a sent e-mail."""

from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from accounts.saml.identity import SESSION_IDENTITY
from tests.mail import found, text_of

LOA2 = "http://ftn.ficora.fi/2017/loa2"
STRONG_PASSWORD = "Kes4kuu!ilta"


def identify(client, person, *, purpose: str = "register", hetu_hash: str | None = None) -> None:
    """As if `person` had just identified with strong identification for `purpose`."""
    session = client.session
    session[SESSION_IDENTITY] = {
        "hetu_hash": hetu_hash or person.hetu_hash,
        "hetu_encrypted": getattr(person, "hetu_encrypted", "") or "x",
        "first_names": getattr(person, "first_names", "Testi"),
        "last_name": getattr(person, "last_name", "Henkilö"),
        "loa": LOA2,
        "purpose": purpose,
        "verified_at": timezone.now().isoformat(),
    }
    session.save()


def activation_path(message) -> str:
    link = found(r"https?://\S+/accounts/activate/\S+/", text_of(message))
    return urlsplit(link).path


def last_activation_path() -> str:
    return activation_path(mail.outbox[-1])


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate-limit counters live in the cache; every test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def register(english, django_capture_on_commit_callbacks):
    """Identify `person`, post the registration form, run the e-mail task; return the response."""

    def register(person, email: str, password: str = STRONG_PASSWORD, **extra):
        identify(english, person)
        with django_capture_on_commit_callbacks(execute=True):
            return english.post(
                "/accounts/register/details/", {"email": email, "password1": password, "password2": password, **extra}
            )

    return register


@pytest.fixture
def activate(english):
    """Open the activation link and confirm with `email` and `password`; return the last response."""

    def activate(path: str, email: str, password: str = STRONG_PASSWORD):
        opened = english.get(path)
        if opened.status_code != 302:
            return opened
        return english.post(opened["Location"], {"email": email, "password": password})

    return activate
