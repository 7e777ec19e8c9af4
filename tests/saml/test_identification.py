"""Strong identification through the real ACS and finish views, answered by pysaml2 (ACC-15, X-7)."""

import datetime
import json
from base64 import b64decode
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from django.utils import timezone
from lxml import etree

from accounts.saml.identity import clear_verified_identity, get_verified_identity
from tenancy import hetu

from .conftest import inflate
from .pysaml_idp import LOA2, LOA3, NS, ResponseSpec

HETU = "010280-952L"


def _session_identity_request(rf, client):
    request = rf.get("/")
    request.session = client.session
    return request


@pytest.mark.parametrize(
    "loa",
    [LOA2, LOA3, "http://eidas.europa.eu/LoA/substantial", "http://eidas.europa.eu/LoA/high"],
    ids=["loa2", "loa3", "eidas-substantial", "eidas-high"],
)
def test_valid_response_stores_the_identity_without_the_clear_identity_code(saml, caplog, loa):
    """ACC-15, X-7: a signed and encrypted response at level substantial or high is accepted; the
    session gets the keyed hash and the encrypted copy of the identity code, never the code."""
    caplog.set_level("INFO")
    session_key_before = None

    request_id = saml.start()
    session_key_before = saml.client.session.session_key
    response = saml.post(saml.idp.response(ResponseSpec(request_id=request_id, loa=loa), saml.sp))

    identity = saml.identity()
    assert identity["hetu_hash"] == hetu.lookup_hash(HETU)
    assert hetu.decrypt(identity["hetu_encrypted"]) == HETU
    assert (identity["first_names"], identity["last_name"], identity["loa"], identity["purpose"]) == (
        "Anna",
        "Aaltonen",
        loa,
        "register",
    )
    assert abs(datetime.datetime.fromisoformat(identity["verified_at"]) - timezone.now()) < datetime.timedelta(minutes=1)
    stored = json.dumps(dict(saml.client.session.items()))
    assert HETU not in stored
    assert HETU not in caplog.text
    assert "strong identification succeeded" in caplog.text
    # A new session key once identified (session fixation).
    assert saml.client.session.session_key != session_key_before
    # The SAML session at the IdP is closed next: a signed LogoutRequest to its SLO service.
    assert response.status_code == 302
    assert response["Location"].startswith(saml.idp.slo_url)
    logout = parse_qs(urlsplit(response["Location"]).query)
    assert logout["SigAlg"] == ["http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"]
    assert etree.fromstring(inflate(logout["SAMLRequest"][0])).tag == f"{{{NS['samlp']}}}LogoutRequest"


def test_single_logout_answer_leads_to_next_url(saml, caplog):
    """ACC-15: after identification the IdP's signed LogoutResponse brings the browser to next_url."""
    caplog.set_level("INFO")
    logout_request_url = saml.respond()["Location"]
    answer = urlsplit(saml.idp.logout_response_url(logout_request_url, saml.sp))

    response = saml.client.get(f"{answer.path}?{answer.query}")

    assert response.status_code == 302
    assert response["Location"] == "/after/"
    assert "single logout confirmed" in caplog.text
    assert saml.identity()["hetu_hash"] == hetu.lookup_hash(HETU)


def test_identity_provider_logout_request_is_answered_and_forgets_the_identity(saml, caplog):
    """ACC-15: a signed LogoutRequest from the IdP gets a signed LogoutResponse; the verified
    identity of this browser is forgotten."""
    saml.respond()
    request = urlsplit(saml.idp.logout_request_url(saml.sp))

    response = saml.client.get(f"{request.path}?{request.query}")

    assert response.status_code == 302
    assert response["Location"].startswith(saml.idp.slo_url)
    query = parse_qs(urlsplit(response["Location"]).query)
    assert "Signature" in query
    assert etree.fromstring(inflate(query["SAMLResponse"][0])).tag == f"{{{NS['samlp']}}}LogoutResponse"
    assert saml.identity() is None


def test_unsigned_logout_request_is_refused(saml, caplog):
    """ACC-15: an unsigned LogoutRequest changes nothing."""
    saml.respond()
    signed = urlsplit(saml.idp.logout_request_url(saml.sp))
    query = {key: values[0] for key, values in parse_qs(signed.query).items() if key not in ("Signature", "SigAlg")}

    response = saml.client.get(signed.path, query)

    assert response.status_code == 400
    assert "reason=logout" in caplog.text
    assert saml.identity() is not None


def test_authn_request_is_signed_with_rsa_sha256_and_carries_language_and_levels(saml):
    """ACC-15: the AuthnRequest is signed (RSA-SHA256, verifiable with the SP's published
    certificate), asks for substantial or high assurance, forces authentication and passes the
    user interface language as the Suomi.fi extension and a query parameter."""
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
    certificate.public_key().verify(
        b64decode(unquote(query["Signature"][0])), signed_part.encode(), padding.PKCS1v15(), hashes.SHA256()
    )

    request = etree.fromstring(inflate(query["SAMLRequest"][0]))
    assert request.get("ForceAuthn") == "true"
    assert request.get("AssertionConsumerServiceURL") == saml.sp.acs_url
    assert request.get("Destination") == saml.idp.sso_url
    levels = [node.text for node in request.iterfind(".//saml:AuthnContextClassRef", NS)]
    assert levels == [
        "http://ftn.ficora.fi/2017/loa2",
        "http://ftn.ficora.fi/2017/loa3",
        "http://eidas.europa.eu/LoA/substantial",
        "http://eidas.europa.eu/LoA/high",
    ]
    assert request.findtext(".//{urn:vetuma:SAML:2.0:extensions}LG") == "sv"


def test_verified_identity_is_given_for_its_purpose_while_fresh(saml, rf):
    """ACC-15: get_verified_identity answers only for the purpose started, and only while fresh."""
    saml.respond()
    request = _session_identity_request(rf, saml.client)

    identity = get_verified_identity(request, purpose="register")
    assert identity.hetu_hash == hetu.lookup_hash(HETU)
    assert identity.last_name == "Aaltonen"
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
