"""Why strong identification was refused, and what the person is told.

A refusal always shows a page (templates/accounts/saml/), logs one line (never the identity code
nor any attribute value: X-7) and stores nothing.
"""

import logging
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from tenancy.models import RegionOffice

logger = logging.getLogger("accounts.saml")

# Anything that looks like an identity code is cut out of a logged detail, whatever produced it.
_HETU_LIKE = re.compile(r"(?<![0-9A-Za-z])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?![0-9A-Za-z])", re.IGNORECASE)

_NOT_VERIFIED = _(
    "The answer from the identification service could not be verified, so it was not accepted. Nothing was saved. "
    "Please start again; if this keeps happening, contact customer service."
)


@dataclass(frozen=True)
class Reason:
    code: str
    status: int
    title: Promise
    message: Promise
    template: str = "accounts/saml/refused.html"


REASONS = {
    reason.code: reason
    for reason in [
        Reason("invalid", 400, _("Identification failed"), _NOT_VERIFIED),
        Reason("signature", 400, _("Identification failed"), _NOT_VERIFIED),
        Reason("not_encrypted", 400, _("Identification failed"), _NOT_VERIFIED),
        Reason("encryption_algorithm", 400, _("Identification failed"), _NOT_VERIFIED),
        Reason("audience", 400, _("Identification failed"), _NOT_VERIFIED),
        Reason("destination", 400, _("Identification failed"), _NOT_VERIFIED),
        Reason("issuer", 400, _("Identification failed"), _NOT_VERIFIED),
        Reason("subject_confirmation", 400, _("Identification failed"), _NOT_VERIFIED),
        Reason("in_response_to", 400, _("Identification failed"), _NOT_VERIFIED),
        Reason("unsolicited", 400, _("Identification failed"), _NOT_VERIFIED),
        Reason("replay", 400, _("Identification failed"), _NOT_VERIFIED),
        Reason(
            "expired",
            400,
            _("The identification has expired"),
            _("The answer from the identification service was too old to be accepted. Nothing was saved. Please start again."),
        ),
        Reason(
            "not_yet_valid",
            400,
            _("Identification failed"),
            _(
                "The answer from the identification service is not valid yet. Nothing was saved. "
                "Please wait a moment and start again."
            ),
        ),
        Reason(
            "no_request",
            400,
            _("No identification in progress"),
            _(
                "We received an answer from the identification service, but no identification was started in this "
                "browser, or it took too long. Nothing was saved. Please start again."
            ),
        ),
        Reason(
            "cancelled",
            200,
            _("Identification was not completed"),
            _(
                "The identification was cancelled, or it did not succeed at the identification service. "
                "Nothing was saved. You can try again whenever you like."
            ),
            "accounts/saml/cancelled.html",
        ),
        Reason(
            "loa",
            403,
            _("A stronger identification method is needed"),
            _(
                "The method you used does not identify you reliably enough for the Resident Portal. Please identify "
                "with online banking codes, a mobile certificate or a certificate card. Nothing was saved."
            ),
        ),
        Reason(
            "identity_code",
            400,
            _("Identification failed"),
            _(
                "The identification service did not give a valid Finnish personal identity code. Nothing was saved. "
                "Please contact customer service."
            ),
        ),
        Reason(
            "no_identity_code",
            200,
            _("Register through office identification"),
            _(
                "You identified with a foreign electronic identity, which does not give a Finnish personal identity "
                "code. We need that code to find you in Heka's register of residents, so you cannot register online "
                "this way. Register through office identification instead:"
            ),
            "accounts/saml/identify_at_office.html",
        ),
        Reason(
            "logout",
            400,
            _("Logout failed"),
            _("The logout message from the identification service could not be verified. Nothing was changed."),
        ),
        Reason(
            "too_large",
            413,
            _("Identification failed"),
            _(
                "The answer that reached us is much larger than an answer from the identification service can be, so "
                "it was not read. Nothing was saved. Please start again."
            ),
        ),
        Reason(
            "rate_limited",
            429,
            _("Too many identification attempts"),
            _(
                "Too many answers from the identification service have come from your network in a short time. "
                "Nothing was saved. Please wait a few minutes and start again."
            ),
        ),
        Reason(
            "unavailable",
            503,
            _("Strong identification is not available"),
            _("Strong identification cannot be used right now. Please try again later or contact customer service."),
        ),
    ]
}


class Refusal(Exception):
    """Raised while handling a SAML message; the view turns it into `refusal_response`."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code)
        if code not in REASONS:
            raise ValueError(f"unknown refusal code {code!r}")
        self.code = code
        self.detail = detail


def log_refusal(refusal: Refusal) -> None:
    reason = REASONS[refusal.code]
    # The detail comes from python3-saml or from our checks: message ids, URLs and entity ids,
    # never attribute values. repr() keeps a hostile value on one log line.
    log = logger.error if reason.status >= 500 else logger.warning
    detail = _HETU_LIKE.sub("[identity code]", refusal.detail[:500])
    log("strong identification refused: reason=%s detail=%r", refusal.code, detail)


def render_refusal(request: HttpRequest, code: str) -> HttpResponse:
    """The page of refusal `code`, with its status; logs nothing (log_refusal does)."""
    reason = REASONS[code]
    context: dict[str, Any] = {"reason": reason}
    if reason.code == "no_identity_code":
        context["offices"] = list(RegionOffice.objects.all())
        context["office_days"] = int(getattr(settings, "HEKA_OFFICE_IDENTIFICATION_DAYS", 30))
    if reason.code == "cancelled":
        context["retry_url"] = _retry_url(request)
    response = render(request, reason.template, context, status=reason.status)
    response["Cache-Control"] = "no-store"
    return response


def refusal_response(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    log_refusal(refusal)
    return render_refusal(request, refusal.code)


def _retry_url(request: HttpRequest) -> str | None:
    """Where "Try again" leads: the page the cancelled identification was started for."""
    pending = request.session.get("heka_saml_request") if hasattr(request, "session") else None
    url = pending.get("next") if isinstance(pending, dict) else None
    if isinstance(url, str) and url.startswith("/") and url_has_allowed_host_and_scheme(url, {request.get_host()}):
        return url
    return None
