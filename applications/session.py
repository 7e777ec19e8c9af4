"""Who is looking at the application pages.

Applicants are usually not residents and have no account, so the pages are reached in one of
two ways, both kept in the session only:

- strong identification for the purpose "application": after accepting the terms of use the
  identity stays with the session for `IDENTITY_MAX_AGE` (and no longer than the session's idle
  timeout); the person sees the applications on which that identity code has confirmed;
- the user name of APP-6, for applicants identified at the advisory office, signed in on the
  application service's own sign-in page; the person sees the applications on which their Person
  is an applicant. This does not log them in to the Resident Portal, which only residents may
  use (ACC-10); a resident who is logged in there is recognised the same way.
"""

import datetime
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone

from accounts.saml.identity import VerifiedIdentity

from .matching import Identity

SESSION_APPLICANT = "heka_applicant"
SESSION_FLOW = "heka_application_flow"
SESSION_SUBMITTED = "heka_applications_submitted"
IDENTITY_MAX_AGE = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class Viewer:
    identity: Identity | None = None
    identified_at: datetime.datetime | None = None
    person_id: int | None = None


def viewer_store_identity(request: HttpRequest, verified: VerifiedIdentity) -> None:
    request.session[SESSION_APPLICANT] = {
        "hetu_hash": verified.hetu_hash,
        "hetu_encrypted": verified.hetu_encrypted,
        "first_names": verified.first_names,
        "last_name": verified.last_name,
        "identified_at": verified.verified_at.isoformat(),
    }


def viewer_store_account(request: HttpRequest, *, person_id: int) -> None:
    request.session.cycle_key()
    request.session[SESSION_APPLICANT] = {"person_id": person_id, "identified_at": timezone.now().isoformat()}


def viewer_clear(request: HttpRequest) -> None:
    request.session.pop(SESSION_APPLICANT, None)


def viewer_get(request: HttpRequest) -> Viewer | None:
    stored = request.session.get(SESSION_APPLICANT)
    viewer = _from_session(stored) if isinstance(stored, dict) else None
    user = getattr(request, "user", None)
    if viewer is None and user is not None and user.is_authenticated and user.person_id:
        viewer = Viewer(person_id=user.person_id)
    return viewer


def _from_session(stored: dict) -> Viewer | None:
    try:
        identified_at = datetime.datetime.fromisoformat(stored["identified_at"])
        if "person_id" in stored:
            return Viewer(person_id=int(stored["person_id"]), identified_at=identified_at)
        identity = Identity(
            hetu_hash=stored["hetu_hash"],
            hetu_encrypted=stored["hetu_encrypted"],
            first_names=stored["first_names"],
            last_name=stored["last_name"],
        )
    except (KeyError, TypeError, ValueError):
        return None
    if not datetime.timedelta(0) <= timezone.now() - identified_at <= IDENTITY_MAX_AGE:
        return None
    return Viewer(identity=identity, identified_at=identified_at)
