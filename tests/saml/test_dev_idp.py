"""The development identity provider is a faithful stand-in for Suomi.fi's test environment
(SFI-6): its published test persons, its attributes and contexts, two signing certificates, and
single logout both ways. It makes the whole flow work with no outside service (ACC-15)."""

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from lxml import etree, html
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from accounts.devidp import idp
from accounts.devidp.persons import DEMO_PERSONS, SUOMIFI_TEST_PERSONS, TEST_PERSONS
from accounts.models import SamlSession
from accounts.saml.keys import service_provider_key_pair
from tenancy import hetu

from .conftest import inflate
from .pysaml_idp import NS

LOA2 = "http://ftn.ficora.fi/2017/loa2"
TEST_IDENTIFIER = "urn:oid:1.2.246.517.3002.110.999"
DS = "http://www.w3.org/2000/09/xmldsig#"
# Suomi.fi's "Test tools in the e-Identification test environment": code, surname, first names.
PUBLISHED = {
    "010280-952L": ("Testilä", "Tessa"),
    "010469-999W": ("Kivi", "Joni Kristian"),
    "010675-9981": ("Sallinen", "Anna-Liisa Milka"),
    "261298-998X": ("Haapakoski-Henriksson", "Kukka-Maaria Jennika Etel"),
    "040265-9985": ("Marttila", "Minerva Alli Aniitta"),
    "260991-999R": ("Huhtiistinen", "Ilmari Folke"),
    "020365-999P": ("Grönholm", "Valtter Niila"),
}


@pytest.fixture
def dev_idp(db, settings):
    settings.ROOT_URLCONF = "tests.saml.urls"
    settings.HEKA_DEV_IDP_ENABLED = True
    settings.HEKA_SAML_IDP_METADATA_FILE = ""
    settings.HEKA_SAML_TEST_ENVIRONMENT = True


def _local(url):
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def _answer(client, **choice):
    """Start, pass the dev IdP's pages as a browser would; the auto-posting form's fields."""
    started = client.get("/test-start/?purpose=register&next=/after/")
    assert started.status_code == 302
    assert urlsplit(started["Location"]).path == "/dev-idp/sso/"
    at_idp = client.get(_local(started["Location"]))
    assert (at_idp.status_code, at_idp["Location"]) == (302, "/dev-idp/login/")
    assert client.get("/dev-idp/login/").status_code == 200
    answer = client.post("/dev-idp/login/", {"loa": LOA2, **choice})
    assert answer.status_code == 200
    form = html.fromstring(answer.content).get_element_by_id("saml-autopost")
    assert b'src="/static/js/saml-autopost.js"' in answer.content
    assert b"<script>" not in answer.content
    return urlsplit(form.action).path, {field.name: field.value for field in form.inputs if field.name}


def _identify(client, **choice):
    action, fields = _answer(client, **choice)
    acs = client.post(action, fields)
    assert acs.status_code == 303
    return client.get(acs["Location"])


def _decrypted_assertion(saml_response: str) -> tuple[etree._Element, etree._Element]:
    response = etree.fromstring(OneLogin_Saml2_Utils.b64decode(saml_response))
    encrypted = response.find("saml:EncryptedAssertion/{http://www.w3.org/2001/04/xmlenc#}EncryptedData", NS)
    assertion = OneLogin_Saml2_Utils.decrypt_element(encrypted, service_provider_key_pair().private_key_pem)
    return response, etree.fromstring(etree.tostring(assertion))


def test_round_trip_with_suomifi_test_person_tessa_testila_SFI_6(dev_idp, client, caplog):
    """SFI-6, ACC-15: start → dev IdP (our signed AuthnRequest checked) → a signed Response with a
    signed, encrypted assertion → our ACS → finish → next_url; Tessa Testilä is who Suomi.fi's
    test environment says 010280-952L is."""
    caplog.set_level("INFO")
    finished = _identify(client, person="010280-952L")

    assert finished.status_code == 302
    assert finished["Location"] == "/after/"
    identity = client.session["heka_identity"]
    assert identity["hetu_hash"] == hetu.lookup_hash("010280-952L")
    assert (identity["first_names"], identity["last_name"], identity["loa"]) == ("Tessa", "Testilä", LOA2)
    assert "010280-952L" not in caplog.text
    assert SamlSession.objects.count() == 1


def test_attributes_are_sent_as_suomifi_sends_them_and_only_those_requested_SFI_6_SFI_2(dev_idp, client):
    """SFI-6, SFI-2: Suomi.fi's attribute names, NameFormat uri, FriendlyNames and xs:string
    values; all first names in CurrentGivenName, the calling name in givenName; nothing that our
    metadata does not request."""
    _, fields = _answer(client, person="010469-999W")
    _, assertion = _decrypted_assertion(fields["SAMLResponse"])

    attributes = {
        node.get("Name"): (node.get("FriendlyName"), node.get("NameFormat"), node.findtext("saml:AttributeValue", namespaces=NS))
        for node in assertion.iterfind(".//saml:Attribute", NS)
    }
    uri = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"
    assert attributes == {
        "urn:oid:1.2.246.21": ("nationalIdentificationNumber", uri, "010469-999W"),
        "http://eidas.europa.eu/attributes/naturalperson/CurrentGivenName": ("FirstName", uri, "Joni Kristian"),
        "urn:oid:2.5.4.42": ("givenName", uri, "Joni"),
        "urn:oid:2.5.4.4": ("sn", uri, "Kivi"),
        "urn:oid:2.5.4.3": ("cn", uri, "Kivi Joni Kristian"),
        "urn:oid:2.16.840.1.113730.3.1.241": ("displayName", uri, "Joni Kivi"),
    }
    for value in assertion.iterfind(".//saml:AttributeValue", NS):
        assert value.get("{http://www.w3.org/2001/XMLSchema-instance}type") == "xs:string"
    name_id = assertion.find("saml:Subject/saml:NameID", NS)
    assert name_id.get("Format") == "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"
    assert (name_id.get("NameQualifier"), name_id.get("SPNameQualifier")) == (
        idp.ENTITY_ID,
        "http://127.0.0.1:8000/saml/metadata/",
    )


def test_foreign_eidas_person_brings_the_eidas_data_set_and_no_identity_code_SFI_6_SFI_2(dev_idp, client):
    """SFI-6, SFI-2: the foreign test person brings PersonIdentifier and names, no identity code;
    the portal shows the office-identification page."""
    action, fields = _answer(client, person="eidas-de", loa="http://eidas.europa.eu/LoA/substantial")
    _, assertion = _decrypted_assertion(fields["SAMLResponse"])
    names = {node.get("FriendlyName") for node in assertion.iterfind(".//saml:Attribute", NS)}
    assert names == {"PersonIdentifier", "FirstName"}
    assert "urn:oid:1.2.246.21" not in etree.tostring(assertion).decode()

    page = client.get(client.post(action, fields)["Location"])
    assert page.status_code == 200
    assert b"Register through office identification" in page.content


@pytest.mark.parametrize("which", ["1", "2"])
def test_metadata_has_two_signing_certificates_and_either_signs_SFI_6_SFI_5(dev_idp, client, which):
    """SFI-6, SFI-5: the dev IdP's metadata lists two signing certificates, as Suomi.fi's does while
    it rotates; the Response and the assertion signed with either one are accepted."""
    metadata = etree.fromstring(client.get("/dev-idp/metadata/").content)
    certificates = [node.text for node in metadata.iterfind(".//md:KeyDescriptor[@use='signing']//ds:X509Certificate", NS)]
    assert len(certificates) == len(set(certificates)) == 2

    action, fields = _answer(client, person="010280-952L", signing_key=which)
    response, assertion = _decrypted_assertion(fields["SAMLResponse"])
    assert response.find(f"{{{DS}}}Signature", NS) is not None
    assert assertion.find(f"{{{DS}}}Signature", NS) is not None
    used = "".join(response.findtext(f".//{{{DS}}}X509Certificate").split())
    assert used == idp.key_pair(which).certificate_base64 == certificates[int(which) - 1]
    assert client.get(client.post(action, fields)["Location"])["Location"] == "/after/"


def test_dev_idp_lists_suomifi_test_persons_and_the_demo_people_SFI_6(dev_idp, client):
    """SFI-6: the page offers Suomi.fi's published test persons with their published names, then
    the demo register's people, and Suomi.fi's identification methods."""
    client.get(_local(client.get("/test-start/")["Location"]))
    page = client.get("/dev-idp/login/").content.decode()
    assert page.index("Suomi.fi test persons") < page.index("Testilä") < page.index("People of the demo register")
    assert page.index("People of the demo register") < page.index("Aaltonen")
    for code, (surname, first_names) in PUBLISHED.items():
        assert f"{first_names} {surname}, {code}" in page
    assert "address information blocked" in page
    assert "deceased 1.11.2010" in page
    for person in DEMO_PERSONS:
        assert person.last_name in page
    for context in (LOA2, "http://ftn.ficora.fi/2017/loa3", TEST_IDENTIFIER, "urn:oid:1.2.246.517.3002.110.7"):
        assert context in page


def test_suomifi_test_persons_carry_the_published_names_and_codes_SFI_6():
    """SFI-6: every published code has its published name; no demo person uses one of them."""
    assert {person.hetu: (person.last_name, person.first_names) for person in SUOMIFI_TEST_PERSONS} == PUBLISHED
    assert not {person.hetu for person in DEMO_PERSONS} & set(PUBLISHED)
    assert next(person for person in SUOMIFI_TEST_PERSONS if person.hetu == "260991-999R").address_blocked
    deceased = next(person for person in SUOMIFI_TEST_PERSONS if person.hetu == "020365-999P")
    assert deceased.deceased_on == date(2010, 11, 1)


def test_test_identifier_passes_only_in_the_test_environment_SFI_6_SFI_3(dev_idp, client, settings):
    """SFI-6, SFI-3: the dev IdP sends Suomi.fi's test identifier context as Suomi.fi's test
    environment does; the portal accepts it only with HEKA_SAML_TEST_ENVIRONMENT."""
    assert _identify(client, person="010280-952L", loa=TEST_IDENTIFIER)["Location"] == "/after/"
    assert client.session["heka_identity"]["loa"] == TEST_IDENTIFIER

    settings.HEKA_SAML_TEST_ENVIRONMENT = False
    refused = _identify(Client(), person="010280-952L", loa=TEST_IDENTIFIER)
    assert refused.status_code == 403


def test_finnish_authenticator_is_refused_by_the_portal_SFI_6(dev_idp, client, caplog):
    """SFI-6: the Finnish Authenticator (not strong) gets the portal's refusal."""
    finished = _identify(client, person="010469-999W", loa="urn:oid:1.2.246.517.3002.110.7")

    assert finished.status_code == 403
    assert b"A stronger identification method is needed" in finished.content
    assert "reason=loa " in caplog.text
    assert "heka_identity" not in client.session


def test_deceased_test_person_fails_the_population_register_check_SFI_6(dev_idp, client, caplog):
    """SFI-6: VtjVerificationRequired: Suomi.fi does not identify a person the population register
    records as deceased (020365-999P); the portal shows that the identification did not succeed."""
    action, fields = _answer(client, person="020365-999P")
    status = etree.fromstring(OneLogin_Saml2_Utils.b64decode(fields["SAMLResponse"])).find("samlp:Status/samlp:StatusCode", NS)
    assert status.get("Value") == "urn:oasis:names:tc:SAML:2.0:status:Responder"

    page = client.get(client.post(action, fields)["Location"])
    assert page.status_code == 200
    assert b"did not succeed at the identification service" in page.content
    assert "heka_identity" not in client.session


def test_cancel_at_the_dev_idp_is_a_clear_page_SFI_6_SFI_4(dev_idp, client, caplog):
    """SFI-6, SFI-4: cancelling answers Requester/AuthnFailed, signed, as Suomi.fi does; the
    portal shows a clear page with "Try again", and nothing is stored."""
    action, fields = _answer(client, cancel="1")
    response = etree.fromstring(OneLogin_Saml2_Utils.b64decode(fields["SAMLResponse"]))
    codes = [node.get("Value") for node in response.iter("{urn:oasis:names:tc:SAML:2.0:protocol}StatusCode")]
    assert codes == ["urn:oasis:names:tc:SAML:2.0:status:Requester", "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"]
    assert response.find(f"{{{DS}}}Signature") is not None

    page = client.get(client.post(action, fields)["Location"])

    assert page.status_code == 200
    assert b"Identification was not completed" in page.content
    assert b'href="/after/"' in page.content
    assert "reason=cancelled " in caplog.text
    assert "heka_identity" not in client.session


@pytest.mark.parametrize("confirm", [True, False], ids=["confirmed", "cancelled"])
def test_logout_through_the_dev_idp_confirmation_page_SFI_6_SFI_4(dev_idp, client, confirm):
    """SFI-6, SFI-4: our LogoutRequest gets the IdP's page where the person confirms the logout,
    as Suomi.fi's; confirmed or cancelled, the signed LogoutResponse ends on our clear page."""
    _identify(client, person="010280-952L")
    to_idp = client.post("/accounts/logout/")
    assert urlsplit(to_idp["Location"]).path == "/dev-idp/slo/"
    confirmation = client.get(_local(to_idp["Location"]))
    assert confirmation.status_code == 200
    assert b"Log out of the identification service" in confirmation.content

    back = client.post("/dev-idp/slo/confirm/", {} if confirm else {"cancel": "1"})
    assert urlsplit(back["Location"]).path == "/saml/slo/"
    done = client.get(_local(back["Location"]))

    assert done.status_code == 200
    content = done.content.decode()
    assert "You have logged out" in content
    assert ("did not confirm" in content) is not confirm
    assert "heka_identity" not in client.session


def test_logout_at_another_service_reaches_the_portal_in_a_hidden_iframe_SFI_6_SFI_4(dev_idp, client):
    """SFI-6, SFI-4: the dev IdP's "log out at another service" page loads a signed LogoutRequest
    for our SP in a hidden iframe; that request, made without our cookie, ends the session, and
    the signed LogoutResponse comes back to the IdP inside the iframe."""
    _identify(client, person="010280-952L")
    session_key = client.session.session_key
    listing = client.get("/dev-idp/logout/")
    assert b"Testil" in listing.content

    page = client.post("/dev-idp/logout/")
    frame = html.fromstring(page.content).xpath("//iframe")
    assert len(frame) == 1
    assert frame[0].get("hidden") is not None
    url = frame[0].get("src")
    assert urlsplit(url).path == "/saml/slo/"
    request = etree.fromstring(inflate(parse_qs(urlsplit(url).query)["SAMLRequest"][0]))
    assert request.findtext("samlp:SessionIndex", namespaces=NS)

    iframe = Client(headers={"accept-language": "en"})  # the iframe carries no cookie of ours
    answer = iframe.get(_local(url))
    assert not Session.objects.filter(session_key=session_key).exists()
    assert urlsplit(answer["Location"]).path == "/dev-idp/slo/"
    result = iframe.get(_local(answer["Location"]))
    assert b"The service confirmed the logout." in result.content
    assert "frame-ancestors 'self'" in result["Content-Security-Policy"]
    assert "X-Frame-Options" not in result


def test_dev_idp_refuses_an_unsigned_or_altered_authn_request(dev_idp, client):
    """ACC-15: the dev IdP, like Suomi.fi, answers only our signed AuthnRequests."""
    location = urlsplit(client.get("/test-start/")["Location"])
    unsigned = "&".join(part for part in location.query.split("&") if not part.startswith(("Signature=", "SigAlg=")))
    assert client.get(f"{location.path}?{unsigned}").status_code == 400
    altered = location.query.replace("RelayState=", "RelayState=x", 1)
    assert client.get(f"{location.path}?{altered}").status_code == 400
    assert client.get("/dev-idp/login/").status_code == 400


def test_dev_idp_speaks_the_language_the_portal_asked_for(dev_idp, client):
    """ACC-15: the UI language travels in the AuthnRequest, and the dev IdP uses it."""
    client.cookies["django_language"] = "sv"
    client.get(_local(client.get("/test-start/")["Location"]))
    client.cookies["django_language"] = "en"

    page = client.get("/dev-idp/login/").content.decode()

    assert '<html lang="sv">' in page


def test_dev_idp_metadata_is_served(dev_idp, client):
    """ACC-15: the dev IdP publishes its metadata, which the SP trusts when it is enabled."""
    response = client.get("/dev-idp/metadata/")
    assert response.status_code == 200
    assert b"urn:heka:dev-idp" in response.content


def test_dev_idp_answers_nothing_when_disabled(db, settings, client):
    """ACC-15: even where its URLs are mounted, the dev IdP is dead unless enabled."""
    settings.ROOT_URLCONF = "tests.saml.urls"
    settings.HEKA_DEV_IDP_ENABLED = False
    for path in ("/dev-idp/metadata/", "/dev-idp/sso/", "/dev-idp/login/", "/dev-idp/slo/", "/dev-idp/logout/"):
        assert client.get(path).status_code == 404


def test_test_persons_have_valid_temporary_identity_codes():
    """ACC-15: the test persons are shared data: valid, distinct, temporary codes (or none)."""
    codes = [person.hetu for person in TEST_PERSONS if person.hetu]
    assert len(codes) == len(set(codes)) >= 14
    assert all(hetu.is_valid(code) and 900 <= int(code[7:10]) <= 999 for code in codes)
    assert [person.key for person in TEST_PERSONS if person.is_foreign] == ["eidas-de"]
