"""Why strong identification was refused, and what the person is told.

A refusal always shows a page (templates/accounts/saml/), logs one line (never the identity code
nor any attribute value: X-7) and stores nothing.
"""

import logging
import re
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
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
            400,
            _("Identification was not completed"),
            _("The identification was cancelled or did not succeed at the identification service. Nothing was saved."),
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
            403,
            _("Please identify at a regional office"),
            _(
                "You identified with a foreign electronic identity, which does not give a Finnish personal identity "
                "code. We need it to find you in our register, so please visit a Heka regional office with a passport "
                "or an identity card: staff will identify you there, and you can then register online."
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


def refusal_response(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    reason = REASONS[refusal.code]
    # The detail comes from python3-saml or from our checks: message ids, URLs and entity ids,
    # never attribute values. repr() keeps a hostile value on one log line.
    log = logger.error if reason.status >= 500 else logger.warning
    detail = _HETU_LIKE.sub("[identity code]", refusal.detail[:500])
    log("strong identification refused: reason=%s detail=%r", refusal.code, detail)
    context = {"reason": reason}
    if reason.code == "no_identity_code":
        context["offices"] = list(RegionOffice.objects.all())
    response = render(request, reason.template, context, status=reason.status)
    response["Cache-Control"] = "no-store"
    return response
