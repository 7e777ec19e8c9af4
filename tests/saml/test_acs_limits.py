"""The assertion consumer service gives an anonymous client no lever on the server (SFI-7): a body
larger than a real response is refused before it is parsed, each client address is rate limited,
nothing is kept for a response that fails validation, and the replay cache keeps only a digest."""

import hashlib

import pytest
from django.core.cache import cache
from django.http.request import HttpRequest

from accounts.saml import views

from .conftest import cache_keys
from .pysaml_idp import ResponseSpec


def test_oversized_body_is_refused_before_it_is_parsed_SFI_7(saml, monkeypatch, caplog):
    """SFI-7: a POST larger than 64 KB gets 413 and a clear page; the form is never read."""
    parsed = []
    original = HttpRequest._load_post_and_files

    def load_post_and_files(request: HttpRequest) -> None:
        parsed.append(request.path)
        original(request)

    monkeypatch.setattr(HttpRequest, "_load_post_and_files", load_post_and_files)
    before = cache_keys()

    response = saml.client.post("/saml/acs/", {"SAMLResponse": "A" * (views.ACS_MAX_BYTES + 1)})

    assert response.status_code == 413
    assert b"much larger than an answer from the identification service can be" in response.content
    assert "/saml/acs/" not in parsed
    assert "reason=too_large " in caplog.text
    assert cache_keys() == before


def test_a_real_sized_response_is_well_under_the_limit_SFI_7(saml):
    """SFI-7: the limit leaves room: a signed and encrypted response with every attribute is a
    fraction of it."""
    request_id = saml.start()
    size = len(saml.idp.response(ResponseSpec(request_id=request_id), saml.sp))
    assert size < views.ACS_MAX_BYTES / 3


def test_each_client_address_is_rate_limited_at_the_acs_SFI_7(saml, monkeypatch, caplog, settings):
    """SFI-7: past the limit a client address gets 429 and a clear page, however valid its
    posts; another address is not affected."""
    monkeypatch.setattr(views, "ACS_RATE_LIMIT", (3, 600))
    for _ in range(3):
        assert saml.client.post("/saml/acs/", {"SAMLResponse": "bm90aGluZw=="}).status_code == 303

    request_id = saml.start()
    refused = saml.client.post("/saml/acs/", {"SAMLResponse": saml.idp.response(ResponseSpec(request_id=request_id), saml.sp)})

    assert refused.status_code == 429
    assert b"Too many identification attempts" in refused.content
    assert "reason=rate_limited " in caplog.text
    other = saml.client.post("/saml/acs/", {"SAMLResponse": "bm90aGluZw=="}, REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 303


@pytest.mark.parametrize(
    "body",
    [
        {"SAMLResponse": "bm90aGluZw=="},
        {"SAMLResponse": "PD94bWwgdmVyc2lvbj0iMS4wIj8+PGZvbz4="},
        "forged",
    ],
    ids=["not-saml", "not-a-response", "signed-by-an-attacker"],
)
def test_nothing_is_stored_for_a_response_that_fails_validation_SFI_7(saml, idp_keys, body):
    """SFI-7: for a post that is not a valid response the cache gains nothing but the client's
    rate-limit counter: no copy of the body, no replay entry."""
    request_id = saml.start()
    if body == "forged":
        body = {"SAMLResponse": saml.idp.response(ResponseSpec(request_id=request_id, signing_key=idp_keys.attacker), saml.sp)}
    before = cache_keys()

    response = saml.client.post("/saml/acs/", body)

    assert response.status_code == 303
    assert response["Location"].startswith("/saml/refused/")
    added = cache_keys() - before
    assert all(":heka:ratelimit:saml-acs:" in key for key in added), added
    assert len(added) == 1


def test_a_valid_response_keeps_only_its_outcome_and_a_replay_digest_SFI_7(saml):
    """SFI-7: for a valid response the cache holds the replay digest of issuer and assertion id
    (value 1, until the assertion expires) and, for five minutes, the outcome for the finish step:
    the identity code only as keyed hash and encrypted copy, no attribute values, no response."""
    request_id = saml.start()
    saml_response = saml.idp.response(ResponseSpec(request_id=request_id), saml.sp)
    before = cache_keys()

    acs = saml.client.post("/saml/acs/", {"SAMLResponse": saml_response})

    added = sorted(cache_keys() - before)
    replay = [key for key in added if ":heka:saml:assertion:" in key]
    outcome = [key for key in added if ":heka:saml:validated:" in key]
    assert len(replay) == len(outcome) == 1
    assert len(added) == 3  # and the rate-limit counter
    digest = replay[0].rsplit(":", 1)[1]
    assert len(digest) == hashlib.sha256().digest_size * 2
    assert cache.get(replay[0].split(":", 2)[2]) == 1
    kept = cache.get(outcome[0].split(":", 2)[2])
    assert set(kept) == {
        "in_response_to",
        "identity",
        "assertion_id",
        "issuer",
        "loa",
        "name_id",
        "session_index",
        "not_on_or_after",
    }
    assert "010280-952L" not in repr(kept)
    assert saml_response not in repr(kept)
    assert saml.client.get(acs["Location"]).status_code == 302
    assert cache.get(outcome[0].split(":", 2)[2]) is None
