"""An independent identity provider for the tests: pysaml2 builds the SAML objects, and Debian's
xmlsec1 binary (through pysaml2) signs and encrypts them. Nothing here shares code with
accounts.saml, so a response that our service provider accepts is real SAML, not our own echo.

It is configured as Suomi.fi e-Identification is (SFI-2, SFI-3, SFI-5): Suomi.fi's attribute
names and FriendlyNames (all first names in eIDAS CurrentGivenName, the calling name in
givenName), its authentication contexts, a signed Response around a signed and encrypted
assertion, a transient NameID with NameQualifier and SPNameQualifier, and metadata with two
signing certificates and Redirect and POST single logout, as Suomi.fi's test environment has.
Its default person is Suomi.fi's test person Tessa Testilä (010280-952L).

Every field can be set wrong on purpose, and `tamper` can change the signed XML before it is
encrypted (for altered values and signature-wrapping attacks).
"""

import datetime
import secrets
import zlib
from base64 import b64decode, b64encode
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from saml2 import BINDING_HTTP_REDIRECT, md, saml, samlp
from saml2.pack import http_redirect_message
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_ENTITY, NAMEID_FORMAT_TRANSIENT, SCM_BEARER
from saml2.sigver import (
    RSA_OAEP_MGF1P,
    CryptoBackendXmlSec1,
    RSACrypto,
    import_rsa_key_from_file,
    pre_encryption_part,
    pre_signature_part,
)
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256, KeyInfo, X509Certificate, X509Data

XMLSEC1 = "/usr/bin/xmlsec1"
AES256_CBC = "http://www.w3.org/2001/04/xmlenc#aes256-cbc"
TRIPLE_DES_CBC = "http://www.w3.org/2001/04/xmlenc#tripledes-cbc"
LOA2 = "http://ftn.ficora.fi/2017/loa2"
LOA3 = "http://ftn.ficora.fi/2017/loa3"
EIDAS_SUBSTANTIAL = "http://eidas.europa.eu/LoA/substantial"
EIDAS_HIGH = "http://eidas.europa.eu/LoA/high"
TEST_IDENTIFIER = "urn:oid:1.2.246.517.3002.110.999"
FINNISH_AUTHENTICATOR = "urn:oid:1.2.246.517.3002.110.7"
HETU = "urn:oid:1.2.246.21"
FIRST_NAMES = "http://eidas.europa.eu/attributes/naturalperson/CurrentGivenName"
GIVEN_NAME = "urn:oid:2.5.4.42"
SURNAME = "urn:oid:2.5.4.4"
COMMON_NAME = "urn:oid:2.5.4.3"
DISPLAY_NAME = "urn:oid:2.16.840.1.113730.3.1.241"
PERSON_IDENTIFIER = "http://eidas.europa.eu/attributes/naturalperson/PersonIdentifier"
FAMILY_NAME = "http://eidas.europa.eu/attributes/naturalperson/CurrentFamilyName"
DATE_OF_BIRTH = "http://eidas.europa.eu/attributes/naturalperson/DateOfBirth"
STATUS_REQUESTER = "urn:oasis:names:tc:SAML:2.0:status:Requester"
STATUS_AUTHN_FAILED = "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"
BINDING_POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
NS = {
    "samlp": "urn:oasis:names:tc:SAML:2.0:protocol",
    "saml": "urn:oasis:names:tc:SAML:2.0:assertion",
    "md": "urn:oasis:names:tc:SAML:2.0:metadata",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
}
ASSERTION_NODE = "urn:oasis:names:tc:SAML:2.0:assertion:Assertion"
RESPONSE_NODE = "urn:oasis:names:tc:SAML:2.0:protocol:Response"
# The assertion, wherever a test has put it, as long as it is the first child of EncryptedAssertion.
ENCRYPTED_ASSERTION_XPATH = "/*[local-name()='Response']/*[local-name()='EncryptedAssertion']/*[local-name()='Assertion']"


@dataclass(frozen=True)
class SigningKey:
    key_file: Path
    cert_file: Path
    cert_base64: str


def make_signing_key(directory: Path, name: str, *, bits: int = 2048, days: int = 30) -> SigningKey:
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = directory / f"{name}.key", directory / f"{name}.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
        )
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    cert_file.write_bytes(cert_pem)
    cert_base64 = "".join(line for line in cert_pem.decode().splitlines() if not line.startswith("-----"))
    return SigningKey(key_file, cert_file, cert_base64)


@dataclass(frozen=True)
class ServiceProvider:
    """What the IdP knows of our SP: read from the SP metadata that the portal publishes."""

    entity_id: str
    acs_url: str
    sls_url: str
    encryption_cert_file: Path

    @classmethod
    def from_metadata(cls, metadata: bytes, directory: Path) -> "ServiceProvider":
        root = etree.fromstring(metadata)
        sp = root.find("md:SPSSODescriptor", NS)
        cert = sp.findtext("md:KeyDescriptor[@use='encryption']/ds:KeyInfo/ds:X509Data/ds:X509Certificate", namespaces=NS)
        body = "\n".join(cert.strip()[i : i + 64] for i in range(0, len(cert.strip()), 64))
        cert_file = directory / "sp-encryption.crt"
        cert_file.write_text(f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n")
        return cls(
            entity_id=root.get("entityID"),
            acs_url=sp.find("md:AssertionConsumerService", NS).get("Location"),
            sls_url=sp.find("md:SingleLogoutService", NS).get("Location"),
            encryption_cert_file=cert_file,
        )


def saml_time(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_id() -> str:
    return f"_{secrets.token_hex(16)}"


@dataclass
class ResponseSpec:
    """Everything a response says; the defaults make a valid answer to `request_id`."""

    request_id: str | None
    hetu: str | None = "010280-952L"
    first_names: str = "Tessa"
    last_name: str = "Testilä"
    calling_name: str = ""
    # A foreign identity: set hetu=None and this (and an eIDAS level).
    person_identifier: str | None = None
    loa: str = LOA2
    issuer: str | None = None
    audience: str | None = None
    destination: str | None = None
    recipient: str | None = None
    not_before: datetime.datetime | None = None
    not_on_or_after: datetime.datetime | None = None
    sign: bool = True
    sign_response: bool = True
    signing_key: SigningKey | None = None
    sign_alg: str = SIG_RSA_SHA256
    digest_alg: str = DIGEST_SHA256
    encrypt: bool = True
    data_encryption: str = AES256_CBC
    session_key_type: str = "aes-256"
    tamper: Callable[[etree._Element], None] | None = None
    extra_attributes: list[tuple[str, str]] = field(default_factory=list)
    omit_attributes: tuple[str, ...] = ()
    # Anything but None answers with this status and no assertion (a cancel: Requester/AuthnFailed).
    status: tuple[str, str] | None = None
    name_id: str = field(default_factory=lambda: new_id())
    session_index: str = field(default_factory=lambda: new_id())


class PysamlIdentityProvider:
    # Suomi.fi's test environment has these addresses (its published metadata).
    entity_id = "https://testi.apro.tunnistus.fi/idp1"
    sso_url = "https://testi.apro.tunnistus.fi/idp/profile/SAML2/Redirect/SSO"
    slo_url = "https://testi.apro.tunnistus.fi/idp/profile/SAML2/Redirect/SLO"
    slo_post_url = "https://testi.apro.tunnistus.fi/idp/profile/SAML2/POST/SLO"

    def __init__(self, *, signing_keys: list[SigningKey]) -> None:
        self.signing_keys = signing_keys
        self.crypto = CryptoBackendXmlSec1(XMLSEC1)

    def metadata(self) -> str:
        key_descriptors = [
            md.KeyDescriptor(
                use="signing",
                key_info=KeyInfo(x509_data=[X509Data(x509_certificate=X509Certificate(text=key.cert_base64))]),
            )
            for key in self.signing_keys
        ]
        descriptor = md.IDPSSODescriptor(
            protocol_support_enumeration=samlp.NAMESPACE,
            want_authn_requests_signed="true",
            key_descriptor=key_descriptors,
            single_logout_service=[
                md.SingleLogoutService(binding=BINDING_POST, location=self.slo_post_url),
                md.SingleLogoutService(binding=BINDING_HTTP_REDIRECT, location=self.slo_url),
            ],
            name_id_format=[md.NameIDFormat(text=NAMEID_FORMAT_TRANSIENT)],
            single_sign_on_service=[md.SingleSignOnService(binding=BINDING_HTTP_REDIRECT, location=self.sso_url)],
        )
        return str(md.EntityDescriptor(entity_id=self.entity_id, idpsso_descriptor=[descriptor]))

    # -- building responses ------------------------------------------------------------------

    def _assertion(self, spec: ResponseSpec, sp: ServiceProvider, now: datetime.datetime) -> saml.Assertion:
        issuer = spec.issuer or self.entity_id
        given_name = spec.calling_name or spec.first_names.split(" ")[0]
        if spec.hetu is None and spec.person_identifier:
            attributes = [
                (PERSON_IDENTIFIER, "PersonIdentifier", spec.person_identifier),
                (FIRST_NAMES, "FirstName", spec.first_names),
                (FAMILY_NAME, "FamilyName", spec.last_name),
                (DATE_OF_BIRTH, "DateOfBirth", "1964-08-12"),
            ]
        else:
            attributes = [(HETU, "nationalIdentificationNumber", spec.hetu)] if spec.hetu is not None else []
            attributes += [
                (FIRST_NAMES, "FirstName", spec.first_names),
                (GIVEN_NAME, "givenName", given_name),
                (SURNAME, "sn", spec.last_name),
                (COMMON_NAME, "cn", f"{spec.last_name} {spec.first_names}"),
                (DISPLAY_NAME, "displayName", f"{given_name} {spec.last_name}"),
            ]
        attributes = [attribute for attribute in attributes if attribute[0] not in spec.omit_attributes]
        attributes += [(name, "", value) for name, value in spec.extra_attributes]
        assertion_id = new_id()
        assertion = saml.Assertion(
            id=assertion_id,
            version="2.0",
            issue_instant=saml_time(now),
            issuer=saml.Issuer(text=issuer, format=NAMEID_FORMAT_ENTITY),
            subject=saml.Subject(
                name_id=saml.NameID(
                    format=NAMEID_FORMAT_TRANSIENT, name_qualifier=issuer, sp_name_qualifier=sp.entity_id, text=spec.name_id
                ),
                subject_confirmation=[
                    saml.SubjectConfirmation(
                        method=SCM_BEARER,
                        subject_confirmation_data=saml.SubjectConfirmationData(
                            in_response_to=spec.request_id,
                            not_on_or_after=saml_time(spec.not_on_or_after or now + datetime.timedelta(minutes=5)),
                            recipient=spec.recipient or sp.acs_url,
                        ),
                    )
                ],
            ),
            conditions=saml.Conditions(
                not_before=saml_time(spec.not_before or now - datetime.timedelta(seconds=30)),
                not_on_or_after=saml_time(spec.not_on_or_after or now + datetime.timedelta(minutes=5)),
                audience_restriction=[saml.AudienceRestriction(audience=[saml.Audience(text=spec.audience or sp.entity_id)])],
            ),
            authn_statement=[
                saml.AuthnStatement(
                    authn_instant=saml_time(now),
                    session_index=spec.session_index,
                    authn_context=saml.AuthnContext(authn_context_class_ref=saml.AuthnContextClassRef(text=spec.loa)),
                )
            ],
            attribute_statement=[
                saml.AttributeStatement(
                    attribute=[
                        saml.Attribute(
                            name=name,
                            name_format=NAME_FORMAT_URI,
                            friendly_name=friendly_name or None,
                            attribute_value=[saml.AttributeValue(text=value)],
                        )
                        for name, friendly_name, value in attributes
                    ]
                )
            ],
        )
        if spec.sign:
            key = spec.signing_key or self.signing_keys[0]
            assertion.signature = pre_signature_part(
                assertion_id, key.cert_base64, 1, sign_alg=spec.sign_alg, digest_alg=spec.digest_alg
            )
        return assertion

    def response(self, spec: ResponseSpec, sp: ServiceProvider) -> str:
        """The Response as the HTTP-POST binding carries it (base64)."""
        now = datetime.datetime.now(datetime.UTC)
        key = spec.signing_key or self.signing_keys[0]
        response_id = new_id()
        response = samlp.Response(
            id=response_id,
            version="2.0",
            issue_instant=saml_time(now),
            destination=spec.destination or sp.acs_url,
            in_response_to=spec.request_id,
            issuer=saml.Issuer(text=spec.issuer or self.entity_id, format=NAMEID_FORMAT_ENTITY),
            status=samlp.Status(status_code=samlp.StatusCode(value=samlp.STATUS_SUCCESS)),
        )
        if spec.sign_response:
            # Id "Signature2": the assertion's signature is "Signature1", and an Id is unique in a document.
            response.signature = pre_signature_part(
                response_id, key.cert_base64, 2, sign_alg=spec.sign_alg, digest_alg=spec.digest_alg
            )
        if spec.status is not None:
            top, second = spec.status
            response.status = samlp.Status(status_code=samlp.StatusCode(value=top, status_code=samlp.StatusCode(value=second)))
            xml = str(response)
            if spec.sign_response:
                xml = self.crypto.sign_statement(xml, RESPONSE_NODE, str(key.key_file), response_id)
            return b64encode(xml.encode() if isinstance(xml, str) else xml).decode()
        assertion = self._assertion(spec, sp, now)
        response.assertion = assertion
        if spec.encrypt:
            assertion_tag = assertion._to_element_tree().tag
            response.encrypted_assertion = saml.EncryptedAssertion()
            response.encrypted_assertion.add_extension_element(assertion)
            response.assertion = None
            xml = response.get_xml_string_with_self_contained_assertion_within_encrypted_assertion(assertion_tag)
        else:
            xml = str(response)
        if spec.sign:
            xml = self.crypto.sign_statement(xml, ASSERTION_NODE, str(key.key_file), assertion.id)
        if spec.tamper:
            root = etree.fromstring(xml.encode())
            spec.tamper(root)
            xml = etree.tostring(root).decode()
        if spec.encrypt:
            template = pre_encryption_part(msg_enc=spec.data_encryption, key_enc=RSA_OAEP_MGF1P)
            xml = self.crypto.encrypt_assertion(
                xml,
                str(sp.encryption_cert_file),
                template,
                key_type=spec.session_key_type,
                node_xpath=ENCRYPTED_ASSERTION_XPATH,
            )
        if spec.sign_response:
            xml = self.crypto.sign_statement(xml, RESPONSE_NODE, str(key.key_file), response_id)
        return b64encode(xml.encode() if isinstance(xml, str) else xml).decode()

    # -- single logout (HTTP-Redirect, signed) -------------------------------------------------

    def _redirect(self, message: object, location: str, typ: str, relay_state: str, key: SigningKey | None) -> str:
        key = key or self.signing_keys[0]
        info = http_redirect_message(
            message,
            location,
            relay_state=relay_state,
            typ=typ,
            sigalg=SIG_RSA_SHA256,
            sign=True,
            backend=RSACrypto(import_rsa_key_from_file(str(key.key_file))),
        )
        return dict(info["headers"])["Location"]

    def logout_response_url(
        self, logout_request_url: str, sp: ServiceProvider, *, key: SigningKey | None = None, status: str = samlp.STATUS_SUCCESS
    ) -> str:
        query = parse_qs(urlsplit(logout_request_url).query)
        request_xml = zlib.decompress(b64decode(query["SAMLRequest"][0]), -15)
        request_id = etree.fromstring(request_xml).get("ID")
        status_code = (
            samlp.StatusCode(value=status)
            if status == samlp.STATUS_SUCCESS
            else samlp.StatusCode(value=STATUS_REQUESTER, status_code=samlp.StatusCode(value=status))
        )
        message = samlp.LogoutResponse(
            id=new_id(),
            version="2.0",
            issue_instant=saml_time(datetime.datetime.now(datetime.UTC)),
            destination=sp.sls_url,
            in_response_to=request_id,
            issuer=saml.Issuer(text=self.entity_id, format=NAMEID_FORMAT_ENTITY),
            status=samlp.Status(status_code=status_code),
        )
        return self._redirect(message, sp.sls_url, "SAMLResponse", query.get("RelayState", [""])[0], key)

    def logout_request_url(
        self,
        sp: ServiceProvider,
        *,
        name_id: str = "_someone",
        session_index: str | None = None,
        key: SigningKey | None = None,
        issuer: str | None = None,
        destination: str | None = None,
    ) -> str:
        """A LogoutRequest as Suomi.fi sends it when the person logs out at another service."""
        now = datetime.datetime.now(datetime.UTC)
        message = samlp.LogoutRequest(
            id=new_id(),
            version="2.0",
            issue_instant=saml_time(now),
            destination=destination or sp.sls_url,
            issuer=saml.Issuer(text=issuer or self.entity_id, format=NAMEID_FORMAT_ENTITY) if issuer != "" else None,
            name_id=saml.NameID(
                format=NAMEID_FORMAT_TRANSIENT, name_qualifier=self.entity_id, sp_name_qualifier=sp.entity_id, text=name_id
            ),
            session_index=[samlp.SessionIndex(text=session_index)] if session_index else None,
            not_on_or_after=saml_time(now + datetime.timedelta(minutes=5)),
        )
        return self._redirect(message, sp.sls_url, "SAMLRequest", "idp-relay", key)


def unsigned_query(url: str) -> str:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items() if key not in ("Signature", "SigAlg")}
    return f"{parts.path}?{urlencode(query)}"
