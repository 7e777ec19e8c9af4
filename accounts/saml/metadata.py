"""Our SP metadata as Suomi.fi's metadata template asks for it (SFI-1), built with lxml.

python3-saml's own metadata builder emits neither entity attributes nor UIInfo, and only one
language, so the document is built here in the element order of the SAML 2.0 metadata schema:

- md:Extensions/mdattr:EntityAttributes: FinnishAuthMethod (the accepted contexts, SFI-3),
  VtjVerificationRequired, SkipEndpointValidationWhenSigned and EidasSupport;
- md:SPSSODescriptor: mdui:UIInfo (DisplayName, Description, PrivacyStatementURL in fi, sv, en),
  our one certificate for signing and encryption (Suomi.fi allows one), the algorithms we accept
  for encryption, single logout (HTTP-Redirect), transient NameIDs, the assertion consumer service
  (HTTP-POST) and the AttributeConsumingService with ServiceName, ServiceDescription and the
  requested attributes (Suomi.fi releases only those);
- md:Organization and the technical and support md:ContactPerson from settings.

The decisions on the entity attributes:

- VtjVerificationRequired = true: Suomi.fi checks in the Population Information System that the
  identity code is in force and that its owner is alive, and fails the identification otherwise.
  The portal finds residents by identity code, so it must never receive one that was not checked.
- EidasSupport = full: a person with a notified foreign eID may identify (the eIDAS regulation
  obliges public services to accept them). Such an identity has no Finnish identity code, so the
  portal does not register them online; it tells them how to register by office identification.
- SkipEndpointValidationWhenSigned = false: Suomi.fi answers only at an assertion consumer
  service named here, even though our requests are signed.
"""

from django.conf import settings
from django.http import HttpRequest
from lxml import etree

from . import config, constants
from .keys import service_provider_key_pair

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
MDATTR = "urn:oasis:names:tc:SAML:metadata:attribute"
MDUI = "urn:oasis:names:tc:SAML:metadata:ui"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
DS = "http://www.w3.org/2000/09/xmldsig#"
XS = "http://www.w3.org/2001/XMLSchema"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NSMAP = {"md": MD, "mdattr": MDATTR, "mdui": MDUI, "saml": SAML, "ds": DS, "xs": XS, "xsi": XSI}

BINDING_POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
BINDING_REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
NAMEID_TRANSIENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"
LANGUAGES = ("fi", "sv", "en")

# SFI-1: the texts Suomi.fi shows the person (UIInfo) and keeps in its register of services.
SERVICE_TEXTS = {
    "fi": {
        "display_name": "Hekan asukasportaali",
        "description": (
            "Helsingin kaupungin asunnot Oy:n (Heka) asukkaiden asiointipalvelu: rekisteröityminen vahvalla "
            "tunnistautumisella, vuokra ja vuokrasopimus, vikailmoitukset, palvelupyynnöt sekä sauna- ja autopaikkavuorot."
        ),
        "service_name": "Hekan asukasportaali",
        "service_description": (
            "Asukas tunnistetaan, kun hän rekisteröityy tai liittää tunnuksensa: henkilötunnuksella hänet löydetään "
            "Hekan asukasrekisteristä."
        ),
        "organization_display_name": "Heka, Helsingin kaupungin asunnot",
    },
    "sv": {
        "display_name": "Hekas boendesida",
        "description": (
            "E-tjänst för de boende hos Helsingin kaupungin asunnot Oy (Heka): registrering med stark autentisering, "
            "hyra och hyresavtal, felanmälningar, serviceärenden samt bastu- och bilplatsturer."
        ),
        "service_name": "Hekas boendesida",
        "service_description": (
            "Den boende identifieras vid registrering och när ett konto kopplas: med personbeteckningen hittas hen "
            "i Hekas register över boende."
        ),
        "organization_display_name": "Heka, Helsingfors stads bostäder",
    },
    "en": {
        "display_name": "Heka Resident Portal",
        "description": (
            "The e-service of the residents of Helsingin kaupungin asunnot Oy (Heka): registration with strong "
            "identification, rent and rental agreement, defect reports, service requests, and sauna and parking turns."
        ),
        "service_name": "Heka Resident Portal",
        "service_description": (
            "A resident is identified when they register or link their account: the personal identity code finds "
            "them in Heka's register of residents."
        ),
        "organization_display_name": "Heka, the City of Helsinki's housing company",
    },
}
# Exactly as the Finnish Patent and Registration Office's register has it, in every language.
ORGANIZATION_NAME = "Helsingin kaupungin asunnot Oy"

# Algorithms accounts.saml.validation accepts; an IdP that honours EncryptionMethod uses them.
ENCRYPTION_METHODS = (
    "http://www.w3.org/2009/xmlenc11#aes256-gcm",
    "http://www.w3.org/2009/xmlenc11#aes128-gcm",
    "http://www.w3.org/2001/04/xmlenc#aes256-cbc",
    "http://www.w3.org/2001/04/xmlenc#aes128-cbc",
    "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
)


def _element(parent: etree._Element, namespace: str, name: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{namespace}}}{name}", attributes)
    if text is not None:
        element.text = text
    return element


def _localized(parent: etree._Element, namespace: str, name: str, texts: dict[str, str]) -> None:
    for language in LANGUAGES:
        _element(parent, namespace, name, texts[language], **{XML_LANG: language})


def _entity_attribute(parent: etree._Element, name: str, values: list[str], friendly_name: str = "") -> None:
    attributes = {"Name": name, "NameFormat": constants.URI}
    if friendly_name:
        attributes["FriendlyName"] = friendly_name
    attribute = _element(parent, SAML, "Attribute", **attributes)
    for value in values:
        _element(attribute, SAML, "AttributeValue", value, **{f"{{{XSI}}}type": "xs:string"})


def _key_descriptor(parent: etree._Element, use: str, certificate_base64: str) -> etree._Element:
    descriptor = _element(parent, MD, "KeyDescriptor", use=use)
    x509 = _element(_element(descriptor, DS, "KeyInfo"), DS, "X509Data")
    _element(x509, DS, "X509Certificate", certificate_base64)
    return descriptor


def _contact(parent: etree._Element, kind: str, contact: dict[str, str]) -> None:
    person = _element(parent, MD, "ContactPerson", contactType=kind)
    _element(person, MD, "Company", ORGANIZATION_NAME)
    _element(person, MD, "GivenName", contact["given_name"])
    _element(person, MD, "SurName", contact["surname"])
    _element(person, MD, "EmailAddress", f"mailto:{contact['email']}")


def build_sp_metadata(*, entity_id: str, acs_url: str, sls_url: str, certificate_base64: str, contexts: list[str]) -> bytes:
    """The metadata document; `contexts` are the FinnishAuthMethod values (the accepted contexts)."""
    root = etree.Element(f"{{{MD}}}EntityDescriptor", nsmap=NSMAP, entityID=entity_id)
    entity_attributes = _element(_element(root, MD, "Extensions"), MDATTR, "EntityAttributes")
    _entity_attribute(entity_attributes, constants.FINNISH_AUTH_METHOD, contexts)
    _entity_attribute(entity_attributes, constants.VTJ_VERIFICATION_REQUIRED, ["true"], "VtjVerificationRequired")
    _entity_attribute(
        entity_attributes, constants.SKIP_ENDPOINT_VALIDATION_WHEN_SIGNED, ["false"], "SkipEndpointValidationWhenSigned"
    )
    _entity_attribute(entity_attributes, constants.EIDAS_SUPPORT, ["full"], "EidasSupport")

    sp = _element(
        root,
        MD,
        "SPSSODescriptor",
        AuthnRequestsSigned="true",
        WantAssertionsSigned="true",
        protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol",
    )
    ui_info = _element(_element(sp, MD, "Extensions"), MDUI, "UIInfo")
    _localized(ui_info, MDUI, "DisplayName", {language: SERVICE_TEXTS[language]["display_name"] for language in LANGUAGES})
    _localized(ui_info, MDUI, "Description", {language: SERVICE_TEXTS[language]["description"] for language in LANGUAGES})
    _localized(ui_info, MDUI, "PrivacyStatementURL", settings.HEKA_SAML_PRIVACY_STATEMENT_URLS)
    _key_descriptor(sp, "signing", certificate_base64)
    encryption = _key_descriptor(sp, "encryption", certificate_base64)
    for algorithm in ENCRYPTION_METHODS:
        _element(encryption, MD, "EncryptionMethod", Algorithm=algorithm)
    _element(sp, MD, "SingleLogoutService", Binding=BINDING_REDIRECT, Location=sls_url)
    _element(sp, MD, "NameIDFormat", NAMEID_TRANSIENT)
    _element(sp, MD, "AssertionConsumerService", Binding=BINDING_POST, Location=acs_url, index="1", isDefault="true")
    consuming = _element(sp, MD, "AttributeConsumingService", index="1", isDefault="true")
    _localized(consuming, MD, "ServiceName", {language: SERVICE_TEXTS[language]["service_name"] for language in LANGUAGES})
    _localized(
        consuming, MD, "ServiceDescription", {language: SERVICE_TEXTS[language]["service_description"] for language in LANGUAGES}
    )
    for name in constants.REQUESTED_ATTRIBUTES:
        _element(
            consuming, MD, "RequestedAttribute", Name=name, NameFormat=constants.URI, FriendlyName=constants.FRIENDLY_NAMES[name]
        )

    organization = _element(root, MD, "Organization")
    _localized(organization, MD, "OrganizationName", dict.fromkeys(LANGUAGES, ORGANIZATION_NAME))
    _localized(
        organization,
        MD,
        "OrganizationDisplayName",
        {language: SERVICE_TEXTS[language]["organization_display_name"] for language in LANGUAGES},
    )
    _localized(organization, MD, "OrganizationURL", settings.HEKA_SAML_ORGANIZATION_URLS)
    for kind in ("technical", "support"):
        _contact(root, kind, settings.HEKA_SAML_CONTACTS[kind])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def sp_metadata_xml(request: HttpRequest) -> bytes:
    """Our metadata for the request's host (the endpoints follow the address the browser used)."""
    return build_sp_metadata(
        entity_id=config.sp_entity_id(),
        acs_url=config.acs_url(request),
        sls_url=config.sls_url(request),
        certificate_base64=service_provider_key_pair().certificate_base64,
        contexts=config.accepted_contexts(),
    )


def requested_attributes(metadata: bytes) -> list[str]:
    """The attribute names an SP's metadata requests (the development IdP releases only these)."""
    root = etree.fromstring(metadata)
    return [node.get("Name") for node in root.iterfind(f".//{{{MD}}}RequestedAttribute")]
