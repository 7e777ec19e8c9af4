"""The SAML service provider against an independent identity provider (pysaml2 + xmlsec1).

`saml` gives the pysaml2 IdP (whose metadata the portal trusts for the test), what it knows of
our SP (read from the SP metadata the portal publishes) and helpers that walk the real views:
start identification, post a response to the ACS, follow the 303 to the finish view.
"""

import zlib
from base64 import b64decode
from types import SimpleNamespace
from typing import Any, cast
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.core.cache import cache
from django.test import Client
from lxml import etree

from .pysaml_idp import PysamlIdentityProvider, ResponseSpec, ServiceProvider, make_signing_key


@pytest.fixture(scope="session")
def idp_keys(tmp_path_factory):
    directory = tmp_path_factory.mktemp("idp-keys")
    return SimpleNamespace(
        first=make_signing_key(directory, "idp-first"),
        second=make_signing_key(directory, "idp-second"),
        attacker=make_signing_key(directory, "attacker"),
    )


def inflate(encoded: str) -> bytes:
    return zlib.decompress(b64decode(encoded), -15)


class SamlFlow:
    def __init__(self, client: Client, idp: PysamlIdentityProvider, sp: ServiceProvider) -> None:
        self.client = client
        self.idp = idp
        self.sp = sp

    def start(self, *, purpose: str = "register", next_url: str = "/after/") -> str:
        """Start identification as the account flows do; return the AuthnRequest's ID."""
        response = self.client.get(f"/test-start/?{urlencode({'purpose': purpose, 'next': next_url})}")
        assert response.status_code == 302, response.content
        self.last_redirect = response["Location"]
        query = parse_qs(urlsplit(response["Location"]).query)
        return etree.fromstring(inflate(query["SAMLRequest"][0])).get("ID")

    def post(self, saml_response: str):
        """POST to the ACS as the browser would, then follow the 303 to the finish view."""
        acs = self.client.post(urlsplit(self.sp.acs_url).path, {"SAMLResponse": saml_response, "RelayState": "relay"})
        assert acs.status_code == 303, acs.content
        return self.client.get(acs["Location"])

    def respond(self, **spec):
        """Start, let the IdP answer with `spec` (defaults: a valid response), post it."""
        request_id = self.start()
        spec.setdefault("request_id", request_id)
        return self.post(self.idp.response(ResponseSpec(**spec), self.sp))

    def identity(self):
        return self.client.session.get("heka_identity")

    def saml_session(self):
        return self.client.session.get("heka_saml_session")


def cache_keys() -> set[str]:
    """Every key in Django's cache (the test's Redis database, or the in-process cache)."""
    backend = cast(Any, cache)._cache  # the backend's own store: Redis' client or a dictionary
    if hasattr(backend, "get_client"):
        return {key.decode() for key in backend.get_client(None).keys("*")}
    return set(backend.keys()) if isinstance(backend, dict) else set(backend)


@pytest.fixture
def saml(db, settings, tmp_path, idp_keys, client):
    settings.ROOT_URLCONF = "tests.saml.urls"
    settings.HEKA_DEV_IDP_ENABLED = False
    idp = PysamlIdentityProvider(signing_keys=[idp_keys.first])
    metadata_file = tmp_path / "idp-metadata.xml"
    metadata_file.write_text(idp.metadata())
    settings.HEKA_SAML_IDP_METADATA_FILE = str(metadata_file)
    metadata = client.get("/saml/metadata/")
    assert metadata.status_code == 200
    return SamlFlow(client, idp, ServiceProvider.from_metadata(metadata.content, tmp_path))


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty replay cache and rate-limit counters (its own Redis database)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def english_pages(client):
    """The assertions read the English pages; tests that check another language set their own."""
    client.cookies["django_language"] = "en"
