"""Cookies, identification and confirmation (APP-2), and the co-applicant's link (APP-3)."""

from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.saml.identity import (
    clear_verified_identity,
    get_verified_identity,
    is_same_site_path,
    start_identification,
)
from heka_portal.http import no_store

from .. import selectors, services
from ..forms import (
    ChooseApplicationsForm,
    CookieConsentForm,
)
from ..links import co_applicant_link_from_token
from ..matching import Identity, identity_matches
from ..models import Applicant, CoApplicantLink
from ..session import SESSION_FLOW, viewer_get, viewer_store_identity
from .common import (
    CONSENT_COOKIE,
    CONSENT_MAX_AGE,
    PURPOSE,
    _consented,
    _flow,
    _flow_link,
    _identification_expired,
    _identity,
    _link_invalid,
    _mismatch,
    private,
)


@private
@require_GET
def confirm(request: HttpRequest) -> HttpResponse:
    return render(request, "applications/confirm.html", {"consented": _consented(request)})


@private
@require_POST
def cookies(request: HttpRequest) -> HttpResponse:
    """The confirmation page's cookie banner, answered without JavaScript."""
    form = CookieConsentForm(request.POST)
    if not form.is_valid():
        return redirect("applications:confirm")
    next_url = request.POST.get("next_url", "")
    if not is_same_site_path(request, next_url):
        next_url = reverse("applications:confirm")
    if form.cleaned_data["choice"] == "decline":
        response = render(request, "applications/cookies_declined.html", {"next_url": next_url})
        response.delete_cookie(CONSENT_COOKIE, path="/applications/")
        return response
    response = redirect(next_url)
    response.set_cookie(
        CONSENT_COOKIE,
        "accepted",
        max_age=CONSENT_MAX_AGE,
        path="/applications/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


@require_POST
def identify(request: HttpRequest) -> HttpResponse:
    if not _consented(request):
        return no_store(redirect("applications:confirm"))
    request.session[SESSION_FLOW] = {"kind": "main"}
    return start_identification(request, purpose=PURPOSE, next_url=reverse("applications:terms"))


@private
@require_http_methods(["GET", "POST"])
def terms(request: HttpRequest) -> HttpResponse:
    verified = get_verified_identity(request, purpose=PURPOSE)
    flow = _flow(request)
    if verified is None or flow.get("kind") not in ("main", "co"):
        return _identification_expired(request)
    link = _flow_link(flow)
    if flow["kind"] == "co":
        if link is None or link.state() != CoApplicantLink.State.USABLE:
            return _link_invalid(request, link.state() if link else "unknown")
        if not identity_matches(link.applicant, _identity(verified)):
            return _mismatch(request, link.applicant)
    if request.method == "POST":
        viewer_store_identity(request, verified)
        clear_verified_identity(request)
        request.session[SESSION_FLOW] = {**flow, "terms_accepted": True, "identified_at": verified.verified_at.isoformat()}
        return redirect("applications:co_confirm" if link else "applications:choose")
    return render(request, "applications/terms.html", {"identity": verified})


def _accepted_flow(request: HttpRequest, kind: str) -> tuple[Identity, dict] | None:
    viewer = viewer_get(request)
    flow = _flow(request)
    if viewer is None or viewer.identity is None or flow.get("kind") != kind or not flow.get("terms_accepted"):
        return None
    return viewer.identity, flow


def _identified_at(flow: dict) -> datetime:
    return datetime.fromisoformat(flow["identified_at"])


@private
@require_http_methods(["GET", "POST"])
def choose(request: HttpRequest) -> HttpResponse:
    accepted = _accepted_flow(request, "main")
    if accepted is None:
        return _identification_expired(request)
    identity, flow = accepted
    form = ChooseApplicationsForm(request.POST or None, applicants=selectors.applicants_to_confirm(identity))
    if request.method == "POST" and form.is_valid():
        confirmed = []
        for applicant in form.chosen():
            try:
                services.applicant_confirm(applicant=applicant, identity=identity, identified_at=_identified_at(flow))
            except services.IdentityMismatch:
                continue
            confirmed.append(applicant.application)
        request.session.pop(SESSION_FLOW, None)
        if not confirmed:
            return _mismatch(request, None)
        messages.success(request, _("Thank you. Your confirmation has been saved."))
        if len(confirmed) == 1:
            return redirect("applications:detail", pk=confirmed[0].pk)
        return redirect("applications:index")
    return render(request, "applications/choose.html", {"form": form, "identity": identity})


@private
@require_GET
def co_applicant(request: HttpRequest, token: str) -> HttpResponse:
    link = co_applicant_link_from_token(token)
    if link is None:
        return _link_invalid(request, "unknown")
    if link.state() != CoApplicantLink.State.USABLE:
        return _link_invalid(request, link.state())
    context = {
        "link": link,
        "applicant": link.applicant,
        "application": link.applicant.application,
        "main": link.applicant.application.applicants.get(role=Applicant.Role.MAIN),
        "consented": _consented(request),
        "token": token,
    }
    return render(request, "applications/co_applicant.html", context)


@require_POST
def co_applicant_identify(request: HttpRequest, token: str) -> HttpResponse:
    link = co_applicant_link_from_token(token)
    if link is None or link.state() != CoApplicantLink.State.USABLE:
        return no_store(_link_invalid(request, link.state() if link else "unknown"))
    if not _consented(request):
        return no_store(redirect("applications:co_applicant", token=token))
    request.session[SESSION_FLOW] = {"kind": "co", "link_id": link.pk}
    return start_identification(request, purpose=PURPOSE, next_url=reverse("applications:terms"))


@private
@require_http_methods(["GET", "POST"])
def co_confirm(request: HttpRequest) -> HttpResponse:
    accepted = _accepted_flow(request, "co")
    if accepted is None:
        return _identification_expired(request)
    identity, flow = accepted
    link = _flow_link(flow)
    if link is None:
        return _link_invalid(request, "unknown")
    if request.method == "POST":
        try:
            services.co_applicant_confirm(link=link, identity=identity, identified_at=_identified_at(flow))
        except services.IdentityMismatch:
            return _mismatch(request, link.applicant)
        except services.LinkNotUsable as error:
            return _link_invalid(request, error.state)
        request.session.pop(SESSION_FLOW, None)
        messages.success(request, _("Thank you. Your confirmation has been saved."))
        return redirect("applications:detail", pk=link.applicant.application_id)
    if link.state() != CoApplicantLink.State.USABLE:
        return _link_invalid(request, link.state())
    application = link.applicant.application
    context = {
        "applicant": link.applicant,
        "application": application,
        "main": application.applicants.get(role=Applicant.Role.MAIN),
    }
    return render(request, "applications/co_confirm.html", context)
