"""The development identity provider's pages. Mounted only when HEKA_DEV_IDP_ENABLED is on, and
every view checks the setting again, so that it can never answer in production.

What the identity provider remembers lives in the session of its own origin: the AuthnRequest
being answered, the SAML sessions it opened (for a logout "at another service"), a logout it is
asking the person to confirm, and the logouts it sent to the services in hidden iframes.
"""

import dataclasses
import functools
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.saml.identity import no_store, ui_language
from heka_portal.middleware import allow_in_policy

from . import idp
from . import logout as single_logout
from .forms import DevIdpLoginForm
from .persons import SUOMIFI_TEST_PERSONS

logger = logging.getLogger("accounts.devidp")

SESSION_KEY = "heka_devidp_request"
SESSION_SESSIONS = "heka_devidp_sessions"
SESSION_CONFIRM = "heka_devidp_logout"
SESSION_SENT = "heka_devidp_logouts"


def _enabled_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.HEKA_DEV_IDP_ENABLED:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _error(request: HttpRequest, error: idp.DevIdpError) -> HttpResponse:
    logger.warning("development identity provider refused a message: %s", error)
    return no_store(render(request, "accounts/devidp/error.html", {"error": str(error)}, status=400))


@_enabled_only
@require_GET
def metadata(request: HttpRequest) -> HttpResponse:
    return HttpResponse(idp.metadata_xml(request), content_type="application/samlmetadata+xml")


@_enabled_only
@require_GET
def sso(request: HttpRequest) -> HttpResponse:
    try:
        authn = idp.read_authn_request(request, ui_language())
    except idp.DevIdpError as error:
        return _error(request, error)
    request.session[SESSION_KEY] = dataclasses.asdict(authn)
    return redirect("devidp:login")


def _person_groups(form: DevIdpLoginForm) -> list[tuple[str, list]]:
    suomifi = {person.key for person in SUOMIFI_TEST_PERSONS}
    radios = list(form["person"])
    return [
        (translation.gettext("Suomi.fi test persons"), [radio for radio in radios if radio.data["value"] in suomifi]),
        (translation.gettext("People of the demo register"), [radio for radio in radios if radio.data["value"] not in suomifi]),
    ]


@_enabled_only
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    stored = request.session.get(SESSION_KEY)
    if not isinstance(stored, dict):
        return _error(request, idp.DevIdpError("no identification is waiting here: start it from the portal"))
    authn = idp.AuthnRequestInfo(**stored)
    form = DevIdpLoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        chosen_key = request.POST.get("signing_key", "")
        signing_key = chosen_key if chosen_key in idp.SIGNING_KEYS else "2"
        if "cancel" in request.POST:
            saml_response = idp.build_failure_response(
                authn=authn, status=(idp.STATUS_REQUESTER, idp.STATUS_AUTHN_FAILED), signing_key=signing_key
            )
        elif form.is_valid():
            saml_response, session = idp.build_response(
                request=request,
                authn=authn,
                person=form.cleaned_data["person"],
                loa=form.cleaned_data["loa"],
                signing_key=form.cleaned_data["signing_key"],
            )
            if session is not None:
                request.session[SESSION_SESSIONS] = [*request.session.get(SESSION_SESSIONS, []), session]
        else:
            context = {"form": form, "groups": _person_groups(form)}
            return no_store(render(request, "accounts/devidp/login.html", context, status=400))
        del request.session[SESSION_KEY]
        context = {"acs_url": authn.acs_url, "saml_response": saml_response, "relay_state": authn.relay_state}
        return no_store(render(request, "accounts/devidp/post.html", context))
    # Like Suomi.fi, show the page in the language the service asked for.
    with translation.override(authn.language):
        return no_store(render(request, "accounts/devidp/login.html", {"form": form, "groups": _person_groups(form)}))


@_enabled_only
@require_GET
def slo(request: HttpRequest) -> HttpResponse:
    """Our SP's LogoutRequest (the person logged out of the portal), or its LogoutResponse to a
    logout this IdP sent it in a hidden iframe."""
    try:
        if "SAMLResponse" in request.GET:
            return _logout_answered(request)
        logout = single_logout.read_logout_request(request)
    except idp.DevIdpError as error:
        return _error(request, error)
    # Suomi.fi shows what the logout covers and lets the person confirm it first.
    request.session[SESSION_CONFIRM] = logout
    sessions = request.session.get(SESSION_SESSIONS, [])
    return no_store(render(request, "accounts/devidp/logout_confirm.html", {"sessions": sessions}))


@_enabled_only
@require_POST
def slo_confirm(request: HttpRequest) -> HttpResponse:
    logout = request.session.pop(SESSION_CONFIRM, None)
    if not isinstance(logout, dict):
        return _error(request, idp.DevIdpError("no logout is waiting here"))
    confirmed = "cancel" not in request.POST
    if confirmed:
        request.session[SESSION_SESSIONS] = [
            session for session in request.session.get(SESSION_SESSIONS, []) if session.get("name_id") != logout["name_id"]
        ]
    return no_store(HttpResponseRedirect(single_logout.logout_response_url(logout, success=confirmed)))


def _logout_answered(request: HttpRequest) -> HttpResponse:
    in_response_to, success = single_logout.read_logout_response(request)
    sent = request.session.get(SESSION_SENT, {})
    if in_response_to in sent:
        sent[in_response_to]["status"] = "done" if success else "failed"
        request.session[SESSION_SENT] = sent
    context = {"success": success, "service": sent.get(in_response_to, {}).get("service", "")}
    response = no_store(render(request, "accounts/devidp/logout_frame.html", context))
    # Shown inside the hidden iframe of this IdP's own logout page.
    allow_in_policy(response, {"frame-ancestors": ("'self'",)})
    response.xframe_options_exempt = True
    return response


@_enabled_only
@require_http_methods(["GET", "POST"])
def logout(request: HttpRequest) -> HttpResponse:
    """A logout at another service of the same single sign-on: every service that this IdP
    session identified for gets a LogoutRequest in a hidden iframe, from this origin."""
    sessions = request.session.get(SESSION_SESSIONS, [])
    if request.method == "GET":
        sent = request.session.get(SESSION_SENT, {})
        return no_store(render(request, "accounts/devidp/logout.html", {"sessions": sessions, "sent": sent.values()}))
    frames, sent = [], {}
    for session in sessions:
        url, request_id = single_logout.logout_request_url(session)
        frames.append(url)
        sent[request_id] = {"service": session["sp_entity_id"], "person": session.get("person", ""), "status": "waiting"}
    request.session[SESSION_SESSIONS] = []
    request.session[SESSION_SENT] = sent
    logger.info("development identity provider: logout of %d service session(s) sent in iframes", len(frames))
    response = no_store(render(request, "accounts/devidp/logout.html", {"frames": frames, "sent": sent.values()}))
    # The page frames each service's single logout endpoint, on the services' own origins.
    origins = sorted({"{0.scheme}://{0.netloc}".format(urlsplit(url)) for url in frames})
    allow_in_policy(response, {"frame-src": ("'self'", *origins)})
    return response
