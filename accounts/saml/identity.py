"""Strong identification (ACC-1, ACC-9, ACC-14, ACC-15): the interface the account flows use.

    from accounts.saml.identity import start_identification, get_verified_identity, clear_verified_identity

``start_identification(request, *, purpose, next_url) -> HttpResponse``
    Begins strong identification: redirects the browser to the identity provider with a signed
    (RSA-SHA256) AuthnRequest that carries the user interface language. ``purpose`` is a short
    lowercase word ("register", "link", "application") that the identity is stored for;
    ``next_url`` is a same-site path to go to afterwards (anything else is replaced by the front
    page). Any identity verified earlier in this session is forgotten. Without a usable identity
    provider it answers with a clear 503 page instead.

After a fully validated response (accounts.saml.validation) the session holds::

    request.session["heka_identity"] = {
        "hetu_hash": tenancy.hetu.lookup_hash(code), "hetu_encrypted": tenancy.hetu.encrypt(code),
        "first_names": ..., "last_name": ..., "loa": <level-of-assurance URI>,
        "purpose": ..., "verified_at": <ISO 8601 timestamp>,
    }

never the identity code in clear; the session key is cycled, the SAML session at the identity
provider is recorded (accounts.saml.sessions) so that single logout can end this session later
(SFI-4), and the browser ends up at ``next_url``. A refusal shows a clear page, logs one line
without the identity code and stores nothing.

The SAML session at Suomi.fi stays open until the person logs out (the portal's "Log out" closes
this session first and then tells the IdP) or logs out at another Suomi.fi service (the IdP's
LogoutRequest ends this session). Suomi.fi asks the person to confirm a logout, so the portal
never starts one without them.

``get_verified_identity(request, *, purpose, max_age_seconds=900) -> VerifiedIdentity | None``
    That identity as a frozen dataclass, if it was verified for ``purpose`` at most
    ``max_age_seconds`` ago; otherwise None.

``clear_verified_identity(request)``
    Forgets it; call this once the identity has been used (an account created or linked).
"""

import datetime
import functools
import logging
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from onelogin.saml2.auth import OneLogin_Saml2_Auth
from onelogin.saml2.authn_request import OneLogin_Saml2_Authn_Request
from onelogin.saml2.settings import OneLogin_Saml2_Settings

from tenancy import hetu

from . import config, constants
from .refusals import Refusal, refusal_response
from .validation import ValidatedAssertion

logger = logging.getLogger("accounts.saml")

SESSION_IDENTITY = "heka_identity"
SESSION_REQUEST = "heka_saml_request"
SESSION_LOGOUT = "heka_saml_logout"
# How long an AuthnRequest or LogoutRequest may wait for its answer.
PENDING_MAX_AGE_SECONDS = 15 * 60

_PURPOSE = re.compile(r"[a-z][a-z0-9_-]{0,31}")
_LANGUAGES = ("fi", "sv", "en")


@dataclass(frozen=True)
class VerifiedIdentity:
    hetu_hash: str
    hetu_encrypted: str
    first_names: str
    last_name: str
    loa: str
    purpose: str
    verified_at: datetime.datetime


def start_identification(request: HttpRequest, *, purpose: str, next_url: str) -> HttpResponse:
    if not _PURPOSE.fullmatch(purpose):
        raise ValueError(f"purpose must be a short lowercase word, not {purpose!r}")
    if not is_same_site_path(request, next_url):
        logger.warning("strong identification: next_url %r is not a same-site path; using the front page", next_url[:200])
        next_url = reverse("home")
    try:
        saml_settings = config.saml_settings(request)
    except config.IdentityProviderUnavailable as error:
        return refusal_response(request, Refusal("unavailable", str(error)))

    language = ui_language()
    auth = _Auth(config.request_data(request), saml_settings, language=language)
    # RelayState is opaque to us: what happens next is decided by the session, not by the IdP.
    # ForceAuthn: a Suomi.fi session left open on a shared computer must not identify the next person.
    redirect_url = auth.login(return_to=secrets.token_urlsafe(16), force_authn=True)
    clear_verified_identity(request)
    request.session[SESSION_REQUEST] = {
        "id": auth.get_last_request_id(),
        "purpose": purpose,
        "next": next_url,
        "issued_at": time.time(),
    }
    logger.info("strong identification started: purpose=%s request=%s", purpose, auth.get_last_request_id())
    return no_store(HttpResponseRedirect(with_language(redirect_url, language)))


def get_verified_identity(request: HttpRequest, *, purpose: str, max_age_seconds: int = 900) -> VerifiedIdentity | None:
    stored = request.session.get(SESSION_IDENTITY)
    if not isinstance(stored, dict) or stored.get("purpose") != purpose:
        return None
    try:
        identity = VerifiedIdentity(
            hetu_hash=stored["hetu_hash"],
            hetu_encrypted=stored["hetu_encrypted"],
            first_names=stored["first_names"],
            last_name=stored["last_name"],
            loa=stored["loa"],
            purpose=stored["purpose"],
            verified_at=datetime.datetime.fromisoformat(stored["verified_at"]),
        )
    except (KeyError, TypeError, ValueError):
        return None
    age = timezone.now() - identity.verified_at
    if age < datetime.timedelta(0) or age > datetime.timedelta(seconds=max_age_seconds):
        return None
    return identity


def clear_verified_identity(request: HttpRequest) -> None:
    request.session.pop(SESSION_IDENTITY, None)


def identity_from_assertion(assertion: ValidatedAssertion) -> dict[str, str]:
    """The session record of a validated assertion, without its purpose; raises Refusal without a
    usable identity code (SFI-2: a foreign eIDAS identity brings PersonIdentifier instead)."""
    code = assertion.first(constants.HETU)
    if not code:
        if assertion.first(constants.EIDAS_PERSON_IDENTIFIER):
            raise Refusal(
                "no_identity_code", "a foreign (eIDAS) identity: PersonIdentifier and no national identification number"
            )
        raise Refusal("identity_code", "the assertion has no national identification number")
    if not hetu.is_valid(code):
        raise Refusal("identity_code", "the national identification number is not a valid Finnish identity code")
    first_names, last_name = _names(assertion)
    return {
        "hetu_hash": hetu.lookup_hash(code),
        "hetu_encrypted": hetu.encrypt(code),
        "first_names": first_names,
        "last_name": last_name,
        "loa": assertion.loa,
        "verified_at": timezone.now().isoformat(),
    }


def store_verified_identity(request: HttpRequest, identity: dict[str, str]) -> None:
    request.session[SESSION_IDENTITY] = identity
    # A new key: whoever knew the session id before identification gains nothing from it.
    request.session.cycle_key()


def _names(assertion: ValidatedAssertion) -> tuple[str, str]:
    """All first names (FirstName = CurrentGivenName) and the surname (sn), as Suomi.fi sends them;
    the calling name (givenName) or cn ("Surname First Names") only where those are missing."""
    first_names = assertion.first(constants.FIRST_NAMES) or assertion.first(constants.GIVEN_NAME)
    last_name = assertion.first(constants.SURNAME)
    common_name = assertion.first(constants.COMMON_NAME)
    if common_name and not (first_names and last_name):
        if last_name and common_name.startswith(f"{last_name} "):
            first_names = first_names or common_name[len(last_name) + 1 :]
        else:
            surname, _, rest = common_name.partition(" ")
            last_name = last_name or surname
            first_names = first_names or rest
    return first_names, last_name


def is_same_site_path(request: HttpRequest, url: str) -> bool:
    return (
        isinstance(url, str)
        and url.startswith("/")
        and not url.startswith("//")
        and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    )


def ui_language() -> str:
    language = (translation.get_language() or "fi")[:2]
    return language if language in _LANGUAGES else "fi"


def with_language(url: str, language: str) -> str:
    """Also as a query parameter: outside the signed part, for IdPs that read it there."""
    return f"{url}{'&' if '?' in url else '?'}lang={language}"


def no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


class _AuthnRequestWithLanguage(OneLogin_Saml2_Authn_Request):
    """An AuthnRequest with Suomi.fi's language extension (vetuma LG) after the Issuer."""

    _authn_request: str

    def __init__(self, settings: OneLogin_Saml2_Settings, *args: Any, language: str, **kwargs: Any) -> None:
        super().__init__(settings, *args, **kwargs)
        if language not in _LANGUAGES:
            raise ValueError(f"unsupported language {language!r}")
        extensions = (
            f'<samlp:Extensions><vetuma xmlns="{constants.VETUMA_EXTENSIONS_NS}"><LG>{language}</LG></vetuma></samlp:Extensions>'
        )
        self._authn_request = self._authn_request.replace("</saml:Issuer>", f"</saml:Issuer>{extensions}", 1)


class _Auth(OneLogin_Saml2_Auth):
    def __init__(self, request_data: dict, settings: OneLogin_Saml2_Settings, *, language: str) -> None:
        super().__init__(request_data, settings)
        self.authn_request_class = functools.partial(_AuthnRequestWithLanguage, language=language)


def pending(request: HttpRequest, key: str) -> dict | None:
    """Take (and so use up) the session's pending request of that kind, if it is still fresh."""
    record = request.session.pop(key, None)
    if not isinstance(record, dict) or not record.get("id"):
        return None
    if time.time() - float(record.get("issued_at", 0)) > PENDING_MAX_AGE_SECONDS:
        return None
    return record


__all__ = [
    "VerifiedIdentity",
    "clear_verified_identity",
    "get_verified_identity",
    "start_identification",
]
