"""Single logout at the development identity provider (SFI-4, SFI-6), both ways: our SP's
LogoutRequest gets a page where the person confirms (or cancels) the logout before the signed
LogoutResponse; and a logout "at another service" sends our SP a signed LogoutRequest in a hidden
iframe, whose LogoutResponse it checks."""

import datetime
import secrets

import xmlsec
from django.http import HttpRequest
from lxml import etree
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from .idp import (
    ENTITY_ID,
    SAML,
    SAMLP,
    STATUS_REQUEST_DENIED,
    STATUS_REQUESTER,
    DevIdpError,
    key_pair,
    new_id,
    read_redirect_message,
    saml_time,
    service_provider,
    slo_url,
)


def _signed_redirect(location: str, kind: str, message: etree._Element, relay_state: str, signing_key: str) -> str:
    escape = OneLogin_Saml2_Utils.escape_url
    query = f"{kind}={escape(OneLogin_Saml2_Utils.deflate_and_base64_encode(etree.tostring(message)))}"
    if relay_state:
        query += f"&RelayState={escape(relay_state)}"
    query += f"&SigAlg={escape(OneLogin_Saml2_Constants.RSA_SHA256)}"
    signature = OneLogin_Saml2_Utils.sign_binary(
        query, key_pair(signing_key).private_key_pem, xmlsec.constants.TransformRsaSha256
    )
    return f"{location}?{query}&Signature={escape(OneLogin_Saml2_Utils.b64encode(signature))}"


def read_logout_request(request: HttpRequest) -> dict[str, str]:
    """Our SP's signed LogoutRequest: what the confirmation page needs to answer it."""
    message = read_redirect_message(request, "SAMLRequest")
    if message.tag != f"{{{SAMLP}}}LogoutRequest" or not message.get("ID"):
        raise DevIdpError("the message is not a LogoutRequest")
    if message.get("Destination") != slo_url(request):
        raise DevIdpError(f"the LogoutRequest is meant for {message.get('Destination')!r}")
    return {
        "id": message.get("ID"),
        "relay_state": request.GET.get("RelayState", ""),
        "name_id": message.findtext(f"{{{SAML}}}NameID") or "",
        "sls_url": service_provider(request).sls_url,
    }


def logout_response_url(logout: dict[str, str], *, success: bool, signing_key: str = "2") -> str:
    """Answer a LogoutRequest of our SP with a signed LogoutResponse (HTTP-Redirect); `success`
    False is the person cancelling the logout at the IdP."""
    response = etree.Element(
        f"{{{SAMLP}}}LogoutResponse",
        nsmap={"samlp": SAMLP, "saml": SAML},
        ID=new_id(),
        Version="2.0",
        IssueInstant=saml_time(datetime.datetime.now(datetime.UTC)),
        Destination=logout["sls_url"],
        InResponseTo=logout["id"],
    )
    etree.SubElement(response, f"{{{SAML}}}Issuer").text = ENTITY_ID
    status = etree.SubElement(response, f"{{{SAMLP}}}Status")
    code = etree.SubElement(
        status, f"{{{SAMLP}}}StatusCode", Value=OneLogin_Saml2_Constants.STATUS_SUCCESS if success else STATUS_REQUESTER
    )
    if not success:
        etree.SubElement(code, f"{{{SAMLP}}}StatusCode", Value=STATUS_REQUEST_DENIED)
    return _signed_redirect(logout["sls_url"], "SAMLResponse", response, logout["relay_state"], signing_key)


def logout_request_url(session: dict[str, str]) -> tuple[str, str]:
    """An IdP-initiated logout of `session` (a logout at another service): the signed
    LogoutRequest to our SP's single logout service, and its ID."""
    now = datetime.datetime.now(datetime.UTC)
    request_id = new_id()
    message = etree.Element(
        f"{{{SAMLP}}}LogoutRequest",
        nsmap={"samlp": SAMLP, "saml": SAML},
        ID=request_id,
        Version="2.0",
        IssueInstant=saml_time(now),
        Destination=session["sls_url"],
        NotOnOrAfter=saml_time(now + datetime.timedelta(minutes=5)),
    )
    etree.SubElement(message, f"{{{SAML}}}Issuer").text = ENTITY_ID
    name_id = etree.SubElement(
        message,
        f"{{{SAML}}}NameID",
        Format=OneLogin_Saml2_Constants.NAMEID_TRANSIENT,
        NameQualifier=ENTITY_ID,
        SPNameQualifier=session["sp_entity_id"],
    )
    name_id.text = session["name_id"]
    etree.SubElement(message, f"{{{SAMLP}}}SessionIndex").text = session["session_index"]
    url = _signed_redirect(session["sls_url"], "SAMLRequest", message, secrets.token_urlsafe(12), session["signing_key"])
    return url, request_id


def read_logout_response(request: HttpRequest) -> tuple[str, bool]:
    """Our SP's signed LogoutResponse to an IdP-initiated logout: (InResponseTo, success)."""
    message = read_redirect_message(request, "SAMLResponse")
    if message.tag != f"{{{SAMLP}}}LogoutResponse":
        raise DevIdpError("the message is not a LogoutResponse")
    if message.get("Destination") != slo_url(request):
        raise DevIdpError(f"the LogoutResponse is meant for {message.get('Destination')!r}")
    status = message.find(f"{{{SAMLP}}}Status/{{{SAMLP}}}StatusCode")
    return message.get("InResponseTo") or "", status is not None and status.get(
        "Value"
    ) == OneLogin_Saml2_Constants.STATUS_SUCCESS
