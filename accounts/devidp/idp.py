"""A development identity provider that speaks the same SAML as Suomi.fi e-Identification.

It checks our signed AuthnRequest, and answers with a Response whose assertion is signed
(RSA-SHA256) and encrypted (AES-256-GCM, RSA-OAEP) for our certificate, built with lxml and
python3-saml's xmlsec binding: nothing beyond what pip installs. It answers single logout too.
Its key pair is generated into var/saml/ on first use; the service provider trusts its metadata
when HEKA_DEV_IDP_ENABLED is on (accounts.saml.config).
"""

import datetime
import secrets
from dataclasses import dataclass

import xmlsec
from django.http import HttpRequest
from django.urls import reverse
from lxml import etree
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.utils import OneLogin_Saml2_Utils
from onelogin.saml2.xml_utils import OneLogin_Saml2_XML

from accounts.saml import config, constants
from accounts.saml.keys import KeyPair, generated_key_pair, service_provider_key_pair

from .persons import TestPerson

ENTITY_ID = "urn:heka:dev-idp"

SAMLP = OneLogin_Saml2_Constants.NS_SAMLP
SAML = OneLogin_Saml2_Constants.NS_SAML
MD = OneLogin_Saml2_Constants.NS_MD
DS = OneLogin_Saml2_Constants.NS_DS
XS = "http://www.w3.org/2001/XMLSchema"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
EIDAS_PERSON_IDENTIFIER = "http://eidas.europa.eu/attributes/naturalperson/PersonIdentifier"
STATUS_AUTHN_FAILED = "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"
_ASSERTION_LIFETIME = datetime.timedelta(minutes=5)


class DevIdpError(Exception):
    """A message the development identity provider will not answer."""


@dataclass(frozen=True)
class AuthnRequestInfo:
    id: str
    acs_url: str
    sp_entity_id: str
    relay_state: str
    language: str


def key_pair() -> KeyPair:
    return generated_key_pair("dev-idp", "Heka development identity provider (not for production)")


def sso_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("devidp:sso"))


def slo_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("devidp:slo"))


def metadata_xml(request: HttpRequest) -> bytes:
    redirect = OneLogin_Saml2_Constants.BINDING_HTTP_REDIRECT
    root = etree.Element(f"{{{MD}}}EntityDescriptor", nsmap={"md": MD, "ds": DS}, entityID=ENTITY_ID)
    descriptor = etree.SubElement(
        root,
        f"{{{MD}}}IDPSSODescriptor",
        WantAuthnRequestsSigned="true",
        protocolSupportEnumeration=OneLogin_Saml2_Constants.NS_SAMLP,
    )
    key_descriptor = etree.SubElement(descriptor, f"{{{MD}}}KeyDescriptor", use="signing")
    x509 = etree.SubElement(etree.SubElement(key_descriptor, f"{{{DS}}}KeyInfo"), f"{{{DS}}}X509Data")
    etree.SubElement(x509, f"{{{DS}}}X509Certificate").text = key_pair().certificate_base64
    etree.SubElement(descriptor, f"{{{MD}}}SingleLogoutService", Binding=redirect, Location=slo_url(request))
    etree.SubElement(descriptor, f"{{{MD}}}NameIDFormat").text = OneLogin_Saml2_Constants.NAMEID_TRANSIENT
    etree.SubElement(descriptor, f"{{{MD}}}SingleSignOnService", Binding=redirect, Location=sso_url(request))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def read_redirect_message(request: HttpRequest, kind: str) -> etree._Element:
    """The HTTP-Redirect message `kind` (SAMLRequest) of this request, signed by our SP."""
    encoded = request.GET.get(kind)
    signature = request.GET.get("Signature")
    algorithm = request.GET.get("SigAlg")
    if not encoded or not signature or not algorithm:
        raise DevIdpError(f"the {kind} is missing or not signed")
    if algorithm != OneLogin_Saml2_Constants.RSA_SHA256:
        raise DevIdpError(f"signature algorithm {algorithm} is not accepted")
    # The signature covers the parameters exactly as they were sent.
    parts = request.META.get("QUERY_STRING", "").split("&")
    signed = "&".join(part for name in (f"{kind}=", "RelayState=", "SigAlg=") for part in parts if part.startswith(name))
    try:
        signature_bytes = OneLogin_Saml2_Utils.b64decode(signature)
    except ValueError:
        raise DevIdpError("the signature is not base64") from None
    if not OneLogin_Saml2_Utils.validate_binary_sign(
        signed, signature_bytes, service_provider_key_pair().certificate_pem, algorithm
    ):
        raise DevIdpError("the signature does not verify with the service provider's certificate")
    try:
        message = OneLogin_Saml2_XML.to_etree(OneLogin_Saml2_Utils.decode_base64_and_inflate(encoded))
    except Exception as error:
        raise DevIdpError(f"the {kind} cannot be read: {type(error).__name__}") from None
    issuer = message.findtext(f"{{{SAML}}}Issuer")
    if issuer != config.sp_entity_id():
        raise DevIdpError(f"unknown service provider {issuer!r}")
    return message


def read_authn_request(request: HttpRequest, language: str) -> AuthnRequestInfo:
    message = read_redirect_message(request, "SAMLRequest")
    if message.tag != f"{{{SAMLP}}}AuthnRequest" or not message.get("ID"):
        raise DevIdpError("the message is not an AuthnRequest")
    if message.get("Destination") != sso_url(request):
        raise DevIdpError(f"the AuthnRequest is meant for {message.get('Destination')!r}")
    acs = message.get("AssertionConsumerServiceURL")
    # Like any IdP, answer only at an address the service provider's metadata names.
    if acs != config.acs_url(request):
        raise DevIdpError(f"unknown assertion consumer service {acs!r}")
    lg = message.find(f"{{{SAMLP}}}Extensions/{{{constants.VETUMA_EXTENSIONS_NS}}}vetuma/{{{constants.VETUMA_EXTENSIONS_NS}}}LG")
    return AuthnRequestInfo(
        id=message.get("ID"),
        acs_url=acs,
        sp_entity_id=message.findtext(f"{{{SAML}}}Issuer"),
        relay_state=request.GET.get("RelayState", ""),
        language=lg.text if lg is not None and lg.text in ("fi", "sv", "en") else language,
    )


def _time(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _new_id() -> str:
    return f"_{secrets.token_hex(20)}"


def _response_root(authn: AuthnRequestInfo, now: datetime.datetime, status: str) -> etree._Element:
    response = etree.Element(
        f"{{{SAMLP}}}Response",
        nsmap={"samlp": SAMLP, "saml": SAML},
        ID=_new_id(),
        Version="2.0",
        IssueInstant=_time(now),
        Destination=authn.acs_url,
        InResponseTo=authn.id,
    )
    etree.SubElement(response, f"{{{SAML}}}Issuer").text = ENTITY_ID
    status_element = etree.SubElement(response, f"{{{SAMLP}}}Status")
    code = etree.SubElement(status_element, f"{{{SAMLP}}}StatusCode", Value=status)
    if status != OneLogin_Saml2_Constants.STATUS_SUCCESS:
        code.set("Value", OneLogin_Saml2_Constants.STATUS_RESPONDER)
        etree.SubElement(code, f"{{{SAMLP}}}StatusCode", Value=status)
    return response


def _attributes(person: TestPerson) -> list[tuple[str, str, str]]:
    given_name = person.first_names.split(" ")[0]
    values = [
        (constants.GIVEN_NAME, "givenName", given_name),
        (constants.SURNAME, "sn", person.last_name),
        (constants.COMMON_NAME, "cn", f"{person.last_name} {person.first_names}"),
    ]
    if person.hetu:
        values.insert(0, (constants.HETU, "nationalIdentificationNumber", person.hetu))
        values.append((constants.FIRST_NAMES, "FirstName", person.first_names))
    else:
        values.append((EIDAS_PERSON_IDENTIFIER, "PersonIdentifier", f"DE/FI/{person.key}"))
    return values


def _assertion(authn: AuthnRequestInfo, person: TestPerson, loa: str, now: datetime.datetime) -> etree._Element:
    # A document of its own that declares every namespace it uses: it is signed and encrypted alone.
    assertion = etree.Element(
        f"{{{SAML}}}Assertion",
        nsmap={"saml": SAML, "xs": XS, "xsi": XSI},
        ID=_new_id(),
        Version="2.0",
        IssueInstant=_time(now),
    )
    etree.SubElement(assertion, f"{{{SAML}}}Issuer").text = ENTITY_ID
    subject = etree.SubElement(assertion, f"{{{SAML}}}Subject")
    name_id = etree.SubElement(
        subject,
        f"{{{SAML}}}NameID",
        Format=OneLogin_Saml2_Constants.NAMEID_TRANSIENT,
        NameQualifier=ENTITY_ID,
        SPNameQualifier=authn.sp_entity_id,
    )
    name_id.text = _new_id()
    confirmation = etree.SubElement(subject, f"{{{SAML}}}SubjectConfirmation", Method=OneLogin_Saml2_Constants.CM_BEARER)
    etree.SubElement(
        confirmation,
        f"{{{SAML}}}SubjectConfirmationData",
        InResponseTo=authn.id,
        NotOnOrAfter=_time(now + _ASSERTION_LIFETIME),
        Recipient=authn.acs_url,
    )
    conditions = etree.SubElement(
        assertion, f"{{{SAML}}}Conditions", NotBefore=_time(now), NotOnOrAfter=_time(now + _ASSERTION_LIFETIME)
    )
    audience = etree.SubElement(etree.SubElement(conditions, f"{{{SAML}}}AudienceRestriction"), f"{{{SAML}}}Audience")
    audience.text = authn.sp_entity_id
    statement = etree.SubElement(assertion, f"{{{SAML}}}AuthnStatement", AuthnInstant=_time(now), SessionIndex=_new_id())
    context = etree.SubElement(statement, f"{{{SAML}}}AuthnContext")
    etree.SubElement(context, f"{{{SAML}}}AuthnContextClassRef").text = loa
    attributes = etree.SubElement(assertion, f"{{{SAML}}}AttributeStatement")
    for name, friendly_name, value in _attributes(person):
        attribute = etree.SubElement(
            attributes,
            f"{{{SAML}}}Attribute",
            Name=name,
            NameFormat=OneLogin_Saml2_Constants.ATTRNAME_FORMAT_URI,
            FriendlyName=friendly_name,
        )
        attribute_value = etree.SubElement(attribute, f"{{{SAML}}}AttributeValue", {f"{{{XSI}}}type": "xs:string"})
        attribute_value.text = value
    return assertion


def _sign(assertion: etree._Element) -> etree._Element:
    pair = key_pair()
    signed = OneLogin_Saml2_Utils.add_sign(
        assertion,
        pair.private_key_pem,
        pair.certificate_pem,
        sign_algorithm=OneLogin_Saml2_Constants.RSA_SHA256,
        digest_algorithm=OneLogin_Saml2_Constants.SHA256,
    )
    return OneLogin_Saml2_XML.to_etree(signed)


def _encrypt(assertion: etree._Element, certificate_pem: str) -> etree._Element:
    """An EncryptedAssertion holding `assertion` encrypted for the owner of `certificate_pem`."""
    wrapper = etree.Element(f"{{{SAML}}}EncryptedAssertion", nsmap={"saml": SAML})
    wrapper.append(assertion)
    template = xmlsec.template.encrypted_data_create(
        wrapper, xmlsec.Transform.AES256_GCM, type=xmlsec.EncryptionType.ELEMENT, ns="xenc"
    )
    xmlsec.template.encrypted_data_ensure_cipher_value(template)
    key_info = xmlsec.template.encrypted_data_ensure_key_info(template, ns="ds")
    encrypted_key = xmlsec.template.add_encrypted_key(key_info, xmlsec.Transform.RSA_OAEP)
    xmlsec.template.encrypted_data_ensure_cipher_value(encrypted_key)
    manager = xmlsec.KeysManager()
    manager.add_key(xmlsec.Key.from_memory(certificate_pem.encode(), xmlsec.KeyFormat.CERT_PEM, None))
    context = xmlsec.EncryptionContext(manager)
    context.key = xmlsec.Key.generate(xmlsec.KeyData.AES, 256, xmlsec.KeyDataType.SESSION)
    context.encrypt_xml(template, assertion)
    return wrapper


def build_response(*, authn: AuthnRequestInfo, person: TestPerson, loa: str) -> str:
    """A successful Response for `person`, base64-encoded for the HTTP-POST binding."""
    now = datetime.datetime.now(datetime.UTC)
    response = _response_root(authn, now, OneLogin_Saml2_Constants.STATUS_SUCCESS)
    assertion = _sign(_assertion(authn, person, loa, now))
    response.append(_encrypt(assertion, service_provider_key_pair().certificate_pem))
    return OneLogin_Saml2_Utils.b64encode(etree.tostring(response, xml_declaration=True, encoding="UTF-8"))


def build_cancel_response(*, authn: AuthnRequestInfo) -> str:
    """The answer when the person cancels: status AuthnFailed, no assertion (as Suomi.fi sends it)."""
    response = _response_root(authn, datetime.datetime.now(datetime.UTC), STATUS_AUTHN_FAILED)
    return OneLogin_Saml2_Utils.b64encode(etree.tostring(response, xml_declaration=True, encoding="UTF-8"))


def logout_response_url(request: HttpRequest) -> str:
    """Answer our SP's signed LogoutRequest with a signed LogoutResponse (HTTP-Redirect)."""
    message = read_redirect_message(request, "SAMLRequest")
    if message.tag != f"{{{SAMLP}}}LogoutRequest" or not message.get("ID"):
        raise DevIdpError("the message is not a LogoutRequest")
    destination = config.sls_url(request)
    response = etree.Element(
        f"{{{SAMLP}}}LogoutResponse",
        nsmap={"samlp": SAMLP, "saml": SAML},
        ID=_new_id(),
        Version="2.0",
        IssueInstant=_time(datetime.datetime.now(datetime.UTC)),
        Destination=destination,
        InResponseTo=message.get("ID"),
    )
    etree.SubElement(response, f"{{{SAML}}}Issuer").text = ENTITY_ID
    status = etree.SubElement(response, f"{{{SAMLP}}}Status")
    etree.SubElement(status, f"{{{SAMLP}}}StatusCode", Value=OneLogin_Saml2_Constants.STATUS_SUCCESS)
    escape = OneLogin_Saml2_Utils.escape_url
    query = f"SAMLResponse={escape(OneLogin_Saml2_Utils.deflate_and_base64_encode(etree.tostring(response)))}"
    if "RelayState" in request.GET:
        query += f"&RelayState={escape(request.GET['RelayState'])}"
    query += f"&SigAlg={escape(OneLogin_Saml2_Constants.RSA_SHA256)}"
    signature = OneLogin_Saml2_Utils.sign_binary(query, key_pair().private_key_pem, xmlsec.Transform.RSA_SHA256)
    return f"{destination}?{query}&Signature={escape(OneLogin_Saml2_Utils.b64encode(signature))}"
