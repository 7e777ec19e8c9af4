"""What the application service's pages share: no-store, the consent cookie, the identification flow in
the session, and the refusal pages."""

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.saml.identity import (
    VerifiedIdentity,
    clear_verified_identity,
)
from heka_portal.http import RateLimit, no_store

from ..matching import Identity
from ..models import Applicant, CoApplicantLink
from ..session import SESSION_FLOW

logger = logging.getLogger("applications.views")

PURPOSE = "application"
CONSENT_COOKIE = "heka_application_cookies"
CONSENT_MAX_AGE = 180 * 24 * 3600
FORMSET_PREFIX = "co"
# ACC-12's spirit for applicants: new co-applicant links per application and client address, and
# user-name requests per client address (each sends an e-mail).
LIMIT_RESEND_PER_CLIENT = RateLimit("applications-resend-client", attempts=5, window_seconds=60 * 60)
LIMIT_USERNAME_PER_CLIENT = RateLimit("applications-username-client", attempts=5, window_seconds=60 * 60)

View = Callable[..., HttpResponse]


def private(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return no_store(view(request, *args, **kwargs))

    return wrapper


def _consented(request: HttpRequest) -> bool:
    return request.COOKIES.get(CONSENT_COOKIE) == "accepted"


def _identity(verified: VerifiedIdentity) -> Identity:
    return Identity(
        hetu_hash=verified.hetu_hash,
        hetu_encrypted=verified.hetu_encrypted,
        first_names=verified.first_names,
        last_name=verified.last_name,
    )


def _flow(request: HttpRequest) -> dict:
    flow = request.session.get(SESSION_FLOW)
    return flow if isinstance(flow, dict) else {}


def _flow_link(flow: dict) -> CoApplicantLink | None:
    link_id = flow.get("link_id")
    if flow.get("kind") != "co" or not isinstance(link_id, int):
        return None
    return CoApplicantLink.objects.select_related("applicant__application").filter(pk=link_id).first()


def _mismatch(request: HttpRequest, applicant: Applicant | None) -> HttpResponse:
    """APP-3: someone else than the co-applicant identified. Nothing changes; the link stays usable."""
    clear_verified_identity(request)
    request.session.pop(SESSION_FLOW, None)
    logger.warning("housing application: identity did not match applicant %s", applicant.pk if applicant else "?")
    return render(request, "applications/mismatch.html", {"applicant": applicant}, status=403)


def _identification_expired(request: HttpRequest) -> HttpResponse:
    messages.error(request, _("Your identification has expired or was not completed. Please identify again."))
    return redirect("applications:confirm")


def _link_invalid(request: HttpRequest, state: str, *, kind: str = "co") -> HttpResponse:
    status = 404 if state == "unknown" else 410
    return render(request, "applications/link_invalid.html", {"state": state, "kind": kind}, status=status)
