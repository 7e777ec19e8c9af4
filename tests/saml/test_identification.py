"""Strong identification through the real ACS and finish views, answered by pysaml2 configured as
Suomi.fi e-Identification: its attribute names (SFI-2) and authentication contexts (SFI-3)
(ACC-15, X-7)."""

import datetime
import json
from base64 import b64decode
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.utils import timezone
from lxml import etree

from accounts.models import SamlSession, User
from accounts.saml.identity import clear_verified_identity, get_verified_identity
from tenancy import hetu
from tests.factories.tenancy import AgreementPartyFactory, PersonFactory, RentalAgreementFactory

from .conftest import inflate
from .pysaml_idp import (
    EIDAS_HIGH,
    EIDAS_SUBSTANTIAL,
    FINNISH_AUTHENTICATOR,
    FIRST_NAMES,
    LOA2,
    LOA3,
    NS,
    TEST_IDENTIFIER,
    ResponseSpec,
)

HETU = "010280-952L"  # Suomi.fi's test person Tessa Testilä
STRONG_PASSWORD = "Kes4kuu!ilta"


def _session_identity_request(rf, client):
    request = rf.get("/")
    request.session = client.session
    return request


@pytest.mark.parametrize(
    "loa", [LOA3, EIDAS_HIGH, LOA2, EIDAS_SUBSTANTIAL], ids=["loa3", "eidas-high", "loa2", "eidas-substantial"]
)
def test_strong_context_is_accepted_and_identity_stored_without_the_clear_code_SFI_3(saml, caplog, loa):
    """SFI-3, ACC-15, X-7: a signed Response around a signed and encrypted assertion at one of the
    four strong contexts is accepted; the session gets the keyed hash and the encrypted copy of
    the identity code, never the code, and a new session key."""
    caplog.set_level("INFO")

    request_id = saml.start()
    session_key_before = saml.client.session.session_key
    response = saml.post(saml.idp.response(ResponseSpec(request_id=request_id, loa=loa), saml.sp))

    assert response.status_code == 302
    assert response["Location"] == "/after/"
    identity = saml.identity()
    assert identity["hetu_hash"] == hetu.lookup_hash(HETU)
    assert hetu.decrypt(identity["hetu_encrypted"]) == HETU
    assert (identity["loa"], identity["purpose"]) == (loa, "register")
    assert abs(datetime.datetime.fromisoformat(identity["verified_at"]) - timezone.now()) < datetime.timedelta(minutes=1)
    stored = json.dumps(dict(saml.client.session.items()))
    assert HETU not in stored
    assert HETU not in caplog.text
    assert "strong identification succeeded" in caplog.text
    assert saml.client.session.session_key != session_key_before


def test_all_first_names_come_from_current_given_name_not_the_calling_name_SFI_2(saml):
    """SFI-2: Suomi.fi sends every first name in eIDAS CurrentGivenName (FriendlyName FirstName)
    and the calling name in givenName; the portal keeps all first names and the surname (sn)."""
    saml.respond(hetu="010469-999W", first_names="Joni Kristian", calling_name="Kristian", last_name="Kivi")

    identity = saml.identity()
    assert (identity["first_names"], identity["last_name"]) == ("Joni Kristian", "Kivi")


def test_names_fall_back_to_cn_when_first_names_are_missing_SFI_2(saml):
    """SFI-2: without FirstName and givenName the names are read from cn ("Surname First Names")."""
    saml.respond(
        hetu="010675-9981",
        first_names="Anna-Liisa Milka",
        last_name="Sallinen",
        omit_attributes=(FIRST_NAMES, "urn:oid:2.5.4.42"),
    )

    identity = saml.identity()
    assert (identity["first_names"], identity["last_name"]) == ("Anna-Liisa Milka", "Sallinen")


@pytest.mark.parametrize("loa", [TEST_IDENTIFIER, FINNISH_AUTHENTICATOR, "http://eidas.europa.eu/LoA/low"])
def test_test_identifier_and_weak_contexts_are_refused_by_default_SFI_3(saml, caplog, loa):
    """SFI-3: by default only the four strong contexts pass; Suomi.fi's test identifier, the
    Finnish Authenticator and eIDAS low are refused with the 'stronger method needed' page."""
    response = saml.respond(loa=loa)

    assert response.status_code == 403
    assert b"A stronger identification method is needed" in response.content
    assert "reason=loa " in caplog.text
    assert saml.identity() is None


def test_test_identifier_is_accepted_with_the_test_environment_setting_SFI_3(saml, settings):
    """SFI-3: HEKA_SAML_TEST_ENVIRONMENT accepts (and requests) Suomi.fi's test identifier
    urn:oid:1.2.246.517.3002.110.999; the Finnish Authenticator stays refused."""
    settings.HEKA_SAML_TEST_ENVIRONMENT = True

    assert saml.respond(loa=TEST_IDENTIFIER).status_code == 302
    assert saml.identity()["loa"] == TEST_IDENTIFIER
    assert saml.respond(loa=FINNISH_AUTHENTICATOR).status_code == 403


def test_accepted_contexts_follow_the_setting_SFI_3(saml, settings):
    """SFI-3: HEKA_SAML_ACCEPTED_CONTEXTS narrows what is requested and accepted (high only)."""
    settings.HEKA_SAML_ACCEPTED_CONTEXTS = [LOA3, EIDAS_HIGH]

    request = etree.fromstring(inflate(parse_qs(urlsplit(_start_location(saml)).query)["SAMLRequest"][0]))
    assert [node.text for node in request.iterfind(".//saml:AuthnContextClassRef", NS)] == [LOA3, EIDAS_HIGH]
    assert saml.respond(loa=LOA2).status_code == 403
    assert saml.respond(loa=LOA3).status_code == 302


def _start_location(saml) -> str:
    saml.start()
    return saml.last_redirect


def test_registration_with_pysaml2_as_suomifi_end_to_end_SFI_2_SFI_3_ACC_1(saml, settings, django_capture_on_commit_callbacks):
    """SFI-2, SFI-3, ACC-1: Suomi.fi's test person Tessa Testilä, a tenant in the register,
    registers: the real registration view starts the identification, pysaml2 answers as Suomi.fi
    does, and the registration form greets her and creates the inactive account."""
    today = timezone.localdate()
    tessa = PersonFactory.create(first_names="Tessa", last_name="Testilä", hetu=HETU)
    agreement = RentalAgreementFactory(
        signed_on=today - datetime.timedelta(days=400), starts_on=today - datetime.timedelta(days=365)
    )
    AgreementPartyFactory(agreement=agreement, person=tessa)

    started = saml.client.post("/accounts/register/identify/")
    assert started.status_code == 302
    request_id = etree.fromstring(inflate(parse_qs(urlsplit(started["Location"]).query)["SAMLRequest"][0])).get("ID")
    form = saml.post(saml.idp.response(ResponseSpec(request_id=request_id, loa=LOA3), saml.sp))
    assert form.status_code == 302
    assert form["Location"] == "/accounts/register/details/"
    page = saml.client.get("/accounts/register/details/")
    assert "Hello Tessa" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        sent = saml.client.post(
            "/accounts/register/details/",
            {"email": "tessa@example.com", "password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD},
        )
    assert sent["Location"] == "/accounts/register/sent/"
    account = User.objects.get(email="tessa@example.com")
    assert (account.person, account.is_active) == (tessa, False)
    # The SAML session stays open for single logout (SFI-4): mapped to this browser session.
    assert SamlSession.objects.filter(session_key=saml.client.session.session_key).exists()


def test_identification_does_not_log_out_at_the_identity_provider_by_itself_SFI_4(saml):
    """SFI-4: Suomi.fi asks the person to confirm every logout, so the portal starts one only when
    the person logs out: after identification the browser goes straight to next_url."""
    response = saml.respond()

    assert response["Location"] == "/after/"
    assert not response["Location"].startswith(saml.idp.slo_url)
    assert saml.saml_session()["name_id"]


def test_authn_request_is_signed_with_rsa_sha256_and_carries_language_and_contexts_SFI_3(saml):
    """SFI-3, ACC-15: the AuthnRequest is signed (RSA-SHA256, verifiable with the SP's published
    certificate), asks exactly for the strong contexts in Suomi.fi's order, forces authentication
    and passes the user interface language as the Suomi.fi extension and a query parameter."""
    saml.client.cookies["django_language"] = "sv"
    saml.start()
    location = urlsplit(saml.last_redirect)
    assert f"{location.scheme}://{location.netloc}{location.path}" == saml.idp.sso_url
    query = parse_qs(location.query)
    assert query["SigAlg"] == ["http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"]
    assert query["lang"] == ["sv"]

    signed_part = "&".join(
        part for name in ("SAMLRequest=", "RelayState=", "SigAlg=") for part in location.query.split("&") if part.startswith(name)
    )
    metadata = etree.fromstring(saml.client.get("/saml/metadata/").content)
    cert_text = metadata.findtext(".//md:KeyDescriptor[@use='signing']//ds:X509Certificate", namespaces=NS)
    certificate = x509.load_der_x509_certificate(b64decode(cert_text))
    public_key = certificate.public_key()
    assert isinstance(public_key, rsa.RSAPublicKey)
    public_key.verify(b64decode(unquote(query["Signature"][0])), signed_part.encode(), padding.PKCS1v15(), hashes.SHA256())

    request = etree.fromstring(inflate(query["SAMLRequest"][0]))
    assert request.get("ForceAuthn") == "true"
    assert request.get("AssertionConsumerServiceURL") == saml.sp.acs_url
    assert request.get("Destination") == saml.idp.sso_url
    assert request.find("saml:Issuer", NS).text == saml.sp.entity_id
    levels = [node.text for node in request.iterfind(".//saml:AuthnContextClassRef", NS)]
    assert levels == [LOA3, EIDAS_HIGH, LOA2, EIDAS_SUBSTANTIAL]
    assert request.find("samlp:RequestedAuthnContext", NS).get("Comparison") == "exact"
    assert request.findtext(".//{urn:vetuma:SAML:2.0:extensions}LG") == "sv"


def test_verified_identity_is_given_for_its_purpose_while_fresh(saml, rf):
    """ACC-15: get_verified_identity answers only for the purpose started, and only while fresh."""
    saml.respond()
    request = _session_identity_request(rf, saml.client)

    identity = get_verified_identity(request, purpose="register")
    assert identity is not None
    assert identity.hetu_hash == hetu.lookup_hash(HETU)
    assert identity.last_name == "Testilä"
    assert get_verified_identity(request, purpose="link") is None

    stored = request.session["heka_identity"]
    stored["verified_at"] = (timezone.now() - datetime.timedelta(seconds=901)).isoformat()
    request.session["heka_identity"] = stored
    assert get_verified_identity(request, purpose="register") is None
    assert get_verified_identity(request, purpose="register", max_age_seconds=1000) is not None

    clear_verified_identity(request)
    assert get_verified_identity(request, purpose="register", max_age_seconds=1000) is None


def test_next_url_to_another_site_is_replaced_by_the_front_page(saml):
    """ACC-15: next_url must be a same-site path; anything else goes to the front page."""
    saml.start(next_url="https://evil.example/steal")
    assert saml.client.session["heka_saml_request"]["next"] == "/"
    saml.start(next_url="//evil.example/steal")
    assert saml.client.session["heka_saml_request"]["next"] == "/"
    saml.start(next_url="/accounts/register/confirm/")
    assert saml.client.session["heka_saml_request"]["next"] == "/accounts/register/confirm/"


def test_starting_again_forgets_an_earlier_identity(saml):
    """ACC-15: a new identification replaces whatever was verified before in this browser."""
    saml.respond()
    assert saml.identity() is not None
    saml.start()
    assert saml.identity() is None


def test_without_identity_provider_identification_is_unavailable(saml, settings, caplog):
    """ACC-15: no configured identity provider gives a clear page, never a 500."""
    settings.HEKA_SAML_IDP_METADATA_FILE = ""
    settings.HEKA_DEV_IDP_ENABLED = False

    response = saml.client.get("/test-start/")

    assert response.status_code == 503
    assert b"Strong identification is not available" in response.content
    assert "reason=unavailable" in caplog.text
