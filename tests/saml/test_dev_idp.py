"""The development identity provider makes the whole flow work with no outside service (ACC-15)."""

from urllib.parse import urlsplit

import pytest
from lxml import html

from accounts.devidp.persons import TEST_PERSONS
from tenancy import hetu

LOA2 = "http://ftn.ficora.fi/2017/loa2"


@pytest.fixture
def dev_idp(db, settings):
    settings.ROOT_URLCONF = "tests.saml.urls"
    settings.HEKA_DEV_IDP_ENABLED = True
    settings.HEKA_SAML_IDP_METADATA_FILE = ""


def _follow(client, url):
    parts = urlsplit(url)
    return client.get(f"{parts.path}?{parts.query}" if parts.query else parts.path)


def _identify(client, **choice):
    """Start, pass the dev IdP's pages as a browser would, and post its answer to our ACS."""
    started = client.get("/test-start/?purpose=register&next=/after/")
    assert started.status_code == 302
    assert urlsplit(started["Location"]).path == "/dev-idp/sso/"
    at_idp = _follow(client, started["Location"])
    assert (at_idp.status_code, at_idp["Location"]) == (302, "/dev-idp/login/")
    page = client.get("/dev-idp/login/")
    assert page.status_code == 200
    answer = client.post("/dev-idp/login/", choice)
    assert answer.status_code == 200
    form = html.fromstring(answer.content).get_element_by_id("saml-autopost")
    fields = {field.name: field.value for field in form.inputs if field.name}
    assert form.find(".//button[@type='submit']") is not None
    acs = client.post(urlsplit(form.action).path, fields)
    assert acs.status_code == 303
    return answer, client.get(acs["Location"])


def test_dev_idp_round_trip_identifies_a_test_person(dev_idp, client, caplog):
    """ACC-15: start → dev IdP (our signed AuthnRequest checked) → signed and encrypted response to
    our real ACS → finish → single logout at the dev IdP → next_url, with the identity stored."""
    caplog.set_level("INFO")
    answer, finished = _identify(client, person="010280-952L", loa=LOA2)

    assert b'src="/static/js/saml-autopost.js"' in answer.content
    assert b"<script>" not in answer.content
    assert finished.status_code == 302
    assert urlsplit(finished["Location"]).path == "/dev-idp/slo/"
    back = _follow(client, finished["Location"])
    assert urlsplit(back["Location"]).path == "/saml/slo/"
    done = _follow(client, back["Location"])
    assert done["Location"] == "/after/"
    assert "single logout confirmed" in caplog.text
    identity = client.session["heka_identity"]
    assert identity["hetu_hash"] == hetu.lookup_hash("010280-952L")
    assert (identity["first_names"], identity["last_name"], identity["loa"]) == ("Anna Maria", "Aaltonen", LOA2)
    assert "010280-952L" not in caplog.text


def test_dev_idp_lists_the_test_persons_and_levels(dev_idp, client):
    """ACC-15: the page offers every test person and lets the level of assurance be chosen."""
    _follow(client, client.get("/test-start/")["Location"])
    page = client.get("/dev-idp/login/").content.decode()
    for person in TEST_PERSONS:
        assert person.last_name in page
    assert "urn:oid:1.2.246.517.3002.110.7" in page
    assert "Erika" in page


def test_dev_idp_speaks_the_language_the_portal_asked_for(dev_idp, client):
    """ACC-15: the UI language travels in the AuthnRequest, and the dev IdP uses it."""
    client.cookies["django_language"] = "sv"
    _follow(client, client.get("/test-start/")["Location"])
    client.cookies["django_language"] = "en"

    page = client.get("/dev-idp/login/").content.decode()

    assert '<html lang="sv">' in page


def test_dev_idp_low_level_is_refused_by_the_portal(dev_idp, client, caplog):
    """ACC-15: choosing a low level at the dev IdP shows the portal's refusal."""
    _, finished = _identify(client, person="010469-999W", loa="urn:oid:1.2.246.517.3002.110.7")

    assert finished.status_code == 403
    assert b"A stronger identification method is needed" in finished.content
    assert "reason=loa " in caplog.text
    assert "heka_identity" not in client.session


def test_dev_idp_foreign_user_gets_the_regional_office_page(dev_idp, client):
    """ACC-15: the foreign eIDAS test person has no identity code: regional-office page."""
    _, finished = _identify(client, person="eidas-de", loa="http://eidas.europa.eu/LoA/substantial")

    assert finished.status_code == 403
    assert b"Please identify at a regional office" in finished.content


def test_dev_idp_cancel_is_a_clear_refusal(dev_idp, client, caplog):
    """ACC-15: cancelling at the IdP brings a clear page, nothing stored."""
    _, finished = _identify(client, cancel="1")

    assert finished.status_code == 400
    assert b"Identification was not completed" in finished.content
    assert "reason=cancelled " in caplog.text


def test_dev_idp_refuses_an_unsigned_or_altered_authn_request(dev_idp, client):
    """ACC-15: the dev IdP, like Suomi.fi, answers only our signed AuthnRequests."""
    location = urlsplit(client.get("/test-start/")["Location"])
    unsigned = "&".join(part for part in location.query.split("&") if not part.startswith(("Signature=", "SigAlg=")))
    assert client.get(f"{location.path}?{unsigned}").status_code == 400
    altered = location.query.replace("RelayState=", "RelayState=x", 1)
    assert client.get(f"{location.path}?{altered}").status_code == 400
    assert client.get("/dev-idp/login/").status_code == 400


def test_dev_idp_metadata_is_served(dev_idp, client):
    """ACC-15: the dev IdP publishes its metadata, which the SP trusts when it is enabled."""
    response = client.get("/dev-idp/metadata/")
    assert response.status_code == 200
    assert b"urn:heka:dev-idp" in response.content
    assert b"X509Certificate" in response.content


def test_dev_idp_answers_nothing_when_disabled(db, settings, client):
    """ACC-15: even where its URLs are mounted, the dev IdP is dead unless enabled."""
    settings.ROOT_URLCONF = "tests.saml.urls"
    settings.HEKA_DEV_IDP_ENABLED = False
    for path in ("/dev-idp/metadata/", "/dev-idp/sso/", "/dev-idp/login/", "/dev-idp/slo/"):
        assert client.get(path).status_code == 404


def test_test_persons_have_valid_temporary_identity_codes():
    """ACC-15: the demo persons are shared data: valid, distinct, temporary codes (or none)."""
    codes = [person.hetu for person in TEST_PERSONS if person.hetu]
    assert len(codes) == len(set(codes)) >= 8
    assert all(hetu.is_valid(code) and 900 <= int(code[7:10]) <= 999 for code in codes)
    assert {"010280-952L", "010469-999W", "010675-9981", "260991-999R", "020365-999P"} <= set(codes)
    assert [person.key for person in TEST_PERSONS if person.is_foreign] == ["eidas-de"]
