"""SFI-4: the SAML session of an identification, and the local session it belongs to.

At a successful identification the browser session keeps what our own LogoutRequest will need
(NameID, SessionIndex) and a SamlSession row maps digests of them to the session key. A
LogoutRequest from the identity provider, which arrives without our cookie, finds the local
sessions by that mapping and ends them. Login cycles the session key; the `user_logged_in`
receiver below moves the mapping along.
"""

import datetime
import hashlib
import logging
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from .models import SamlSession
from .validation import ValidatedAssertion

logger = logging.getLogger("accounts.saml")

SESSION_SAML = "heka_saml_session"
# No identity provider keeps a session this long (Suomi.fi's lasts 32 minutes from the last use).
MAX_AGE = datetime.timedelta(hours=12)


def _digest(issuer: str, value: str) -> str:
    return hashlib.sha256(f"{issuer}\n{value}".encode()).hexdigest()


def record(request: HttpRequest, assertion: ValidatedAssertion) -> None:
    """Remember the SAML session of `assertion` for this (already cycled) browser session."""
    now = timezone.now()
    previous = request.session.get(SESSION_SAML)
    if isinstance(previous, dict) and previous.get("id"):
        SamlSession.objects.filter(pk=previous["id"]).delete()
    SamlSession.objects.filter(expires_at__lt=now).delete()
    name_id = assertion.name_id
    row = SamlSession.objects.create(
        issuer=assertion.issuer,
        name_id_digest=_digest(assertion.issuer, name_id.get("Value", "")),
        session_index_digest=_digest(assertion.issuer, assertion.session_index) if assertion.session_index else "",
        session_key=request.session.session_key or "",
        expires_at=now + MAX_AGE,
    )
    request.session[SESSION_SAML] = {
        "id": row.pk,
        "issuer": assertion.issuer,
        "name_id": name_id.get("Value", ""),
        "name_id_format": name_id.get("Format"),
        "name_qualifier": name_id.get("NameQualifier"),
        "sp_name_qualifier": name_id.get("SPNameQualifier"),
        "session_index": assertion.session_index,
    }


def current(request: HttpRequest) -> dict | None:
    stored = request.session.get(SESSION_SAML)
    return stored if isinstance(stored, dict) and stored.get("name_id") else None


def take(request: HttpRequest) -> dict | None:
    """This session's SAML session, forgotten here and in the mapping (the local side of a logout)."""
    stored = current(request)
    request.session.pop(SESSION_SAML, None)
    if stored:
        SamlSession.objects.filter(pk=stored["id"]).delete()
    return stored


def end_sessions(request: HttpRequest, *, issuer: str, name_id: str, session_indexes: list[str]) -> int:
    """End every local session of the SAML session `name_id` (and, when given, `session_indexes`)
    of `issuer`; returns how many there were. The request's own session, if it is one of them,
    is flushed in place so that the session middleware does not save it again."""
    rows = SamlSession.objects.filter(issuer=issuer, name_id_digest=_digest(issuer, name_id))
    if session_indexes:
        rows = rows.filter(session_index_digest__in=[_digest(issuer, index) for index in session_indexes])
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    ended = 0
    for row in list(rows):
        if row.session_key and row.session_key == request.session.session_key:
            request.session.flush()
        elif row.session_key:
            store.delete(row.session_key)
        row.delete()
        ended += 1
    return ended


@receiver(user_logged_in, dispatch_uid="accounts.saml.sessions.follow_session_key")
def _follow_session_key(sender: object, request: HttpRequest | None, **kwargs: Any) -> None:
    """Login gave the session a new key; the mapping must point to it."""
    if request is None or not hasattr(request, "session"):
        return
    stored = current(request)
    if stored and request.session.session_key:
        SamlSession.objects.filter(pk=stored["id"]).update(session_key=request.session.session_key)
