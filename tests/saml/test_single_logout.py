"""Single logout as Suomi.fi requires it (SFI-4), with pysaml2 as the identity provider: all six
messages, the local session closed before the IdP is told, a LogoutRequest from the IdP that
arrives without our cookie, clear pages when the session is gone or the person cancels."""

from base64 import b64decode
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.contrib.sessions.models import Session
from django.test import Client
from lxml import etree

from accounts.models import SamlSession, User

from .conftest import inflate
from .pysaml_idp import NS, STATUS_AUTHN_FAILED, STATUS_REQUESTER, ResponseSpec, unsigned_query

REQUEST_DENIED = "urn:oasis:names:tc:SAML:2.0:status:RequestDenied"
SIGNATURE_ALGORITHM = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"


def _local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def _message(url: str, kind: str) -> etree._Element:
    return etree.fromstring(inflate(parse_qs(urlsplit(url).query)[kind][0]))


def _assert_signed_by_sp(saml, url: str, kind: str) -> None:
    """The HTTP-Redirect signature verifies with the certificate in our published metadata."""
    query = urlsplit(url).query
    signed = "&".join(
        part for name in (f"{kind}=", "RelayState=", "SigAlg=") for part in query.split("&") if part.startswith(name)
    )
    parsed = parse_qs(query)
    assert parsed["SigAlg"] == [SIGNATURE_ALGORITHM]
    metadata = etree.fromstring(saml.client.get("/saml/metadata/").content)
    certificate = x509.load_der_x509_certificate(
        b64decode(metadata.findtext(".//md:KeyDescriptor[@use='signing']//ds:X509Certificate", namespaces=NS))
    )
    public_key = certificate.public_key()
    assert isinstance(public_key, rsa.RSAPublicKey)
    public_key.verify(b64decode(unquote(parsed["Signature"][0])), signed.encode(), padding.PKCS1v15(), hashes.SHA256())


def _iframe() -> Client:
    """A browser context with none of our cookies, as the IdP's cross-site iframe is (the
    language comes from Accept-Language there; English here, for the assertions)."""
    return Client(headers={"accept-language": "en"})


def _identify(saml, **fields) -> ResponseSpec:
    request_id = saml.start()
    spec = ResponseSpec(request_id=request_id, **fields)
    assert saml.post(saml.idp.response(spec, saml.sp)).status_code == 302
    return spec


def test_logout_closes_the_local_session_then_sends_a_signed_logout_request_SFI_4(saml):
    """SFI-4 (send LogoutRequest): "Log out" ends the local session before the browser leaves for
    the IdP: the old session, the verified identity and the NameID mapping are gone already, and
    the LogoutRequest names our entity, the NameID and SessionIndex of the identification, signed."""
    spec = _identify(saml)
    old_key = saml.client.session.session_key
    assert SamlSession.objects.filter(session_key=old_key).exists()

    response = saml.client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"].startswith(saml.idp.slo_url)
    assert not Session.objects.filter(session_key=old_key).exists()
    assert saml.identity() is None
    assert not SamlSession.objects.exists()
    request = _message(response["Location"], "SAMLRequest")
    assert request.tag == f"{{{NS['samlp']}}}LogoutRequest"
    assert request.get("Destination") == saml.idp.slo_url
    assert request.findtext("saml:Issuer", namespaces=NS) == saml.sp.entity_id
    name_id = request.find("saml:NameID", NS)
    assert (name_id.text, name_id.get("NameQualifier"), name_id.get("SPNameQualifier")) == (
        spec.name_id,
        saml.idp.entity_id,
        saml.sp.entity_id,
    )
    assert request.findtext("samlp:SessionIndex", namespaces=NS) == spec.session_index
    _assert_signed_by_sp(saml, response["Location"], "SAMLRequest")


def test_logged_in_resident_who_identified_is_logged_out_and_the_idp_told_SFI_4(saml, household):
    """SFI-4: a resident logged in with a password who identifies (e.g. to link the account) and
    then logs out is logged out of the portal first; the IdP gets the LogoutRequest."""
    user = User.objects.create_user("maija@example.com", "Sal4sana!", person=household.main_tenant)
    saml.client.force_login(user)
    _identify(saml)

    response = saml.client.post("/accounts/logout/")

    assert response["Location"].startswith(saml.idp.slo_url)
    assert "_auth_user_id" not in saml.client.session
    assert saml.client.get("/dashboard/").status_code == 302


def test_idp_logout_response_ends_on_a_clear_page_SFI_4(saml, caplog):
    """SFI-4 (receive LogoutResponse): the IdP's signed LogoutResponse ends on a page that says the
    person has logged out of both: 200, no redirect (no loop), nothing left in the session."""
    caplog.set_level("INFO")
    _identify(saml)
    logout_request = saml.client.post("/accounts/logout/")["Location"]

    response = saml.client.get(_local(saml.idp.logout_response_url(logout_request, saml.sp)))

    assert response.status_code == 200
    content = response.content.decode()
    assert "You have logged out" in content
    assert "of the Resident Portal and of the identification service" in content
    assert "single logout confirmed" in caplog.text
    assert "heka_saml_logout" not in saml.client.session


def test_logout_response_when_the_session_is_already_gone_is_a_clear_page_SFI_4(saml, caplog):
    """SFI-4: the LogoutResponse reaches a browser whose session has ended (expired, cleared
    cookies): a clear "you have logged out" page, not an error and not a redirect."""
    _identify(saml)
    logout_request = saml.client.post("/accounts/logout/")["Location"]
    answer = _local(saml.idp.logout_response_url(logout_request, saml.sp))

    response = _iframe().get(answer)

    assert response.status_code == 200
    assert "You have logged out" in response.content.decode()
    assert "Location" not in response


def test_logout_cancelled_at_the_idp_is_a_clear_page_SFI_4(saml, caplog):
    """SFI-4: the person cancels the logout on Suomi.fi's page (a LogoutResponse that is not
    Success): the portal session is closed already, and the page says the IdP did not confirm."""
    _identify(saml)
    logout_request = saml.client.post("/accounts/logout/")["Location"]

    response = saml.client.get(_local(saml.idp.logout_response_url(logout_request, saml.sp, status=REQUEST_DENIED)))

    assert response.status_code == 200
    content = response.content.decode()
    assert "You have logged out of the Resident Portal" in content
    assert "did not confirm" in content
    assert "single logout not confirmed" in caplog.text


def test_forged_logout_response_still_ends_on_the_clear_page_SFI_4(saml, idp_keys, caplog):
    """SFI-4: a LogoutResponse signed with another key changes nothing (the session was closed
    before it was sent) and is logged; the person still sees the logged-out page."""
    _identify(saml)
    logout_request = saml.client.post("/accounts/logout/")["Location"]

    response = saml.client.get(_local(saml.idp.logout_response_url(logout_request, saml.sp, key=idp_keys.attacker)))

    assert response.status_code == 200
    assert "did not confirm" in response.content.decode()
    assert "single logout not confirmed" in caplog.text


def test_idp_logout_request_without_our_cookie_ends_the_session_by_name_id_SFI_4(saml, caplog):
    """SFI-4 (receive LogoutRequest, send LogoutResponse): a logout at another service reaches
    /saml/slo/ in a hidden cross-site iframe that carries no cookie of ours. The session recorded
    for the NameID and SessionIndex is ended, and the answer is a signed LogoutResponse."""
    caplog.set_level("INFO")
    spec = _identify(saml)
    old_key = saml.client.session.session_key
    url = saml.idp.logout_request_url(saml.sp, name_id=spec.name_id, session_index=spec.session_index)
    request_id = _message(url, "SAMLRequest").get("ID")

    iframe = Client()  # no session cookie, as in the cross-site iframe
    response = iframe.get(_local(url))

    assert response.status_code == 302
    assert response["Location"].startswith(saml.idp.slo_url)
    assert not Session.objects.filter(session_key=old_key).exists()
    assert not SamlSession.objects.exists()
    assert saml.identity() is None
    answer = _message(response["Location"], "SAMLResponse")
    assert answer.tag == f"{{{NS['samlp']}}}LogoutResponse"
    assert answer.get("InResponseTo") == request_id
    assert answer.get("Destination") == saml.idp.slo_url
    assert answer.find("samlp:Status/samlp:StatusCode", NS).get("Value") == "urn:oasis:names:tc:SAML:2.0:status:Success"
    _assert_signed_by_sp(saml, response["Location"], "SAMLResponse")
    assert "1 local session(s) ended" in caplog.text
    assert "sessionid" not in response.cookies


def test_idp_logout_request_for_another_session_index_leaves_the_session_SFI_4(saml):
    """SFI-4: only the session of the NameID and SessionIndex named is ended."""
    spec = _identify(saml)

    Client().get(_local(saml.idp.logout_request_url(saml.sp, name_id=spec.name_id, session_index="_another")))
    Client().get(_local(saml.idp.logout_request_url(saml.sp, name_id="_someone_else")))

    assert saml.identity() is not None
    assert SamlSession.objects.count() == 1


def test_idp_logout_finds_the_session_after_a_login_gave_it_a_new_key_SFI_4(saml, household):
    """SFI-4: logging in cycles the session key; the mapping follows, so a later logout at
    another service still ends this session."""
    spec = _identify(saml)
    user = User.objects.create_user("maija@example.com", "Sal4sana!", person=household.main_tenant)
    saml.client.force_login(user)
    new_key = saml.client.session.session_key

    Client().get(_local(saml.idp.logout_request_url(saml.sp, name_id=spec.name_id, session_index=spec.session_index)))

    assert not Session.objects.filter(session_key=new_key).exists()
    assert saml.client.get("/dashboard/").status_code == 302


def test_slo_may_be_framed_by_the_identity_provider_origin_only_SFI_4(saml, client):
    """SFI-4: /saml/slo/ answers inside the IdP's hidden iframe, so it may be framed by the IdP's
    origin (and no other); every other page stays unframable."""
    spec = _identify(saml)

    response = Client().get(_local(saml.idp.logout_request_url(saml.sp, name_id=spec.name_id)))

    assert "X-Frame-Options" not in response
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors https://testi.apro.tunnistus.fi" in policy
    assert "frame-ancestors 'none'" not in policy
    assert "script-src 'self'" in policy
    # Its refusals too: they are shown in the iframe.
    assert "frame-ancestors https://testi.apro.tunnistus.fi" in Client().get("/saml/slo/")["Content-Security-Policy"]
    other = client.get("/")
    assert other["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in other["Content-Security-Policy"]


@pytest.mark.parametrize(
    "forgery",
    ["unsigned", "attacker key", "no issuer", "other issuer", "other destination"],
)
def test_forged_idp_logout_request_is_refused_and_ends_nothing_SFI_4(saml, idp_keys, caplog, forgery):
    """SFI-4: a LogoutRequest that is unsigned, signed with another key, issued by nobody or
    somebody else, or meant for another service ends no session."""
    spec = _identify(saml)
    arguments = {"name_id": spec.name_id, "session_index": spec.session_index}
    if forgery == "attacker key":
        arguments["key"] = idp_keys.attacker
    if forgery == "no issuer":
        arguments["issuer"] = ""
    if forgery == "other issuer":
        arguments["issuer"] = "https://evil.example/idp"
    if forgery == "other destination":
        arguments["destination"] = "https://other-service.example/saml/slo/"
    url = saml.idp.logout_request_url(saml.sp, **arguments)
    path = unsigned_query(url) if forgery == "unsigned" else _local(url)

    response = _iframe().get(path)

    assert response.status_code == 400
    assert b"Logout failed" in response.content
    assert "reason=logout " in caplog.text
    assert saml.identity() is not None
    assert SamlSession.objects.count() == 1


def test_cancel_at_the_idp_during_login_is_a_clear_page_SFI_4(saml, caplog):
    """SFI-4: a person who cancels at the IdP (Suomi.fi answers Requester/AuthnFailed) lands on a
    clear page that offers to try again, not an error page; nothing is stored."""
    saml.start(next_url="/accounts/register/details/")
    response = saml.post(
        saml.idp.response(
            ResponseSpec(
                request_id=saml.client.session["heka_saml_request"]["id"], status=(STATUS_REQUESTER, STATUS_AUTHN_FAILED)
            ),
            saml.sp,
        )
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "Identification was not completed" in content
    assert 'href="/accounts/register/details/"' in content
    assert "notice-error" not in content
    assert "reason=cancelled " in caplog.text
    assert saml.identity() is None
    assert not SamlSession.objects.exists()


def test_logout_without_a_saml_session_does_not_involve_the_idp_SFI_4(saml, household):
    """SFI-4: a resident who logged in with a password only is logged out as before."""
    user = User.objects.create_user("maija@example.com", "Sal4sana!", person=household.main_tenant)
    saml.client.force_login(user)

    response = saml.client.post("/accounts/logout/")

    assert response["Location"] == "/"
    assert "_auth_user_id" not in saml.client.session


def test_identified_visitor_sees_log_out_in_the_navigation_SFI_4(saml):
    """SFI-4: Suomi.fi asks for an easy-to-find logout: a visitor who identified but has no account
    yet also has "Log out", which ends the identification at the IdP too."""
    assert "Log out" not in saml.client.get("/").content.decode()
    _identify(saml)

    page = saml.client.get("/").content.decode()

    assert 'action="/accounts/logout/"' in page
    assert saml.client.get("/accounts/logout/").status_code == 200
    assert saml.client.post("/accounts/logout/")["Location"].startswith(saml.idp.slo_url)


def test_single_logout_bookkeeping_keeps_flat_query_counts_SFI_4(saml, django_assert_max_num_queries):
    """SFI-4, PRF: recording an identification's SAML session and ending it from the IdP cost a
    handful of queries, however many sessions the table holds."""
    for _ in range(3):
        _identify(saml)
    request_id = saml.start()
    spec = ResponseSpec(request_id=request_id)
    acs = saml.client.post(urlsplit(saml.sp.acs_url).path, {"SAMLResponse": saml.idp.response(spec, saml.sp)})
    with django_assert_max_num_queries(14):
        assert saml.client.get(acs["Location"]).status_code == 302
    url = _local(saml.idp.logout_request_url(saml.sp, name_id=spec.name_id, session_index=spec.session_index))
    with django_assert_max_num_queries(6):
        assert _iframe().get(url).status_code == 302
