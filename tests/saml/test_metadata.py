"""Metadata: ours as Suomi.fi's template asks (SFI-1), the identity provider's with two signing
certificates (SFI-5), published and read as python3-saml does (ACC-15)."""

from pathlib import Path

import onelogin.saml2
import pytest
from lxml import etree

from accounts.saml.config import sp_entity_id

from .pysaml_idp import NS, TEST_IDENTIFIER, PysamlIdentityProvider, ResponseSpec

BINDING_POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
BINDING_REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
MD = {
    **NS,
    "mdattr": "urn:oasis:names:tc:SAML:metadata:attribute",
    "mdui": "urn:oasis:names:tc:SAML:metadata:ui",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANGUAGES = ["fi", "sv", "en"]
SCHEMAS = Path(onelogin.saml2.__file__).parent / "schemas"
STRONG = [
    "http://ftn.ficora.fi/2017/loa3",
    "http://eidas.europa.eu/LoA/high",
    "http://ftn.ficora.fi/2017/loa2",
    "http://eidas.europa.eu/LoA/substantial",
]


def metadata_schema() -> etree.XMLSchema:
    """SAML 2.0 metadata with the mdui and mdattr extension schemas, all from python3-saml's own
    copies (no network): md:Extensions is processContents="lax", so the extensions are checked
    against their schemas because those are loaded."""
    wrapper = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:heka:test:metadata">
        <xs:import namespace="urn:oasis:names:tc:SAML:2.0:metadata" schemaLocation="{SCHEMAS / "saml-schema-metadata-2.0.xsd"}"/>
        <xs:import namespace="urn:oasis:names:tc:SAML:metadata:ui" schemaLocation="{SCHEMAS / "sstc-saml-metadata-ui-v1.0.xsd"}"/>
        <xs:import namespace="urn:oasis:names:tc:SAML:metadata:attribute" schemaLocation="{SCHEMAS / "sstc-metadata-attr.xsd"}"/>
    </xs:schema>"""
    return etree.XMLSchema(etree.fromstring(wrapper.encode(), base_url=f"{SCHEMAS}/"))


@pytest.fixture
def sp_metadata(saml) -> etree._Element:
    response = saml.client.get("/saml/metadata/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/samlmetadata+xml"
    return etree.fromstring(response.content)


def _texts(parent: etree._Element, path: str) -> dict[str, str]:
    return {node.get(XML_LANG): (node.text or "").strip() for node in parent.iterfind(path, MD)}


def test_sp_metadata_validates_against_the_saml_metadata_schema_SFI_1(sp_metadata):
    """SFI-1: the document is valid SAML 2.0 metadata, its mdui and mdattr extensions included."""
    schema = metadata_schema()
    assert schema.validate(sp_metadata), schema.error_log

    # The schema really looks inside the extensions: a DisplayName without a language fails.
    broken = etree.fromstring(etree.tostring(sp_metadata))
    del broken.find(".//mdui:DisplayName", MD).attrib[XML_LANG]
    assert not schema.validate(broken)


def test_sp_metadata_has_suomifi_entity_attributes_SFI_1_SFI_3(sp_metadata):
    """SFI-1, SFI-3: FinnishAuthMethod lists the four strong contexts (the accepted ones), and the
    decisions VtjVerificationRequired=true, SkipEndpointValidationWhenSigned=false and
    EidasSupport=full are stated with Suomi.fi's attribute names."""
    attributes = sp_metadata.find("md:Extensions/mdattr:EntityAttributes", MD)
    values = {
        node.get("Name"): (
            node.get("FriendlyName"),
            node.get("NameFormat"),
            [v.text for v in node.iterfind("saml:AttributeValue", MD)],
        )
        for node in attributes.iterfind("saml:Attribute", MD)
    }
    uri = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"
    assert values["FinnishAuthMethod"] == (None, uri, STRONG)
    assert values["urn:oid:1.2.246.517.3003.111.3"] == ("VtjVerificationRequired", uri, ["true"])
    assert values["urn:oid:1.2.246.517.3003.111.4"] == ("SkipEndpointValidationWhenSigned", uri, ["false"])
    assert values["urn:oid:1.2.246.517.3003.111.14"] == ("EidasSupport", uri, ["full"])
    for value in attributes.iterfind(".//saml:AttributeValue", MD):
        assert value.get("{http://www.w3.org/2001/XMLSchema-instance}type") == "xs:string"


def test_sp_metadata_offers_the_test_identifier_only_in_the_test_environment_SFI_3(saml, settings):
    """SFI-3: with HEKA_SAML_TEST_ENVIRONMENT the test identifier joins FinnishAuthMethod."""
    settings.HEKA_SAML_TEST_ENVIRONMENT = True
    root = etree.fromstring(saml.client.get("/saml/metadata/").content)
    methods = [node.text for node in root.iterfind(".//saml:Attribute[@Name='FinnishAuthMethod']/saml:AttributeValue", MD)]
    assert methods == [*STRONG, TEST_IDENTIFIER]


def test_sp_metadata_ui_info_service_names_organization_and_contacts_in_three_languages_SFI_1(sp_metadata, settings):
    """SFI-1: mdui:UIInfo DisplayName, Description and PrivacyStatementURL, the
    AttributeConsumingService's ServiceName and ServiceDescription, and md:Organization each in
    fi, sv and en; technical and support md:ContactPerson from settings."""
    sp = sp_metadata.find("md:SPSSODescriptor", MD)
    ui_info = sp.find("md:Extensions/mdui:UIInfo", MD)
    display_names = _texts(ui_info, "mdui:DisplayName")
    assert display_names == {"fi": "Hekan asukasportaali", "sv": "Hekas boendesida", "en": "Heka Resident Portal"}
    assert sorted(_texts(ui_info, "mdui:Description")) == sorted(LANGUAGES)
    assert all(_texts(ui_info, "mdui:Description").values())
    assert _texts(ui_info, "mdui:PrivacyStatementURL") == settings.HEKA_SAML_PRIVACY_STATEMENT_URLS

    consuming = sp.find("md:AttributeConsumingService", MD)
    assert (consuming.get("index"), consuming.get("isDefault")) == ("1", "true")
    assert _texts(consuming, "md:ServiceName") == display_names
    assert sorted(_texts(consuming, "md:ServiceDescription")) == sorted(LANGUAGES)

    organization = sp_metadata.find("md:Organization", MD)
    assert set(_texts(organization, "md:OrganizationName").values()) == {"Helsingin kaupungin asunnot Oy"}
    for path in ("md:OrganizationName", "md:OrganizationDisplayName", "md:OrganizationURL"):
        assert sorted(_texts(organization, path)) == sorted(LANGUAGES), path
    assert _texts(organization, "md:OrganizationURL") == settings.HEKA_SAML_ORGANIZATION_URLS

    contacts = {node.get("contactType"): node for node in sp_metadata.iterfind("md:ContactPerson", MD)}
    assert set(contacts) == {"technical", "support"}
    for kind, node in contacts.items():
        wanted = settings.HEKA_SAML_CONTACTS[kind]
        assert node.findtext("md:GivenName", namespaces=MD) == wanted["given_name"]
        assert node.findtext("md:SurName", namespaces=MD) == wanted["surname"]
        assert node.findtext("md:EmailAddress", namespaces=MD) == f"mailto:{wanted['email']}"


def test_contacts_and_privacy_statements_come_from_settings_SFI_1(saml, settings):
    """SFI-1: the operator sets the contacts and the privacy statement addresses."""
    settings.HEKA_SAML_CONTACTS = {
        "technical": {"given_name": "Teija", "surname": "Tekninen", "email": "teija@heka.example"},
        "support": {"given_name": "Tuomas", "surname": "Tuki", "email": "tuki@heka.example"},
    }
    settings.HEKA_SAML_PRIVACY_STATEMENT_URLS = {language: f"https://heka.example/{language}/p/" for language in LANGUAGES}
    root = etree.fromstring(saml.client.get("/saml/metadata/").content)

    assert root.findtext("md:ContactPerson[@contactType='support']/md:SurName", namespaces=MD) == "Tuki"
    assert _texts(root, ".//mdui:PrivacyStatementURL")["sv"] == "https://heka.example/sv/p/"


def test_sp_metadata_requests_suomifi_attributes_by_their_real_names_SFI_2(sp_metadata):
    """SFI-2: Suomi.fi releases only requested attributes, so the metadata requests exactly what
    the portal reads, by Suomi.fi's names: all first names as eIDAS CurrentGivenName."""
    requested = {
        node.get("Name"): (node.get("FriendlyName"), node.get("NameFormat"))
        for node in sp_metadata.iterfind(".//md:RequestedAttribute", MD)
    }
    uri = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"
    assert requested == {
        "urn:oid:1.2.246.21": ("nationalIdentificationNumber", uri),
        "http://eidas.europa.eu/attributes/naturalperson/CurrentGivenName": ("FirstName", uri),
        "urn:oid:2.5.4.42": ("givenName", uri),
        "urn:oid:2.5.4.4": ("sn", uri),
        "urn:oid:2.5.4.3": ("cn", uri),
        "urn:oid:2.16.840.1.113730.3.1.241": ("displayName", uri),
        "http://eidas.europa.eu/attributes/naturalperson/PersonIdentifier": ("PersonIdentifier", uri),
    }
    assert "urn:oid:1.2.246.575.1.14" not in requested


def test_sp_metadata_endpoints_keys_and_algorithms_ACC_15(saml, sp_metadata):
    """ACC-15: our entity id, ACS (HTTP-POST), single logout (HTTP-Redirect), one certificate for
    signing and encryption, signed AuthnRequests and assertions, and only strong encryption."""
    assert sp_metadata.get("entityID") == sp_entity_id() == "http://127.0.0.1:8000/saml/metadata/"
    sp = sp_metadata.find("md:SPSSODescriptor", MD)
    assert (sp.get("AuthnRequestsSigned"), sp.get("WantAssertionsSigned")) == ("true", "true")
    acs = sp.find("md:AssertionConsumerService", MD)
    assert (acs.get("Binding"), acs.get("Location"), acs.get("isDefault")) == (
        BINDING_POST,
        "http://testserver/saml/acs/",
        "true",
    )
    slo = sp.find("md:SingleLogoutService", MD)
    assert (slo.get("Binding"), slo.get("Location")) == (BINDING_REDIRECT, "http://testserver/saml/slo/")
    assert sp.findtext("md:NameIDFormat", namespaces=MD) == "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"
    certificates = {node.text for node in sp.iterfind("md:KeyDescriptor/ds:KeyInfo/ds:X509Data/ds:X509Certificate", MD)}
    assert len(certificates) == 1
    uses = {descriptor.get("use") for descriptor in sp.iterfind("md:KeyDescriptor", MD)}
    assert uses == {"signing", "encryption"}
    methods = [node.get("Algorithm") for node in sp.iterfind("md:KeyDescriptor[@use='encryption']/md:EncryptionMethod", MD)]
    assert "http://www.w3.org/2009/xmlenc11#aes256-gcm" in methods
    assert not any("rsa-1_5" in method or "tripledes" in method for method in methods)


def test_sp_metadata_follows_the_scheme_the_proxy_reports(saml, settings):
    """ACC-15: behind a TLS proxy (SECURE_PROXY_SSL_HEADER) our endpoints are https, so the
    Destination check compares with the address the browser used."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    response = saml.client.get("/saml/metadata/", headers={"x-forwarded-proto": "https", "host": "testserver"})

    acs = etree.fromstring(response.content).find("md:SPSSODescriptor/md:AssertionConsumerService", NS)
    assert acs.get("Location") == "https://testserver/saml/acs/"


def test_two_idp_signing_certificates_both_verify_and_the_second_signs_SFI_5(saml, idp_keys, tmp_path, settings):
    """SFI-5: Suomi.fi's metadata carries two signing certificates while it rotates them
    (python3-saml x509certMulti): a response whose Response and assertion the second key signs is
    accepted, so is one the first signs, and one signed with a key not in the metadata is not."""
    rolling = PysamlIdentityProvider(signing_keys=[idp_keys.first, idp_keys.second])
    metadata_file = tmp_path / "idp-rollover.xml"
    metadata_file.write_text(rolling.metadata())
    settings.HEKA_SAML_IDP_METADATA_FILE = str(metadata_file)
    saml.idp = rolling

    assert saml.respond(signing_key=idp_keys.second).status_code == 302
    assert saml.identity() is not None
    assert saml.respond(signing_key=idp_keys.first).status_code == 302

    refused = saml.respond(signing_key=idp_keys.attacker)
    assert refused.status_code == 400
    assert saml.identity() is None


def test_idp_metadata_change_is_picked_up_SFI_5(saml, idp_keys, tmp_path, settings):
    """SFI-5: a new metadata file (another signing certificate) is used without a restart."""
    metadata_file = tmp_path / "idp-metadata.xml"
    settings.HEKA_SAML_IDP_METADATA_FILE = str(metadata_file)
    rotated = PysamlIdentityProvider(signing_keys=[idp_keys.second])
    metadata_file.write_text(rotated.metadata())
    saml.idp = rotated

    assert saml.respond(signing_key=idp_keys.second).status_code == 302
    refused = saml.post(rotated.response(ResponseSpec(request_id=saml.start(), signing_key=idp_keys.first), saml.sp))
    assert refused.status_code == 400


def test_metadata_command_prints_the_metadata_with_a_new_certificate_SFI_1_SFI_5(saml, tmp_path, idp_keys):
    """SFI-1, SFI-5: `manage.py saml_metadata` prints our metadata for HEKA_SITE_URL; with
    --certificate it names the new certificate, the file to send Suomi.fi before a key change."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("saml_metadata", "--certificate", str(idp_keys.second.cert_file), stdout=out)

    root = etree.fromstring(out.getvalue().encode())
    assert metadata_schema().validate(root)
    certificates = {node.text for node in root.iterfind(".//md:KeyDescriptor//ds:X509Certificate", MD)}
    assert certificates == {idp_keys.second.cert_base64}
    assert root.find(".//md:AssertionConsumerService", MD).get("Location") == "http://127.0.0.1:8000/saml/acs/"
