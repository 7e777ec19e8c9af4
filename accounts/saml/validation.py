"""Validation of a SAML Response to our AuthnRequest, at the assertion consumer service.

The identity provider POSTs the response from its own site, and with SameSite=Lax cookies that
POST arrives without our session. So the response is validated in full here, where it arrives,
and only its outcome waits for the browser's next (same-site) request: SFI-7, nothing an
anonymous client posts is kept unless it is a valid assertion.

python3-saml (strict mode) checks the XML schema, the signatures of the Response and of the
assertion with the identity provider's certificates (several allowed: SFI-5), deprecated
algorithms, decryption, one assertion only, audience, Destination, issuers, time conditions and
the subject confirmation. It leaves these to us, and so they are checked here:

- the Response must answer a request: it must have an InResponseTo, and the signed
  SubjectConfirmationData must name the same request and our ACS exactly (the finish step then
  compares that request with the one this browser session started);
- Destination and an Audience are required and must match exactly (python3-saml compares a
  prefix, and skips a missing one);
- an assertion id is accepted once: a replay cache in Django's cache (`cache.add` is atomic on
  Redis) until the assertion's NotOnOrAfter, holding only a digest of the issuer and the id;
- the authentication context must be one of the accepted ones (SFI-3);
- the encryption algorithms must be ones without known padding-oracle attacks.

And one repair: python3-saml puts the decrypted assertion in place of EncryptedAssertion by
moving the element, and lxml then rewrites its namespace prefixes to the ones the Response
declares. Exclusive canonicalization keeps prefixes, so a correct signature no longer verifies
when the IdP used other prefixes inside the assertion (pysaml2 does; the same problem is
php-saml#280 and #578). `_Response` splices the decrypted assertion in as text instead.
"""

import hashlib
import secrets
import time
from dataclasses import dataclass

from django.core.cache import cache
from lxml import etree
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.response import OneLogin_Saml2_Response
from onelogin.saml2.settings import OneLogin_Saml2_Settings
from onelogin.saml2.utils import OneLogin_Saml2_Error, OneLogin_Saml2_Utils, OneLogin_Saml2_ValidationError
from onelogin.saml2.xml_utils import OneLogin_Saml2_XML

from . import config, constants
from .refusals import Refusal

_NS = OneLogin_Saml2_Constants.NSMAP
_E = OneLogin_Saml2_ValidationError

_REASON_BY_ERROR = {
    _E.NO_ENCRYPTED_ASSERTION: "not_encrypted",
    _E.WRONG_INRESPONSETO: "in_response_to",
    _E.WRONG_AUDIENCE: "audience",
    _E.WRONG_DESTINATION: "destination",
    _E.EMPTY_DESTINATION: "destination",
    _E.WRONG_ISSUER: "issuer",
    _E.ISSUER_MULTIPLE_IN_RESPONSE: "issuer",
    _E.ISSUER_NOT_FOUND_IN_ASSERTION: "issuer",
    _E.ASSERTION_EXPIRED: "expired",
    _E.SESSION_EXPIRED: "expired",
    _E.ASSERTION_TOO_EARLY: "not_yet_valid",
    _E.WRONG_SUBJECTCONFIRMATION: "subject_confirmation",
    _E.STATUS_CODE_IS_NOT_SUCCESS: "cancelled",
    _E.AUTHN_CONTEXT_MISMATCH: "loa",
}
_SIGNATURE_ERRORS = {
    _E.INVALID_SIGNATURE,
    _E.NO_SIGNATURE_FOUND,
    _E.NO_SIGNED_ASSERTION,
    _E.NO_SIGNED_MESSAGE,
    _E.WRONG_SIGNED_ELEMENT,
    _E.ID_NOT_FOUND_IN_SIGNED_ELEMENT,
    _E.DUPLICATED_ID_IN_SIGNED_ELEMENTS,
    _E.INVALID_SIGNED_ELEMENT,
    _E.DUPLICATED_REFERENCE_IN_SIGNED_ELEMENTS,
    _E.UNEXPECTED_SIGNED_ELEMENTS,
    _E.WRONG_NUMBER_OF_SIGNATURES_IN_RESPONSE,
    _E.WRONG_NUMBER_OF_SIGNATURES_IN_ASSERTION,
    _E.WRONG_NUMBER_OF_SIGNATURES,
    _E.WRONG_NUMBER_OF_ASSERTIONS,
    _E.DEPRECATED_SIGNATURE_METHOD,
    _E.DEPRECATED_DIGEST_METHOD,
}


class _Response(OneLogin_Saml2_Response):
    def _decrypt_assertion(self, xml: etree._Element) -> etree._Element:
        containers = OneLogin_Saml2_XML.query(xml, "/samlp:Response/saml:EncryptedAssertion")
        if not containers:
            return xml
        key = self._settings.get_sp_key()
        if not key:
            raise OneLogin_Saml2_Error("no SP private key to decrypt the assertion", OneLogin_Saml2_Error.PRIVATE_KEY_NOT_FOUND)
        container = containers[0]
        data = container.find("xenc:EncryptedData", _NS)
        key_info = data.find("ds:KeyInfo", _NS) if data is not None else None
        if key_info is None or not len(key_info):
            raise _E("the encrypted assertion has no KeyInfo", _E.KEYINFO_NOT_FOUND_IN_ENCRYPTED_DATA)
        # The EncryptedKey may stand beside EncryptedData, named by a RetrievalMethod.
        for method in key_info.findall("ds:RetrievalMethod", _NS):
            if method.get("Type") != "http://www.w3.org/2001/04/xmlenc#EncryptedKey":
                raise _E("unsupported RetrievalMethod", _E.UNSUPPORTED_RETRIEVAL_METHOD)
            uri = method.get("URI", "")
            for encrypted_key in container.findall("xenc:EncryptedKey", _NS):
                if uri.startswith("#") and encrypted_key.get("Id") == uri[1:]:
                    key_info.append(encrypted_key)
        assertion = OneLogin_Saml2_Utils.decrypt_element(data, key, inplace=True)
        # Serialized before the tree changes: moving or unlinking nodes rewrites their prefixes.
        assertion_text = etree.tostring(assertion)
        marker = f"heka-assertion-{secrets.token_hex(16)}"
        xml.replace(container, etree.Comment(marker))
        text = etree.tostring(xml).replace(f"<!--{marker}-->".encode(), assertion_text, 1)
        return OneLogin_Saml2_XML.to_etree(text)


@dataclass(frozen=True)
class ValidatedAssertion:
    """What a fully validated response says. Attribute values are personal data: never log them."""

    assertion_id: str
    issuer: str
    in_response_to: str
    loa: str
    attributes: dict[str, list[str]]
    name_id: dict[str, str]
    session_index: str | None
    not_on_or_after: int  # POSIX seconds: the last moment the assertion could be accepted

    def first(self, name: str) -> str:
        values = [value for value in self.attributes.get(name, []) if isinstance(value, str) and value.strip()]
        return values[0].strip() if values else ""


def validate_response(*, saml_settings: OneLogin_Saml2_Settings, saml_response: str, received: dict) -> ValidatedAssertion:
    """Validate the base64 `saml_response` that arrived as described by `received` (python3-saml
    request data of the ACS request); raise Refusal. The assertion is not yet marked as used:
    `accept_once` does that."""
    _check_encryption_algorithms(saml_response)
    try:
        response = _Response(saml_settings, saml_response)
    except Exception as error:  # base64, XML or decryption: python3-saml raises many kinds
        raise Refusal("invalid", f"unreadable response: {type(error).__name__}: {error}") from None
    try:
        response.is_valid(received, None, raise_exceptions=True)
    except OneLogin_Saml2_ValidationError as error:
        reason = "signature" if error.code in _SIGNATURE_ERRORS else _REASON_BY_ERROR.get(error.code, "invalid")
        raise Refusal(reason, f"python3-saml error {error.code}: {error}") from None
    except Exception as error:
        raise Refusal("invalid", f"{type(error).__name__}: {error}") from None

    received_at = OneLogin_Saml2_Utils.get_self_url_no_query(received)
    document = response.get_xml_document()
    in_response_to = response.get_in_response_to()
    if not in_response_to:
        raise Refusal("unsolicited", "the response has no InResponseTo")
    destination = document.get("Destination")
    if not destination or not _same_url(destination, received_at):
        raise Refusal("destination", f"Destination {destination!r} is not {received_at!r}")

    # is_valid() allows exactly one assertion, the one whose signature it verified.
    assertion = OneLogin_Saml2_XML.query(document, "//saml:Assertion")[0]
    _check_audience(assertion, saml_settings.get_sp_data()["entityId"])
    _check_subject_confirmation(assertion, request_id=in_response_to, recipient=received_at)

    try:
        contexts = response.get_authn_contexts()
        attributes = response.get_attributes()
        name_id = response.get_nameid_data()
        session_index = response.get_session_index()
        assertion_id = response.get_assertion_id()
    except Exception as error:
        raise Refusal("invalid", f"{type(error).__name__}: {error}") from None
    accepted = config.accepted_contexts()
    if len(contexts) != 1 or contexts[0] not in accepted:
        raise Refusal("loa", f"authentication context {contexts!r} is not one of {accepted!r}")
    if not assertion_id:
        raise Refusal("invalid", "the assertion has no ID")

    return ValidatedAssertion(
        assertion_id=assertion_id,
        issuer=saml_settings.get_idp_data()["entityId"],
        in_response_to=in_response_to,
        loa=contexts[0],
        attributes=attributes,
        name_id=name_id,
        session_index=session_index,
        not_on_or_after=_not_on_or_after(response, assertion),
    )


def accept_once(assertion: ValidatedAssertion) -> None:
    """The replay cache: a digest of issuer and assertion id, kept until the assertion expires."""
    digest = hashlib.sha256(f"{assertion.issuer}\n{assertion.assertion_id}".encode()).hexdigest()
    timeout = max(int(assertion.not_on_or_after - time.time()), 1)
    try:
        first_use = cache.add(f"heka:saml:assertion:{digest}", 1, timeout=timeout)
    except Exception as error:  # without the replay cache nothing can be accepted
        raise Refusal("unavailable", f"replay cache: {type(error).__name__}: {error}") from None
    if not first_use:
        raise Refusal("replay", f"assertion {assertion.assertion_id!r} was already used")


def _check_encryption_algorithms(saml_response: str) -> None:
    try:
        document = OneLogin_Saml2_XML.to_etree(OneLogin_Saml2_Utils.b64decode(saml_response))
    except Exception as error:
        raise Refusal("invalid", f"unreadable response: {type(error).__name__}: {error}") from None
    for encrypted in OneLogin_Saml2_XML.query(document, "//saml:EncryptedAssertion"):
        data_methods = [node.get("Algorithm") for node in encrypted.iterfind("xenc:EncryptedData/xenc:EncryptionMethod", _NS)]
        key_methods = [node.get("Algorithm") for node in encrypted.iterfind(".//xenc:EncryptedKey/xenc:EncryptionMethod", _NS)]
        if not data_methods or not set(data_methods) <= constants.ALLOWED_DATA_ENCRYPTION:
            raise Refusal("encryption_algorithm", f"data encryption {data_methods!r} is not allowed")
        if not key_methods or not set(key_methods) <= constants.ALLOWED_KEY_TRANSPORT:
            raise Refusal("encryption_algorithm", f"key transport {key_methods!r} is not allowed")


def _same_url(first: str, second: str) -> bool:
    return OneLogin_Saml2_Utils.normalize_url(first) == OneLogin_Saml2_Utils.normalize_url(second)


def _check_audience(assertion: etree._Element, entity_id: str) -> None:
    audiences = [
        (node.text or "").strip() for node in assertion.iterfind("saml:Conditions/saml:AudienceRestriction/saml:Audience", _NS)
    ]
    if entity_id not in audiences:
        raise Refusal("audience", f"audiences {audiences!r} do not include {entity_id!r}")


def _check_subject_confirmation(assertion: etree._Element, *, request_id: str, recipient: str) -> None:
    now = OneLogin_Saml2_Utils.now()
    for confirmation in assertion.iterfind("saml:Subject/saml:SubjectConfirmation", _NS):
        if confirmation.get("Method") != OneLogin_Saml2_Constants.CM_BEARER:
            continue
        data = confirmation.find("saml:SubjectConfirmationData", _NS)
        if data is None or data.get("InResponseTo") != request_id:
            continue
        if not data.get("Recipient") or not _same_url(data.get("Recipient"), recipient):
            continue
        not_on_or_after = data.get("NotOnOrAfter")
        if not not_on_or_after or OneLogin_Saml2_Utils.parse_SAML_to_time(not_on_or_after) <= now:
            continue
        return
    raise Refusal(
        "subject_confirmation",
        f"no bearer SubjectConfirmationData for request {request_id!r}, recipient {recipient!r} and a NotOnOrAfter in the future",
    )


def _not_on_or_after(response: OneLogin_Saml2_Response, assertion: etree._Element) -> int:
    """The last moment (POSIX seconds) at which the assertion could still be accepted."""
    limits = [response.get_assertion_not_on_or_after() or 0]
    conditions = assertion.find("saml:Conditions", _NS)
    if conditions is not None and conditions.get("NotOnOrAfter"):
        limits.append(OneLogin_Saml2_Utils.parse_SAML_to_time(conditions.get("NotOnOrAfter")))
    return max(limits) + OneLogin_Saml2_Constants.ALLOWED_CLOCK_DRIFT
