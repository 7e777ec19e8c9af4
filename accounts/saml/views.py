"""The service provider's endpoints: metadata, the assertion consumer service and single logout.

The identity provider POSTs the response from its own site, and with SameSite=Lax session cookies
that POST arrives without our session. So the ACS validates the response in full where it
arrives (SFI-7: a body larger than a real response is refused before it is parsed, each client
address has a rate limit, and nothing is kept unless the assertion is valid) and keeps only what
the identification gave (identity code as keyed hash and encrypted copy, names, context, the
NameID for single logout) for a few minutes under a random key. It sends the browser (303) to
`finish`, a same-site GET that carries the session, where the response must answer the
AuthnRequest that this session started.

Single logout (SFI-4) has all six messages: the portal's logout closes the local session first
and then sends a signed LogoutRequest; the IdP's LogoutResponse ends on a clear page whatever it
says; a LogoutRequest from the IdP (a logout at another service, in a hidden cross-site iframe
without our cookie) ends the local sessions of that SAML session and is answered with a signed
LogoutResponse, and only the IdP's origin may frame that answer.
"""

import hashlib
import logging
import re
import secrets
import time
from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.views import LogoutView as AllauthLogoutView
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from onelogin.saml2.auth import OneLogin_Saml2_Auth
from onelogin.saml2.logout_request import OneLogin_Saml2_Logout_Request
from onelogin.saml2.settings import OneLogin_Saml2_Settings
from onelogin.saml2.utils import OneLogin_Saml2_Utils
from onelogin.saml2.xml_utils import OneLogin_Saml2_XML

from heka_portal.middleware import allow_in_policy

from . import config, sessions
from .identity import (
    SESSION_LOGOUT,
    SESSION_REQUEST,
    identity_from_assertion,
    no_store,
    pending,
    store_verified_identity,
    ui_language,
    with_language,
)
from .metadata import sp_metadata_xml
from .refusals import REASONS, Refusal, log_refusal, refusal_response, render_refusal
from .validation import ValidatedAssertion, accept_once, validate_response

logger = logging.getLogger("accounts.saml")

POSTED_RESPONSE_SECONDS = 5 * 60
# SFI-7: a real response from Suomi.fi is some tens of kilobytes at most, base64 and form encoding included.
ACS_MAX_BYTES = 64 * 1024
# SFI-7: responses posted per client address, in a fixed window of seconds. A person posts one per
# identification; many share an address behind a mobile operator's NAT, so the limit is loose.
ACS_RATE_LIMIT = (100, 10 * 60)
_KEY = re.compile(r"[A-Za-z0-9_-]{40,50}")


@require_GET
def metadata(request: HttpRequest) -> HttpResponse:
    try:
        xml = sp_metadata_xml(request)
    except Exception as error:  # a broken key file must give a page, not a stack trace
        return refusal_response(request, Refusal("unavailable", f"SP metadata: {type(error).__name__}: {error}"))
    return HttpResponse(xml, content_type="application/samlmetadata+xml")


# -- login: the assertion consumer service and the finish step ---------------------------------


@csrf_exempt  # the identity provider posts from its own site; the response itself is signed
@require_POST
def acs(request: HttpRequest) -> HttpResponse:
    # Nothing before this line reads the body: the view is CSRF-exempt, and no middleware parses forms.
    if _content_length(request) > ACS_MAX_BYTES:
        return refusal_response(request, Refusal("too_large", f"ACS POST of {_content_length(request)} bytes"))
    try:
        if _over_acs_rate_limit(request):
            return refusal_response(request, Refusal("rate_limited", "too many ACS posts from one client address"))
        outcome = _validated_outcome(request)
    except Refusal as refusal:
        log_refusal(refusal)
        # The refusal is shown by a same-site GET, which has the person's session and language.
        return _see_other(reverse("saml:refused", args=[refusal.code]))
    key = secrets.token_urlsafe(32)
    try:
        cache.set(_outcome_cache_key(key), outcome, timeout=POSTED_RESPONSE_SECONDS)
    except Exception as error:  # the cache server is down: a page, not a stack trace
        return refusal_response(request, Refusal("unavailable", f"cache: {type(error).__name__}: {error}"))
    return _see_other(reverse("saml:finish", args=[key]))


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _over_acs_rate_limit(request: HttpRequest) -> bool:
    """One more ACS post from this client address; True when over ACS_RATE_LIMIT.

    The fixed-window counter of accounts.views' limits, kept to this one function so that the
    portal's shared rate limiter can replace it."""
    attempts, window = ACS_RATE_LIMIT
    client = hashlib.sha256(get_adapter(request).get_client_ip(request).encode()).hexdigest()[:32]
    index = int(time.time() // window)
    cache_key = f"heka:ratelimit:saml-acs:{client}:{index}"
    try:
        cache.add(cache_key, 0, timeout=window + 60)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # evicted between add and incr
            cache.set(cache_key, 1, timeout=window + 60)
            count = 1
    except Exception as error:
        raise Refusal("unavailable", f"rate limit cache: {type(error).__name__}: {error}") from None
    return count > attempts


def _validated_outcome(request: HttpRequest) -> dict:
    """What a fully validated response gave, for the finish step; raises Refusal otherwise."""
    saml_response = request.POST.get("SAMLResponse", "")
    if not saml_response:
        raise Refusal("invalid", "ACS POST without a SAMLResponse")
    assertion = validate_response(
        saml_settings=_saml_settings(request), saml_response=saml_response, received=config.request_data(request)
    )
    identity = identity_from_assertion(assertion)
    accept_once(assertion)
    return {
        "in_response_to": assertion.in_response_to,
        "identity": identity,
        "assertion_id": assertion.assertion_id,
        "issuer": assertion.issuer,
        "loa": assertion.loa,
        "name_id": assertion.name_id,
        "session_index": assertion.session_index,
        "not_on_or_after": assertion.not_on_or_after,
    }


@require_GET
def finish(request: HttpRequest, key: str) -> HttpResponse:
    try:
        return _finish(request, key)
    except Refusal as refusal:
        return refusal_response(request, refusal)


def _finish(request: HttpRequest, key: str) -> HttpResponse:
    outcome = _take_outcome(key)
    saml_request = pending(request, SESSION_REQUEST)
    if saml_request is None:
        raise Refusal("no_request", "no AuthnRequest of this session is waiting for an answer")
    if outcome["in_response_to"] != saml_request["id"]:
        raise Refusal("in_response_to", f"InResponseTo {outcome['in_response_to']!r} is not the request {saml_request['id']!r}")
    store_verified_identity(request, {**outcome["identity"], "purpose": saml_request["purpose"]})
    sessions.record(
        request,
        ValidatedAssertion(
            assertion_id=outcome["assertion_id"],
            issuer=outcome["issuer"],
            in_response_to=outcome["in_response_to"],
            loa=outcome["loa"],
            attributes={},
            name_id=outcome["name_id"],
            session_index=outcome["session_index"],
            not_on_or_after=outcome["not_on_or_after"],
        ),
    )
    logger.info(
        "strong identification succeeded: purpose=%s loa=%s request=%s assertion=%s",
        saml_request["purpose"],
        outcome["loa"],
        saml_request["id"],
        outcome["assertion_id"],
    )
    return no_store(HttpResponseRedirect(saml_request["next"]))


@require_GET
def refused(request: HttpRequest, code: str) -> HttpResponse:
    """The page of a refusal that the ACS logged; the code is all it is told."""
    if code not in REASONS:
        raise Http404
    return render_refusal(request, code)


def _see_other(url: str) -> HttpResponse:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return no_store(response)


def _outcome_cache_key(key: str) -> str:
    return f"heka:saml:validated:{key}"


def _take_outcome(key: str) -> dict:
    """What the ACS kept under `key`, usable once."""
    if not _KEY.fullmatch(key):
        raise Refusal("no_request", "malformed key of a validated response")
    cache_key = _outcome_cache_key(key)
    try:
        outcome = cache.get(cache_key)
        # delete() reports whether this request removed the entry, so two requests cannot both use it.
        removed = isinstance(outcome, dict) and cache.delete(cache_key)
    except Exception as error:
        raise Refusal("unavailable", f"cache: {type(error).__name__}: {error}") from None
    if not removed:
        raise Refusal("no_request", "the validated response is gone: used already or kept too long")
    return outcome


# -- logout started here: local session first, then the identity provider ----------------------


class LogoutView(AllauthLogoutView):
    """The portal's "Log out" (allauth's view, mounted in its place): a person logged in, or a
    visitor with a strong identification in progress, ends the local session; when the session
    had a SAML session, the browser then takes a signed LogoutRequest to the identity provider."""

    def get(self, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.request.user.is_authenticated and sessions.current(self.request):
            return self.render_to_response(self.get_context_data())
        return super().get(*args, **kwargs)

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        request = self.request
        next_url = self.get_redirect_url()
        # Read before anything is flushed (the yjdh lesson: the next URL was lost with the session).
        saml_session = sessions.take(request)
        self.logout()
        request.session.flush()
        if saml_session is None:
            return redirect(next_url)
        return _single_logout(request, saml_session, next_url)


logout = LogoutView.as_view()


def _single_logout(request: HttpRequest, saml_session: dict, next_url: str) -> HttpResponse:
    try:
        saml_settings = config.saml_settings(request)
        if not saml_settings.get_idp_slo_url():
            raise config.IdentityProviderUnavailable("the identity provider has no single logout service")
        auth = OneLogin_Saml2_Auth(config.request_data(request), saml_settings)
        url = auth.logout(
            return_to=secrets.token_urlsafe(16),
            name_id=saml_session["name_id"],
            session_index=saml_session.get("session_index"),
            nq=saml_session.get("name_qualifier"),
            name_id_format=saml_session.get("name_id_format"),
            spnq=saml_session.get("sp_name_qualifier"),
        )
    except Exception as error:  # the local session is closed already; only the IdP is not told
        logger.warning("single logout could not be started: %s: %s", type(error).__name__, error)
        return _logged_out(request, confirmed=False, next_url=next_url)
    request.session[SESSION_LOGOUT] = {"id": auth.get_last_request_id(), "next": next_url, "issued_at": time.time()}
    logger.info("single logout started: request=%s", auth.get_last_request_id())
    return no_store(HttpResponseRedirect(with_language(url, ui_language())))


def _logged_out(request: HttpRequest, *, confirmed: bool, next_url: str = "/") -> HttpResponse:
    """SFI-4: the end of every logout is this page, never an error or a redirect."""
    context = {"confirmed": confirmed, "next_url": next_url if next_url.startswith("/") else "/"}
    return no_store(render(request, "accounts/saml/logged_out.html", context))


# -- single logout service: the IdP's LogoutResponse, or its own LogoutRequest ----------------------


@require_GET
def sls(request: HttpRequest) -> HttpResponse:
    """HTTP-Redirect binding only (as python3-saml); framable by the identity provider's origin."""
    saml_settings: OneLogin_Saml2_Settings | None = None
    unavailable = ""
    try:
        saml_settings = config.saml_settings(request)
    except config.IdentityProviderUnavailable as error:
        unavailable = str(error)
    try:
        if "SAMLResponse" in request.GET:
            response = _logout_response(request, saml_settings)
        elif "SAMLRequest" in request.GET:
            if saml_settings is None:
                raise Refusal("unavailable", unavailable)
            response = _logout_request(request, saml_settings)
        else:
            raise Refusal("logout", "neither SAMLRequest nor SAMLResponse")
    except Refusal as refusal:
        response = refusal_response(request, refusal)
    return _framable_by_idp(response, saml_settings)


def _framable_by_idp(response: HttpResponse, saml_settings: OneLogin_Saml2_Settings | None) -> HttpResponse:
    origin = config.idp_origin(saml_settings) if saml_settings is not None else None
    if origin:
        # Read by Django's XFrameOptionsMiddleware; the Content-Security-Policy is set here.
        allow_in_policy(response, {"frame-ancestors": (origin,)})
        response.xframe_options_exempt = True
    return response


def _logout_response(request: HttpRequest, saml_settings: OneLogin_Saml2_Settings | None) -> HttpResponse:
    """The answer to our LogoutRequest. The local session was closed before it was sent, so the
    person has logged out whatever this says: the page only tells whether the IdP confirmed it."""
    logout = pending(request, SESSION_LOGOUT)
    next_url = logout["next"] if logout else "/"
    if saml_settings is None:
        logger.warning("single logout not confirmed: no identity provider")
        return _logged_out(request, confirmed=False, next_url=next_url)
    auth = OneLogin_Saml2_Auth(config.request_data(request), saml_settings)
    try:
        auth.process_slo(keep_local_session=True, request_id=logout["id"] if logout else None)
        errors = list(auth.get_errors())
    except Exception as error:
        errors = [f"{type(error).__name__}: {error}"]
    if errors:
        logger.warning("single logout not confirmed: errors=%r reason=%r", errors, auth.get_last_error_reason())
        return _logged_out(request, confirmed=False, next_url=next_url)
    if logout is None:
        logger.info("single logout confirmed for a session that had already ended")
    else:
        logger.info("single logout confirmed: request=%s", logout["id"])
    return _logged_out(request, confirmed=True, next_url=next_url)


def _logout_request(request: HttpRequest, saml_settings: OneLogin_Saml2_Settings) -> HttpResponse:
    """A logout started at another service: end the local sessions of that SAML session, found by
    NameID and SessionIndex (the request has no cookie of ours), and answer with a signed
    LogoutResponse."""
    auth = OneLogin_Saml2_Auth(config.request_data(request), saml_settings)
    try:
        url = auth.process_slo(keep_local_session=True)
    except Exception as error:
        raise Refusal("logout", f"{type(error).__name__}: {error}") from None
    if auth.get_errors() or not url:
        raise Refusal("logout", f"errors={auth.get_errors()!r} reason={auth.get_last_error_reason()!r}")
    message = auth.get_last_request_xml()
    issuer = saml_settings.get_idp_data()["entityId"]
    # python3-saml lets a LogoutRequest without Issuer pass, and compares Destination by prefix.
    if OneLogin_Saml2_Logout_Request.get_issuer(message) != issuer:
        raise Refusal("logout", "the LogoutRequest is not issued by the identity provider")
    destination = OneLogin_Saml2_Utils.normalize_url(_attribute(message, "Destination"))
    if destination != OneLogin_Saml2_Utils.normalize_url(config.sls_url(request)):
        raise Refusal("logout", f"the LogoutRequest is meant for {destination!r}")
    try:
        name_id = OneLogin_Saml2_Logout_Request.get_nameid(message, saml_settings.get_sp_key())
        session_indexes = OneLogin_Saml2_Logout_Request.get_session_indexes(message)
    except Exception as error:
        raise Refusal("logout", f"NameID: {type(error).__name__}: {error}") from None
    ended = sessions.end_sessions(request, issuer=issuer, name_id=name_id, session_indexes=session_indexes)
    logger.info("single logout requested by the identity provider: %d local session(s) ended", ended)
    return no_store(HttpResponseRedirect(url))


def _attribute(message: str, name: str) -> str:
    return OneLogin_Saml2_XML.to_etree(message).get(name) or ""


def _saml_settings(request: HttpRequest) -> OneLogin_Saml2_Settings:
    try:
        return config.saml_settings(request)
    except config.IdentityProviderUnavailable as error:
        raise Refusal("unavailable", str(error)) from None
