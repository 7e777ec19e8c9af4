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

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from lxml import etree
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


def _settings_data(request: HttpRequest) -> dict:
    pair = service_provider_key_pair()
    return {
        "strict": True,
        "debug": False,
        "sp": {
            "entityId": sp_entity_id(),
            "assertionConsumerService": {"url": acs_url(request), "binding": OneLogin_Saml2_Constants.BINDING_HTTP_POST},
            "singleLogoutService": {"url": sls_url(request), "binding": OneLogin_Saml2_Constants.BINDING_HTTP_REDIRECT},
            "attributeConsumingService": {
                "serviceName": "Heka Resident Portal",
                "serviceDescription": "Registration and identification of Heka residents",
                "requestedAttributes": [
                    {
                        "name": constants.HETU,
                        "nameFormat": OneLogin_Saml2_Constants.ATTRNAME_FORMAT_URI,
                        "friendlyName": "nationalIdentificationNumber",
                        "isRequired": True,
                    },
                    {
                        "name": constants.GIVEN_NAME,
                        "nameFormat": OneLogin_Saml2_Constants.ATTRNAME_FORMAT_URI,
                        "friendlyName": "givenName",
                    },
                    {"name": constants.SURNAME, "nameFormat": OneLogin_Saml2_Constants.ATTRNAME_FORMAT_URI, "friendlyName": "sn"},
                    {
                        "name": constants.COMMON_NAME,
                        "nameFormat": OneLogin_Saml2_Constants.ATTRNAME_FORMAT_URI,
                        "friendlyName": "cn",
                    },
                ],
            },
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
            # The assertion is signed; an IdP may or may not sign the outer Response as well.
            "wantMessagesSigned": False,
            "wantNameId": True,
            "wantNameIdEncrypted": False,
            "wantAttributeStatement": True,
            "allowRepeatAttributeName": False,
            "signatureAlgorithm": OneLogin_Saml2_Constants.RSA_SHA256,
            "digestAlgorithm": OneLogin_Saml2_Constants.SHA256,
            "rejectDeprecatedAlgorithm": True,
            "requestedAuthnContext": list(constants.ACCEPTED_LEVELS),
            # "exact" with a list means: exactly one of these (SAML core 3.3.2.2.1).
            "requestedAuthnContextComparison": "exact",
            # The level is checked by accounts.saml.validation, which names the refusal precisely.
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


def sp_metadata_xml(request: HttpRequest) -> bytes:
    """Our metadata: entity id, ACS, SLO, requested attributes, the signing and encryption certificate."""
    sp_settings = OneLogin_Saml2_Settings(_settings_data(request), sp_validation_only=True)
    metadata = sp_settings.get_sp_metadata()
    errors = sp_settings.validate_metadata(metadata)
    if errors:
        raise ValueError(f"the generated SP metadata is invalid: {errors}")
    return _advertise_encryption_methods(metadata)


def _advertise_encryption_methods(metadata: str | bytes) -> bytes:
    # An IdP that honours EncryptionMethod in SP metadata (Shibboleth does) then encrypts with
    # algorithms that accounts.saml.validation accepts.
    md = OneLogin_Saml2_Constants.NS_MD
    root = etree.fromstring(metadata.encode() if isinstance(metadata, str) else metadata)
    for descriptor in root.iter(f"{{{md}}}KeyDescriptor"):
        if descriptor.get("use") != "encryption":
            continue
        for algorithm in (
            "http://www.w3.org/2009/xmlenc11#aes256-gcm",
            "http://www.w3.org/2009/xmlenc11#aes128-gcm",
            "http://www.w3.org/2001/04/xmlenc#aes256-cbc",
            "http://www.w3.org/2001/04/xmlenc#aes128-cbc",
            "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
        ):
            etree.SubElement(descriptor, f"{{{md}}}EncryptionMethod", Algorithm=algorithm)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


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
