"""The python3-saml settings of our service provider, built for each request.

Our endpoint addresses come from the request (Django has checked its host against ALLOWED_HOSTS,
and behind a TLS proxy SECURE_PROXY_SSL_HEADER gives the scheme the browser used), so the
Destination of a response is compared with the address the browser really posted to. The entity
id is fixed by settings. The identity provider comes from its metadata file or, on a laptop, from
the metadata of the development identity provider.
"""

import copy
import functools
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.errors import OneLogin_Saml2_Error
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser
from onelogin.saml2.settings import OneLogin_Saml2_Settings

from . import constants
from .keys import service_provider_key_pair


class IdentityProviderUnavailable(Exception):
    """No identity provider is configured, or its metadata cannot be used."""


def sp_entity_id() -> str:
    return settings.HEKA_SAML_SP_ENTITY_ID or f"{settings.HEKA_SITE_URL.rstrip('/')}/saml/metadata/"


def acs_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("saml:acs"))


def sls_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("saml:sls"))


def idp_from_metadata_xml(metadata: str | bytes, entity_id: str = "") -> dict:
    """The `idp` part of python3-saml settings; signing certificates may be several (x509certMulti)."""
    try:
        parsed = OneLogin_Saml2_IdPMetadataParser.parse(metadata, entity_id=entity_id or None)
    except Exception as error:  # the parser raises whatever lxml raises
        raise IdentityProviderUnavailable(f"the identity provider metadata cannot be read: {error}") from None
    # Only the idp part is taken: the metadata must not switch off our own security settings.
    idp = parsed.get("idp", {})
    if not idp.get("entityId") or not idp.get("singleSignOnService", {}).get("url"):
        raise IdentityProviderUnavailable("the identity provider metadata has no entity id or HTTP-Redirect SSO service")
    if not (idp.get("x509cert") or idp.get("x509certMulti", {}).get("signing")):
        raise IdentityProviderUnavailable("the identity provider metadata has no signing certificate")
    return idp


@functools.lru_cache(maxsize=4)
def _idp_from_metadata(metadata: bytes, entity_id: str) -> dict:
    return idp_from_metadata_xml(metadata, entity_id)


def identity_provider(request: HttpRequest) -> dict:
    if settings.HEKA_SAML_IDP_METADATA_FILE:
        path = Path(settings.HEKA_SAML_IDP_METADATA_FILE)
        try:
            # Read on every use (it is small), so that a replaced file takes effect without a restart.
            metadata = path.read_bytes()
        except OSError:
            raise IdentityProviderUnavailable(f"the identity provider metadata file {path} cannot be read") from None
        idp = _idp_from_metadata(metadata, settings.HEKA_SAML_IDP_ENTITY_ID)
    elif settings.HEKA_DEV_IDP_ENABLED:
        from accounts.devidp.idp import metadata_xml

        idp = idp_from_metadata_xml(metadata_xml(request))
    else:
        raise IdentityProviderUnavailable("no identity provider is configured")
    # python3-saml fills in defaults in place; the cached dict must stay as parsed.
    return copy.deepcopy(idp)


def accepted_contexts() -> list[str]:
    """SFI-3: the authentication contexts requested and accepted, strongest first.

    HEKA_SAML_ACCEPTED_CONTEXTS (strong ones only, checked at start-up) and, only with
    HEKA_SAML_TEST_ENVIRONMENT (which production refuses), Suomi.fi's test identifier.
    """
    contexts = [context for context in constants.STRONG_CONTEXTS if context in settings.HEKA_SAML_ACCEPTED_CONTEXTS]
    if settings.HEKA_SAML_TEST_ENVIRONMENT:
        contexts.append(constants.TEST_IDENTIFIER)
    return contexts


def _settings_data(request: HttpRequest) -> dict:
    pair = service_provider_key_pair()
    return {
        "strict": True,
        "debug": False,
        "sp": {
            "entityId": sp_entity_id(),
            "assertionConsumerService": {"url": acs_url(request), "binding": OneLogin_Saml2_Constants.BINDING_HTTP_POST},
            "singleLogoutService": {"url": sls_url(request), "binding": OneLogin_Saml2_Constants.BINDING_HTTP_REDIRECT},
            "NameIDFormat": OneLogin_Saml2_Constants.NAMEID_TRANSIENT,
            "x509cert": pair.certificate_pem,
            "privateKey": pair.private_key_pem,
        },
        "security": {
            "authnRequestsSigned": True,
            "logoutRequestSigned": True,
            "logoutResponseSigned": True,
            "signMetadata": False,
            "wantAssertionsSigned": True,
            "wantAssertionsEncrypted": True,
            # Suomi.fi signs the Response as well as the assertion, and its HTTP-Redirect logout
            # messages: python3-saml then refuses an unsigned Response, LogoutRequest or LogoutResponse.
            "wantMessagesSigned": True,
            "wantNameId": True,
            "wantNameIdEncrypted": False,
            "wantAttributeStatement": True,
            "allowRepeatAttributeName": False,
            "signatureAlgorithm": OneLogin_Saml2_Constants.RSA_SHA256,
            "digestAlgorithm": OneLogin_Saml2_Constants.SHA256,
            "rejectDeprecatedAlgorithm": True,
            "requestedAuthnContext": accepted_contexts(),
            # "exact" with a list means: exactly one of these (SAML core 3.3.2.2.1).
            "requestedAuthnContextComparison": "exact",
            # The context is checked by accounts.saml.validation, which names the refusal precisely.
            "failOnAuthnContextMismatch": False,
            "allowSingleLabelDomains": True,
        },
    }


def saml_settings(request: HttpRequest) -> OneLogin_Saml2_Settings:
    """Settings with the identity provider; raises IdentityProviderUnavailable without a usable one."""
    idp = identity_provider(request)
    try:
        data = _settings_data(request)
        data["idp"] = idp
        return OneLogin_Saml2_Settings(data)
    except (OneLogin_Saml2_Error, OSError, ValueError) as error:  # unreadable keys, invalid URLs
        raise IdentityProviderUnavailable(f"the SAML settings cannot be used: {type(error).__name__}: {error}") from None


def idp_origin(saml_settings: OneLogin_Saml2_Settings) -> str | None:
    """scheme://host[:port] of the IdP's single logout service: the only origin that may frame /saml/slo/."""
    url = saml_settings.get_idp_slo_url() or saml_settings.get_idp_sso_url()
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def request_data(request: HttpRequest, *, path: str | None = None) -> dict:
    """The request as python3-saml reads it. `path` replaces the path the request arrived at."""
    return {
        "https": "on" if request.is_secure() else "off",
        "http_host": request.get_host(),
        "script_name": "",
        "path_info": path if path is not None else request.path,
        "get_data": request.GET.dict(),
        "post_data": request.POST.dict(),
        # Redirect-binding signatures are checked over the query string exactly as received.
        "query_string": request.META.get("QUERY_STRING", ""),
        "validate_signature_from_qs": True,
    }
