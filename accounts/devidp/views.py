"""The development identity provider's pages. Mounted only when HEKA_DEV_IDP_ENABLED is on, and
every view checks the setting again, so that it can never answer in production."""

import dataclasses
import functools
import logging
from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_GET, require_http_methods

from accounts.saml.identity import no_store, ui_language

from . import idp
from .forms import DevIdpLoginForm

logger = logging.getLogger("accounts.devidp")

SESSION_KEY = "heka_devidp_request"


def _enabled_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
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


@_enabled_only
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    stored = request.session.get(SESSION_KEY)
    if not isinstance(stored, dict):
        return _error(request, idp.DevIdpError("no identification is waiting here: start it from the portal"))
    authn = idp.AuthnRequestInfo(**stored)
    form = DevIdpLoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if "cancel" in request.POST:
            saml_response = idp.build_cancel_response(authn=authn)
        elif form.is_valid():
            saml_response = idp.build_response(authn=authn, person=form.cleaned_data["person"], loa=form.cleaned_data["loa"])
        else:
            return no_store(render(request, "accounts/devidp/login.html", {"form": form}, status=400))
        del request.session[SESSION_KEY]
        context = {"acs_url": authn.acs_url, "saml_response": saml_response, "relay_state": authn.relay_state}
        return no_store(render(request, "accounts/devidp/post.html", context))
    # Like Suomi.fi, show the page in the language the service asked for.
    with translation.override(authn.language):
        return no_store(render(request, "accounts/devidp/login.html", {"form": form}))


@_enabled_only
@require_GET
def slo(request: HttpRequest) -> HttpResponse:
    try:
        return no_store(HttpResponseRedirect(idp.logout_response_url(request)))
    except idp.DevIdpError as error:
        return _error(request, error)
