"""Metadata: ours is published, the identity provider's may list several signing certificates (ACC-15)."""

from lxml import etree
from onelogin.saml2.xml_utils import OneLogin_Saml2_XML

from accounts.saml.config import sp_entity_id

from .pysaml_idp import NS, PysamlIdentityProvider, ResponseSpec

BINDING_POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
BINDING_REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"


def test_sp_metadata_is_published_and_valid(saml):
    """ACC-15: /saml/metadata/ is schema-valid SAML metadata with our entity id, ACS (HTTP-POST),
    single logout (HTTP-Redirect), the requested attributes and the signing and encryption
    certificate, and says that AuthnRequests are signed and assertions must be."""
    response = saml.client.get("/saml/metadata/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/samlmetadata+xml"
    root = etree.fromstring(response.content)
    assert not isinstance(OneLogin_Saml2_XML.validate_xml(root, "saml-schema-metadata-2.0.xsd"), str)
    assert root.get("entityID") == sp_entity_id() == "http://127.0.0.1:8000/saml/metadata/"
    sp = root.find("md:SPSSODescriptor", NS)
    assert (sp.get("AuthnRequestsSigned"), sp.get("WantAssertionsSigned")) == ("true", "true")
    acs = sp.find("md:AssertionConsumerService", NS)
    assert (acs.get("Binding"), acs.get("Location")) == (BINDING_POST, "http://testserver/saml/acs/")
    slo = sp.find("md:SingleLogoutService", NS)
    assert (slo.get("Binding"), slo.get("Location")) == (BINDING_REDIRECT, "http://testserver/saml/slo/")
    uses = {descriptor.get("use") for descriptor in sp.iterfind("md:KeyDescriptor", NS)}
    assert uses == {"signing", "encryption"}
    assert all(node.text for node in sp.iterfind("md:KeyDescriptor/ds:KeyInfo/ds:X509Data/ds:X509Certificate", NS))
    requested = {node.get("Name"): node.get("isRequired") for node in sp.iterfind(".//md:RequestedAttribute", NS)}
    assert requested["urn:oid:1.2.246.21"] == "true"
    assert {"urn:oid:2.5.4.42", "urn:oid:2.5.4.4", "urn:oid:2.5.4.3"} <= set(requested)
    methods = [node.get("Algorithm") for node in sp.iterfind("md:KeyDescriptor[@use='encryption']/md:EncryptionMethod", NS)]
    assert "http://www.w3.org/2009/xmlenc11#aes256-gcm" in methods
    assert not any("rsa-1_5" in method or "tripledes" in method for method in methods)


def test_sp_metadata_follows_the_scheme_the_proxy_reports(saml, settings):
    """ACC-15: behind a TLS proxy (SECURE_PROXY_SSL_HEADER) our endpoints are https, so the
    Destination check compares with the address the browser used."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    response = saml.client.get("/saml/metadata/", headers={"x-forwarded-proto": "https", "host": "testserver"})

    acs = etree.fromstring(response.content).find("md:SPSSODescriptor/md:AssertionConsumerService", NS)
    assert acs.get("Location") == "https://testserver/saml/acs/"


def test_idp_metadata_with_two_signing_certificates_is_accepted(saml, idp_keys, tmp_path, settings):
    """ACC-15: during a key rollover the IdP metadata lists two signing certificates
    (python3-saml x509certMulti); a response signed with the second one is accepted, one signed
    with a key not in the metadata is not."""
    rolling = PysamlIdentityProvider(signing_keys=[idp_keys.first, idp_keys.second])
    metadata_file = tmp_path / "idp-rollover.xml"
    metadata_file.write_text(rolling.metadata())
    settings.HEKA_SAML_IDP_METADATA_FILE = str(metadata_file)
    saml.idp = rolling

    response = saml.respond(signing_key=idp_keys.second)

    assert response.status_code == 302
    assert saml.identity() is not None

    refused = saml.respond(signing_key=idp_keys.attacker)
    assert refused.status_code == 400
    assert saml.identity() is None


def test_idp_metadata_change_is_picked_up(saml, idp_keys, tmp_path, settings):
    """ACC-15: a new metadata file (another signing certificate) is used without a restart."""
    metadata_file = tmp_path / "idp-metadata.xml"
    settings.HEKA_SAML_IDP_METADATA_FILE = str(metadata_file)
    rotated = PysamlIdentityProvider(signing_keys=[idp_keys.second])
    metadata_file.write_text(rotated.metadata())
    saml.idp = rotated

    assert saml.respond(signing_key=idp_keys.second).status_code == 302
    refused = saml.post(rotated.response(ResponseSpec(request_id=saml.start(), signing_key=idp_keys.first), saml.sp))
    assert refused.status_code == 400
