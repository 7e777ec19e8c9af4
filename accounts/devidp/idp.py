"""A development identity provider that behaves like Suomi.fi e-Identification's test environment (SFI-6).

- It checks our signed AuthnRequest and answers only at an assertion consumer service that our
  SP metadata names, with a Response that is signed (RSA-SHA256) around an assertion that is
  signed and encrypted (AES-256-GCM, RSA-OAEP) for our certificate.
- It sends Suomi.fi's attributes with Suomi.fi's names, NameFormat, FriendlyNames and xs:string
  values, and releases only the attributes our metadata requests. A foreign (eIDAS) person brings
  PersonIdentifier, FirstName, FamilyName and DateOfBirth, never an identity code.
- Its authentication contexts are Suomi.fi's (loa2, loa3, the eIDAS levels, the test identifier
  and the Finnish Authenticator, which is not strong).
- Its metadata lists two signing certificates, as Suomi.fi's does while it rotates them; the
  person at its login page chooses which one signs.
- Like Suomi.fi with VtjVerificationRequired, it fails the identification of a person whom the
  population register records as deceased. A cancel answers Requester/AuthnFailed.
- Single logout both ways (`logout.py`).

Built with lxml and python3-saml's xmlsec binding. Its key pairs are generated into var/saml/ on
first use. HEKA_DEV_IDP_BASE_URL serves its endpoints on another origin (the portal is then
reached at HEKA_SITE_URL), so that the browser crosses sites as it does with Suomi.fi.
"""

import datetime
import secrets
from dataclasses import dataclass

import xmlsec
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from lxml import etree
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.utils import OneLogin_Saml2_Utils
from onelogin.saml2.xml_utils import OneLogin_Saml2_XML

from accounts.saml import config, constants
from accounts.saml.keys import KeyPair, generated_key_pair, service_provider_key_pair
from accounts.saml.metadata import build_sp_metadata, requested_attributes

from .persons import TestPerson

ENTITY_ID = "urn:heka:dev-idp"

SAMLP = OneLogin_Saml2_Constants.NS_SAMLP
SAML = OneLogin_Saml2_Constants.NS_SAML
MD = OneLogin_Saml2_Constants.NS_MD
DS = OneLogin_Saml2_Constants.NS_DS
XS = "http://www.w3.org/2001/XMLSchema"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
STATUS_REQUESTER = "urn:oasis:names:tc:SAML:2.0:status:Requester"
STATUS_RESPONDER = "urn:oasis:names:tc:SAML:2.0:status:Responder"
STATUS_AUTHN_FAILED = "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"
STATUS_REQUEST_DENIED = "urn:oasis:names:tc:SAML:2.0:status:RequestDenied"
_ASSERTION_LIFETIME = datetime.timedelta(minutes=5)
SIGNING_KEYS = ("1", "2")


class DevIdpError(Exception):
    """A message the development identity provider will not answer."""


@dataclass(frozen=True)
class AuthnRequestInfo:
    id: str
    acs_url: str
    sp_entity_id: str
    relay_state: str
    language: str


def key_pair(which: str = "2") -> KeyPair:
    """Signing key 1 (the older certificate) or 2 (the newer): both are in the metadata."""
    if which == "1":
        return generated_key_pair("dev-idp", "Heka development IdP, certificate 1 (not for production)")
    return generated_key_pair("dev-idp-2", "Heka development IdP, certificate 2 (not for production)")


def _base(request: HttpRequest | None) -> str:
    if settings.HEKA_DEV_IDP_BASE_URL:
        return settings.HEKA_DEV_IDP_BASE_URL.rstrip("/")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return settings.HEKA_SITE_URL.rstrip("/")


def sso_url(request: HttpRequest | None) -> str:
    return _base(request) + reverse("devidp:sso")


def slo_url(request: HttpRequest | None) -> str:
    return _base(request) + reverse("devidp:slo")


# -- what the IdP knows of our service provider: its metadata ------------------------------------


@dataclass(frozen=True)
class ServiceProvider:
    entity_id: str
    acs_url: str
    sls_url: str
    requested: tuple[str, ...]


def service_provider(request: HttpRequest) -> ServiceProvider:
    """Read from our SP's metadata, as any IdP would. On another origin the SP is at HEKA_SITE_URL."""
    if settings.HEKA_DEV_IDP_BASE_URL:
        site = settings.HEKA_SITE_URL.rstrip("/")
        acs, sls = site + reverse("saml:acs"), site + reverse("saml:sls")
    else:
        acs, sls = config.acs_url(request), config.sls_url(request)
    metadata = build_sp_metadata(
        entity_id=config.sp_entity_id(),
        acs_url=acs,
        sls_url=sls,
        certificate_base64=service_provider_key_pair().certificate_base64,
        contexts=config.accepted_contexts(),
    )
    return ServiceProvider(config.sp_entity_id(), acs, sls, tuple(requested_attributes(metadata)))


def metadata_xml(request: HttpRequest | None) -> bytes:
    redirect = OneLogin_Saml2_Constants.BINDING_HTTP_REDIRECT
    root = etree.Element(f"{{{MD}}}EntityDescriptor", nsmap={"md": MD, "ds": DS}, entityID=ENTITY_ID)
    descriptor = etree.SubElement(
        root,
        f"{{{MD}}}IDPSSODescriptor",
        WantAuthnRequestsSigned="true",
        protocolSupportEnumeration=OneLogin_Saml2_Constants.NS_SAMLP,
    )
    for which in SIGNING_KEYS:
        key_descriptor = etree.SubElement(descriptor, f"{{{MD}}}KeyDescriptor", use="signing")
        x509 = etree.SubElement(etree.SubElement(key_descriptor, f"{{{DS}}}KeyInfo"), f"{{{DS}}}X509Data")
        etree.SubElement(x509, f"{{{DS}}}X509Certificate").text = key_pair(which).certificate_base64
    etree.SubElement(descriptor, f"{{{MD}}}SingleLogoutService", Binding=redirect, Location=slo_url(request))
    etree.SubElement(descriptor, f"{{{MD}}}NameIDFormat").text = OneLogin_Saml2_Constants.NAMEID_TRANSIENT
    etree.SubElement(descriptor, f"{{{MD}}}SingleSignOnService", Binding=redirect, Location=sso_url(request))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# -- reading the SP's HTTP-Redirect messages -----------------------------------------------------


def read_redirect_message(request: HttpRequest, kind: str) -> etree._Element:
    """The HTTP-Redirect message `kind` (SAMLRequest or SAMLResponse) of this request, signed by our SP."""
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
    # SkipEndpointValidationWhenSigned=false: answer only at an address the SP's metadata names.
    if acs != service_provider(request).acs_url:
        raise DevIdpError(f"unknown assertion consumer service {acs!r}")
    lg = message.find(f"{{{SAMLP}}}Extensions/{{{constants.VETUMA_EXTENSIONS_NS}}}vetuma/{{{constants.VETUMA_EXTENSIONS_NS}}}LG")
    return AuthnRequestInfo(
        id=message.get("ID"),
        acs_url=acs,
        sp_entity_id=message.findtext(f"{{{SAML}}}Issuer"),
        relay_state=request.GET.get("RelayState", ""),
        language=lg.text if lg is not None and lg.text in ("fi", "sv", "en") else language,
    )


# -- responses -------------------------------------------------------------------------------------


def saml_time(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_id() -> str:
    return f"_{secrets.token_hex(20)}"


def _response_root(authn: AuthnRequestInfo, now: datetime.datetime, status: tuple[str, str] | None) -> etree._Element:
    response = etree.Element(
        f"{{{SAMLP}}}Response",
        nsmap={"samlp": SAMLP, "saml": SAML},
        ID=new_id(),
        Version="2.0",
        IssueInstant=saml_time(now),
        Destination=authn.acs_url,
        InResponseTo=authn.id,
    )
    etree.SubElement(response, f"{{{SAML}}}Issuer").text = ENTITY_ID
    status_element = etree.SubElement(response, f"{{{SAMLP}}}Status")
    if status is None:
        etree.SubElement(status_element, f"{{{SAMLP}}}StatusCode", Value=OneLogin_Saml2_Constants.STATUS_SUCCESS)
    else:
        top, second = status
        code = etree.SubElement(status_element, f"{{{SAMLP}}}StatusCode", Value=top)
        etree.SubElement(code, f"{{{SAMLP}}}StatusCode", Value=second)
    return response


def attributes_for(person: TestPerson, requested: tuple[str, ...]) -> list[tuple[str, str]]:
    """(name, value) pairs as Suomi.fi sends them for `person`, only those that are requested."""
    if person.is_foreign:
        values = [
            (constants.EIDAS_PERSON_IDENTIFIER, f"DE/FI/{person.key}"),
            (constants.FIRST_NAMES, person.first_names),
            (constants.EIDAS_FAMILY_NAME, person.last_name),
            (constants.EIDAS_DATE_OF_BIRTH, person.date_of_birth.isoformat() if person.date_of_birth else ""),
        ]
    else:
        values = [
            (constants.HETU, person.hetu or ""),
            (constants.FIRST_NAMES, person.first_names),
            (constants.GIVEN_NAME, person.given_name),
            (constants.SURNAME, person.last_name),
            (constants.COMMON_NAME, f"{person.last_name} {person.first_names}"),
            (constants.DISPLAY_NAME, f"{person.given_name} {person.last_name}"),
        ]
    return [(name, value) for name, value in values if name in requested and value]


def _assertion(
    authn: AuthnRequestInfo, person: TestPerson, loa: str, now: datetime.datetime, sp: ServiceProvider
) -> tuple[etree._Element, dict[str, str]]:
    # A document of its own that declares every namespace it uses: it is signed and encrypted alone.
    assertion = etree.Element(
        f"{{{SAML}}}Assertion",
        nsmap={"saml": SAML, "xs": XS, "xsi": XSI},
        ID=new_id(),
        Version="2.0",
        IssueInstant=saml_time(now),
    )
    etree.SubElement(assertion, f"{{{SAML}}}Issuer").text = ENTITY_ID
    subject = etree.SubElement(assertion, f"{{{SAML}}}Subject")
    session = {"name_id": new_id(), "session_index": new_id(), "sp_entity_id": authn.sp_entity_id}
    name_id = etree.SubElement(
        subject,
        f"{{{SAML}}}NameID",
        Format=OneLogin_Saml2_Constants.NAMEID_TRANSIENT,
        NameQualifier=ENTITY_ID,
        SPNameQualifier=authn.sp_entity_id,
    )
    name_id.text = session["name_id"]
    confirmation = etree.SubElement(subject, f"{{{SAML}}}SubjectConfirmation", Method=OneLogin_Saml2_Constants.CM_BEARER)
    etree.SubElement(
        confirmation,
        f"{{{SAML}}}SubjectConfirmationData",
        InResponseTo=authn.id,
        NotOnOrAfter=saml_time(now + _ASSERTION_LIFETIME),
        Recipient=authn.acs_url,
    )
    conditions = etree.SubElement(
        assertion, f"{{{SAML}}}Conditions", NotBefore=saml_time(now), NotOnOrAfter=saml_time(now + _ASSERTION_LIFETIME)
    )
    audience = etree.SubElement(etree.SubElement(conditions, f"{{{SAML}}}AudienceRestriction"), f"{{{SAML}}}Audience")
    audience.text = authn.sp_entity_id
    statement = etree.SubElement(
        assertion, f"{{{SAML}}}AuthnStatement", AuthnInstant=saml_time(now), SessionIndex=session["session_index"]
    )
    context = etree.SubElement(statement, f"{{{SAML}}}AuthnContext")
    etree.SubElement(context, f"{{{SAML}}}AuthnContextClassRef").text = loa
    attributes = etree.SubElement(assertion, f"{{{SAML}}}AttributeStatement")
    for name, value in attributes_for(person, sp.requested):
        attribute = etree.SubElement(
            attributes,
            f"{{{SAML}}}Attribute",
            Name=name,
            NameFormat=constants.URI,
            FriendlyName=constants.FRIENDLY_NAMES[name],
        )
        attribute_value = etree.SubElement(attribute, f"{{{SAML}}}AttributeValue", {f"{{{XSI}}}type": "xs:string"})
        attribute_value.text = value
    return assertion, session


def _sign(element: etree._Element, which: str) -> etree._Element:
    pair = key_pair(which)
    signed = OneLogin_Saml2_Utils.add_sign(
        element,
        pair.private_key_pem,
        pair.certificate_pem,
        sign_algorithm=OneLogin_Saml2_Constants.RSA_SHA256,
        digest_algorithm=OneLogin_Saml2_Constants.SHA256,
    )
    return OneLogin_Saml2_XML.to_etree(signed)


def _encrypt(assertion: etree._Element, certificate_pem: str) -> etree._Element:
    """An EncryptedAssertion holding `assertion` encrypted for the owner of `certificate_pem`.

    The assertion is serialized on its own before encryption, so that the plaintext declares
    every namespace it uses and can be parsed alone, as Suomi.fi's is."""
    wrapper = etree.Element(f"{{{SAML}}}EncryptedAssertion", nsmap={"saml": SAML})
    template = xmlsec.template.encrypted_data_create(
        wrapper, xmlsec.constants.TransformAes256Gcm, type=xmlsec.constants.TypeEncElement, ns="xenc"
    )
    xmlsec.template.encrypted_data_ensure_cipher_value(template)
    key_info = xmlsec.template.encrypted_data_ensure_key_info(template, ns="ds")
    encrypted_key = xmlsec.template.add_encrypted_key(key_info, xmlsec.constants.TransformRsaOaep)
    xmlsec.template.encrypted_data_ensure_cipher_value(encrypted_key)
    manager = xmlsec.KeysManager()
    manager.add_key(xmlsec.Key.from_memory(certificate_pem.encode(), xmlsec.constants.KeyDataFormatCertPem, None))
    context = xmlsec.EncryptionContext(manager)
    context.key = xmlsec.Key.generate(xmlsec.constants.KeyDataAes, 256, xmlsec.constants.KeyDataTypeSession)
    wrapper.append(context.encrypt_binary(template, etree.tostring(assertion)))
    return wrapper


def _encode(response: etree._Element) -> str:
    return OneLogin_Saml2_Utils.b64encode(etree.tostring(response, xml_declaration=True, encoding="UTF-8"))


def build_response(
    *, request: HttpRequest, authn: AuthnRequestInfo, person: TestPerson, loa: str, signing_key: str = "2"
) -> tuple[str, dict[str, str] | None]:
    """The Response for `person` (base64, for the HTTP-POST binding) and the SAML session it opens
    (None when the identification fails)."""
    now = datetime.datetime.now(datetime.UTC)
    if person.deceased_on is not None:
        # VtjVerificationRequired: the population register check fails; no assertion.
        return build_failure_response(authn=authn, status=(STATUS_RESPONDER, STATUS_AUTHN_FAILED), signing_key=signing_key), None
    sp = service_provider(request)
    assertion, session = _assertion(authn, person, loa, now, sp)
    response = _response_root(authn, now, None)
    response.append(_encrypt(_sign(assertion, signing_key), service_provider_key_pair().certificate_pem))
    session.update(sls_url=sp.sls_url, signing_key=signing_key, person=f"{person.first_names} {person.last_name}")
    return _encode(_sign(response, signing_key)), session


def build_failure_response(*, authn: AuthnRequestInfo, status: tuple[str, str], signing_key: str = "2") -> str:
    """A signed Response without an assertion. A cancel is Requester/AuthnFailed, as Suomi.fi sends it."""
    return _encode(_sign(_response_root(authn, datetime.datetime.now(datetime.UTC), status), signing_key))
