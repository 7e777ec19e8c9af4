"""The service provider's endpoints: metadata, the assertion consumer service and single logout.

The identity provider POSTs the response from its own site, and with SameSite=Lax session cookies
that POST arrives without our session. So the ACS checks nothing session-bound: it keeps the
posted response server-side for a few minutes under a random key and sends the browser (303) to
`finish`, a same-site GET that carries the session, where the response is validated in full,
InResponseTo included.
"""

import logging
import re
import secrets

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from onelogin.saml2.auth import OneLogin_Saml2_Auth
from onelogin.saml2.settings import OneLogin_Saml2_Settings

from . import config
from .identity import (
    SESSION_IDENTITY,
    SESSION_LOGOUT,
    SESSION_REQUEST,
    clear_verified_identity,
    identity_from_assertion,
    logout_redirect,
    no_store,
    pending,
    store_verified_identity,
)
from .refusals import Refusal, refusal_response
from .validation import validate_response

logger = logging.getLogger("accounts.saml")

POSTED_RESPONSE_SECONDS = 5 * 60
_MAX_MESSAGE_CHARS = 300_000
_KEY = re.compile(r"[A-Za-z0-9_-]{40,50}")


@require_GET
def metadata(request: HttpRequest) -> HttpResponse:
    try:
        xml = config.sp_metadata_xml(request)
    except Exception as error:  # a broken key file must give a page, not a stack trace
        return refusal_response(request, Refusal("unavailable", f"SP metadata: {type(error).__name__}: {error}"))
    return HttpResponse(xml, content_type="application/samlmetadata+xml")


@csrf_exempt  # the identity provider posts from its own site; the response itself is signed
@require_POST
def acs(request: HttpRequest) -> HttpResponse:
    saml_response = request.POST.get("SAMLResponse", "")
    if not saml_response or len(saml_response) > _MAX_MESSAGE_CHARS:
        return refusal_response(
            request, Refusal("invalid", f"ACS POST without a usable SAMLResponse ({len(saml_response)} characters)")
        )
    key = secrets.token_urlsafe(32)
    posted = {
        "SAMLResponse": saml_response,
        "https": request.is_secure(),
        "http_host": request.get_host(),
        "path": request.path,
    }
    try:
        cache.set(_posted_cache_key(key), posted, timeout=POSTED_RESPONSE_SECONDS)
    except Exception as error:  # the cache server is down: a page, not a stack trace
        return refusal_response(request, Refusal("unavailable", f"cache: {type(error).__name__}: {error}"))
    response = HttpResponseRedirect(reverse("saml:finish", args=[key]))
    response.status_code = 303
    return no_store(response)


@require_GET
def finish(request: HttpRequest, key: str) -> HttpResponse:
    try:
        return _finish(request, key)
    except Refusal as refusal:
        return refusal_response(request, refusal)


def _finish(request: HttpRequest, key: str) -> HttpResponse:
    posted = _take_posted_response(key)
    saml_request = pending(request, SESSION_REQUEST)
    if saml_request is None:
        raise Refusal("no_request", "no AuthnRequest of this session is waiting for an answer")
    saml_settings = _saml_settings(request)
    received = {
        "https": "on" if posted["https"] else "off",
        "http_host": posted["http_host"],
        "script_name": "",
        "path_info": posted["path"],
        "post_data": {"SAMLResponse": posted["SAMLResponse"]},
    }
    assertion = validate_response(
        saml_settings=saml_settings,
        saml_response=posted["SAMLResponse"],
        received=received,
        request_id=saml_request["id"],
    )
    store_verified_identity(request, identity_from_assertion(assertion, purpose=saml_request["purpose"]))
    logger.info(
        "strong identification succeeded: purpose=%s loa=%s request=%s assertion=%s",
        saml_request["purpose"],
        assertion.loa,
        saml_request["id"],
        assertion.assertion_id,
    )
    next_url = saml_request["next"]
    try:
        logout_url = logout_redirect(request, saml_settings, assertion, next_url=next_url)
    except Exception as error:  # the identification stands; only the IdP session is left open
        logger.warning("single logout could not be started: %s: %s", type(error).__name__, error)
        logout_url = None
    return no_store(HttpResponseRedirect(logout_url or next_url))


@require_GET
def sls(request: HttpRequest) -> HttpResponse:
    """Single logout: the IdP's answer to our LogoutRequest, or its own LogoutRequest."""
    try:
        if "SAMLResponse" in request.GET:
            return _logout_response(request)
        if "SAMLRequest" in request.GET:
            return _logout_request(request)
        raise Refusal("logout", "neither SAMLRequest nor SAMLResponse")
    except Refusal as refusal:
        return refusal_response(request, refusal)


def _logout_response(request: HttpRequest) -> HttpResponse:
    logout = pending(request, SESSION_LOGOUT)
    if logout is None:
        raise Refusal("logout", "no LogoutRequest of this session is waiting for an answer")
    # The identification has already succeeded; an unconfirmed logout only means that the IdP
    # session may live on until it expires there, so the person goes on either way.
    auth = OneLogin_Saml2_Auth(config.request_data(request), _saml_settings(request))
    try:
        auth.process_slo(keep_local_session=True, request_id=logout["id"])
        errors = list(auth.get_errors())
    except Exception as error:
        errors = [f"{type(error).__name__}: {error}"]
    if "Signature" not in request.GET:
        errors.append("unsigned")
    if errors:
        logger.warning("single logout not confirmed: errors=%r reason=%r", errors, auth.get_last_error_reason())
    else:
        logger.info("single logout confirmed: request=%s", logout["id"])
    return no_store(HttpResponseRedirect(logout["next"]))


def _logout_request(request: HttpRequest) -> HttpResponse:
    if "Signature" not in request.GET:
        raise Refusal("logout", "the LogoutRequest is not signed")
    auth = OneLogin_Saml2_Auth(config.request_data(request), _saml_settings(request))
    try:
        url = auth.process_slo(keep_local_session=True)
    except Exception as error:
        raise Refusal("logout", f"{type(error).__name__}: {error}") from None
    if auth.get_errors() or not url:
        raise Refusal("logout", f"errors={auth.get_errors()!r} reason={auth.get_last_error_reason()!r}")
    # The person at the IdP logged out: a verified identity in this browser is no longer theirs to use.
    clear_verified_identity(request)
    for key in (SESSION_IDENTITY, SESSION_REQUEST, SESSION_LOGOUT):
        request.session.pop(key, None)
    logger.info("single logout requested by the identity provider answered")
    return no_store(HttpResponseRedirect(url))


def _saml_settings(request: HttpRequest) -> OneLogin_Saml2_Settings:
    try:
        return config.saml_settings(request)
    except config.IdentityProviderUnavailable as error:
        raise Refusal("unavailable", str(error)) from None


def _posted_cache_key(key: str) -> str:
    return f"heka:saml:posted:{key}"


def _take_posted_response(key: str) -> dict:
    """The response the ACS kept under `key`, usable once."""
    if not _KEY.fullmatch(key):
        raise Refusal("no_request", "malformed key of a posted response")
    cache_key = _posted_cache_key(key)
    try:
        posted = cache.get(cache_key)
        # delete() reports whether this request removed the entry, so two requests cannot both use it.
        removed = isinstance(posted, dict) and cache.delete(cache_key)
    except Exception as error:
        raise Refusal("unavailable", f"cache: {type(error).__name__}: {error}") from None
    if not removed:
        raise Refusal("no_request", "the posted response is gone: used already or kept too long")
    return posted
