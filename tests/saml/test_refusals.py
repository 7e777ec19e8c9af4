"""Every forged, stale, misdirected or insufficient response is refused with a clear page, one log
line without the identity code, and nothing stored (ACC-15, X-7, SFI-7). pysaml2 builds the responses;
`tamper` edits the signed XML before it is encrypted, as an attacker who obtained a genuine
response (or the IdP's output before encryption) would."""

import copy
import datetime

import pytest
from lxml import etree
from saml2.xmldsig import DIGEST_SHA1, SIG_RSA_SHA1

from accounts.models import User
from tenancy.models import Person
from tests.factories.tenancy import RegionOfficeFactory

from .conftest import cache_keys
from .pysaml_idp import EIDAS_HIGH, EIDAS_SUBSTANTIAL, FINNISH_AUTHENTICATOR, HETU, NS, TRIPLE_DES_CBC, ResponseSpec, new_id

GENUINE_HETU = "010280-952L"
OTHER_HETU = "010469-999W"
NOW = datetime.datetime.now(datetime.UTC)
DS = "{http://www.w3.org/2000/09/xmldsig#}"


def _assertion(root: etree._Element) -> etree._Element:
    return root.find("saml:EncryptedAssertion/saml:Assertion", NS)


def _set_hetu(assertion: etree._Element, value: str) -> None:
    assertion.find(f".//saml:Attribute[@Name='{HETU}']/saml:AttributeValue", NS).text = value


def alter_identity_code(root: etree._Element) -> None:
    _set_hetu(_assertion(root), OTHER_HETU)


def _forged_copy(original: etree._Element, *, keep_signature: bool, keep_id: bool) -> etree._Element:
    forged = copy.deepcopy(original)
    _set_hetu(forged, OTHER_HETU)
    if not keep_id:
        forged.set("ID", new_id())
    if not keep_signature:
        forged.remove(forged.find(f"{DS}Signature"))
    return forged


def wrap_original_in_advice(root: etree._Element) -> None:
    """XSW: a forged assertion carries the genuine signed one in its Advice."""
    original = _assertion(root)
    forged = _forged_copy(original, keep_signature=False, keep_id=False)
    advice = etree.Element(f"{{{NS['saml']}}}Advice")
    advice.append(copy.deepcopy(original))
    forged.find("saml:Conditions", NS).addnext(advice)
    original.getparent().replace(original, forged)


def move_signature_to_forged_assertion(root: etree._Element) -> None:
    """XSW: the genuine signature moves onto a forged assertion; the genuine assertion hides in
    the signature's ds:Object, where the Reference still finds it by ID."""
    original = _assertion(root)
    forged = _forged_copy(original, keep_signature=True, keep_id=False)
    hidden = copy.deepcopy(original)
    hidden.remove(hidden.find(f"{DS}Signature"))
    obj = etree.SubElement(forged.find(f"{DS}Signature"), f"{DS}Object")
    obj.append(hidden)
    original.getparent().replace(original, forged)


def transplant_signature_without_original(root: etree._Element) -> None:
    """XSW: only a forged assertion remains, carrying the genuine signature whose Reference
    names the genuine assertion's ID."""
    original = _assertion(root)
    original.getparent().replace(original, _forged_copy(original, keep_signature=True, keep_id=False))


def hide_original_in_response_extensions(root: etree._Element) -> None:
    """XSW: the genuine signed assertion goes into the Response's Extensions, and an unsigned
    forged assertion with the same ID takes its place."""
    original = _assertion(root)
    forged = _forged_copy(original, keep_signature=False, keep_id=True)
    extensions = etree.Element(f"{{{NS['samlp']}}}Extensions")
    extensions.append(copy.deepcopy(original))
    # Extensions follow the Issuer and the Response's own Signature (schema order).
    anchor = root.find(f"{DS}Signature")
    (anchor if anchor is not None else root.find("saml:Issuer", NS)).addnext(extensions)
    original.getparent().replace(original, forged)


REFUSALS = [
    ("unsigned assertion", {"sign": False}, "signature", 400),
    ("unsigned response", {"sign_response": False}, "signature", 400),
    ("unsigned response and assertion", {"sign": False, "sign_response": False}, "signature", 400),
    ("signed with another key", {"signing_key": "attacker"}, "signature", 400),
    ("sha1 signature", {"sign_alg": SIG_RSA_SHA1, "digest_alg": DIGEST_SHA1}, "signature", 400),
    ("identity code altered after signing", {"tamper": alter_identity_code}, "signature", 400),
    ("plaintext assertion", {"encrypt": False}, "not_encrypted", 400),
    ("wrapping: original in advice", {"tamper": wrap_original_in_advice}, "signature", 400),
    ("wrapping: signature moved", {"tamper": move_signature_to_forged_assertion}, "signature", 400),
    ("wrapping: original in extensions", {"tamper": hide_original_in_response_extensions}, "signature", 400),
    ("wrapping: signature transplanted", {"tamper": transplant_signature_without_original}, "signature", 400),
    ("in-response-to mismatch", {"request_id": "ONELOGIN_someone_elses_request"}, "in_response_to", 400),
    ("unsolicited", {"request_id": None}, "unsolicited", 400),
    ("wrong audience", {"audience": "https://other-service.example/saml"}, "audience", 400),
    ("wrong destination", {"destination": "https://other-service.example/saml/acs/"}, "destination", 400),
    ("wrong recipient", {"recipient": "https://other-service.example/saml/acs/"}, "subject_confirmation", 400),
    ("wrong issuer", {"issuer": "https://evil.example/idp"}, "issuer", 400),
    ("finnish authenticator", {"loa": FINNISH_AUTHENTICATOR}, "loa", 403),
    ("eidas low level", {"loa": "http://eidas.europa.eu/LoA/low"}, "loa", 403),
    (
        "expired",
        {"not_before": NOW - datetime.timedelta(hours=2), "not_on_or_after": NOW - datetime.timedelta(hours=1)},
        "expired",
        400,
    ),
    (
        "not yet valid",
        {"not_before": NOW + datetime.timedelta(hours=1), "not_on_or_after": NOW + datetime.timedelta(hours=2)},
        "not_yet_valid",
        400,
    ),
    ("3des encryption", {"data_encryption": TRIPLE_DES_CBC, "session_key_type": "des-192"}, "encryption_algorithm", 400),
    ("invalid identity code", {"hetu": "010280-9520"}, "identity_code", 400),
    ("missing identity code", {"hetu": None}, "identity_code", 400),
]


@pytest.mark.parametrize(("spec", "reason", "status"), [case[1:] for case in REFUSALS], ids=[case[0] for case in REFUSALS])
def test_response_is_refused_and_nothing_is_stored(saml, caplog, idp_keys, spec, reason, status):
    """ACC-15, X-7, SFI-7: refused with a clear page and a log line naming the reason, without the
    identity code; no identity in the session, no account or person created, and nothing in the
    cache but the client's rate-limit counter (a response that answers another request is valid
    SAML: it is refused at the finish step)."""
    if spec.get("signing_key") == "attacker":
        spec = {**spec, "signing_key": idp_keys.attacker}
    users, persons = User.objects.count(), Person.objects.count()
    spec = dict(spec)
    started = saml.start()
    # The spec may name another request, or None (an unsolicited response).
    request_id = spec.pop("request_id", started)
    saml_response = saml.idp.response(ResponseSpec(request_id=request_id, **spec), saml.sp)
    before = cache_keys()

    response = saml.post(saml_response)

    assert response.status_code == status
    assert b"<h1>" in response.content
    assert response["Cache-Control"] == "no-store"
    assert f"strong identification refused: reason={reason} " in caplog.text
    assert GENUINE_HETU not in caplog.text
    assert OTHER_HETU not in caplog.text
    assert saml.identity() is None
    assert (User.objects.count(), Person.objects.count()) == (users, persons)
    if reason != "in_response_to":
        assert {key for key in cache_keys() - before if "heka:ratelimit:" not in key} == set()


@pytest.mark.parametrize("loa", [EIDAS_SUBSTANTIAL, EIDAS_HIGH])
def test_foreign_eidas_identity_is_told_to_register_by_office_identification_SFI_2_ACC_4(saml, caplog, loa):
    """SFI-2, ACC-4: a foreign eIDAS identity (PersonIdentifier, no Finnish identity code) gets a
    page that tells how to register through office identification, with the offices' addresses
    and the way to the office-identification form; nothing is stored."""
    RegionOfficeFactory(name="Itäinen aluetoimisto", street_address="Itäkatu 1")

    response = saml.respond(hetu=None, person_identifier="DE/FI/1234567890", first_names="Erika", last_name="Mustermann", loa=loa)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Register through office identification" in content
    assert "Office identification" in content
    assert 'href="/accounts/register/office/"' in content
    assert "within 24 hours" in content
    assert "Itäinen aluetoimisto" in content
    assert "Itäkatu 1" in content
    assert "reason=no_identity_code " in caplog.text
    assert "1234567890" not in caplog.text
    assert saml.identity() is None


@pytest.mark.parametrize(
    ("language", "title"),
    [("fi", "Rekisteröidy aluetoimiston kautta"), ("sv", "Registrera dig med identifiering på byrån")],
)
def test_foreign_eidas_page_in_finnish_and_swedish_SFI_2(saml, language, title):
    """SFI-2: the office-identification page is in the person's language."""
    saml.client.cookies["django_language"] = language

    response = saml.respond(hetu=None, person_identifier="DE/FI/1234567890", loa=EIDAS_HIGH)

    assert title in response.content.decode()


def test_replayed_assertion_is_refused(saml, caplog):
    """ACC-15: an assertion is accepted once: the second copy of one response is refused where it
    arrives, at the ACS, and the identity of the first stays."""
    request_id = saml.start()
    saml_response = saml.idp.response(ResponseSpec(request_id=request_id), saml.sp)
    first = saml.client.post("/saml/acs/", {"SAMLResponse": saml_response})
    second = saml.client.post("/saml/acs/", {"SAMLResponse": saml_response})

    assert saml.client.get(first["Location"]).status_code == 302
    accepted = saml.identity()
    assert second["Location"] == "/saml/refused/replay/"
    assert saml.client.get(second["Location"]).status_code == 400
    assert "strong identification refused: reason=replay " in caplog.text
    assert saml.identity() == accepted


def test_response_replayed_into_a_new_identification_is_refused(saml, caplog):
    """ACC-15: a used response does not answer a later AuthnRequest."""
    request_id = saml.start()
    saml_response = saml.idp.response(ResponseSpec(request_id=request_id), saml.sp)
    assert saml.post(saml_response).status_code == 302
    saml.start()

    response = saml.post(saml_response)

    assert response.status_code == 400
    assert "reason=replay " in caplog.text
    assert saml.identity() is None


def test_response_without_started_identification_is_refused(saml, client, caplog):
    """ACC-15: a browser that started no identification cannot use a response (login CSRF)."""
    request_id = saml.start()
    saml_response = saml.idp.response(ResponseSpec(request_id=request_id), saml.sp)
    saml.client.logout()

    response = saml.post(saml_response)

    assert response.status_code == 400
    assert "reason=no_request " in caplog.text
    assert saml.identity() is None


def test_posted_response_is_used_once(saml, caplog):
    """ACC-15: the key under which the ACS kept a POST works once."""
    request_id = saml.start()
    acs = saml.client.post("/saml/acs/", {"SAMLResponse": saml.idp.response(ResponseSpec(request_id=request_id), saml.sp)})
    assert saml.client.get(acs["Location"]).status_code == 302

    again = saml.client.get(acs["Location"])

    assert again.status_code == 400
    assert "reason=no_request " in caplog.text


@pytest.mark.parametrize(
    "body",
    [{}, {"SAMLResponse": ""}, {"SAMLResponse": "not base64 at all"}, {"SAMLResponse": "PD94bWwgdmVyc2lvbj0iMS4wIj8+PGZvbw=="}],
    ids=["nothing", "empty", "garbage", "broken-xml"],
)
def test_malformed_posts_get_a_page_not_an_error(saml, caplog, body):
    """ACC-15: whatever is posted to the ACS, the answer is a page (400), never a 500."""
    saml.start()
    acs = saml.client.post("/saml/acs/", body)
    response = saml.client.get(acs["Location"]) if acs.status_code == 303 else acs

    assert response.status_code == 400
    assert "strong identification refused" in caplog.text
    assert saml.identity() is None


def test_acs_accepts_only_post(saml):
    """ACC-15: the ACS takes the HTTP-POST binding only."""
    assert saml.client.get("/saml/acs/").status_code == 405


def test_cache_outage_gives_a_page_not_an_error(saml, monkeypatch, caplog):
    """ACC-15: without the cache (replay cache, kept POSTs) nothing is accepted, and the person
    sees a page (503) instead of a stack trace."""
    from django.core.cache import cache

    def unavailable(*args, **kwargs):
        raise ConnectionError("cache server down")

    request_id = saml.start()
    saml_response = saml.idp.response(ResponseSpec(request_id=request_id), saml.sp)
    monkeypatch.setattr(cache, "set", unavailable)

    response = saml.client.post("/saml/acs/", {"SAMLResponse": saml_response})

    assert response.status_code == 503
    assert "reason=unavailable " in caplog.text
