"""Error reports (OPS-3): with a DSN set, an unhandled error reaches Sentry scrubbed. The event is
captured by a local transport and searched for everything that must not leave the portal."""

import io
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode
from wsgiref.util import setup_testing_defaults

import pytest
import sentry_sdk
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from sentry_sdk.transport import Transport

from heka_portal.ops.sentry import init_sentry

HETU = "010280-952L"
IBAN = "FI2112345600000785"
TOKEN = "WzEsImFiYyJd:1tXyZq:Sg3cR3t-T0k3n"
PASSWORD = "Salainen-Sana9"
SESSION = "s3ss10nk3yv4lu3abcdefghijklmnopq"
CSRF = "Cs4fT0k3nV4lu3abcdefghijklmnopqrs"


class CapturingTransport(Transport):
    def __init__(self, options: dict | None = None) -> None:
        super().__init__(options)
        self.events: list[dict] = []

    def capture_envelope(self, envelope) -> None:
        for item in envelope.items:
            if item.type == "event":
                self.events.append(json.loads(item.get_bytes()))


@pytest.fixture
def sentry_events():
    transport = CapturingTransport()
    init_sentry(dsn="https://public@sentry.example/1", environment="test", transport=transport)
    yield transport.events
    sentry_sdk.init(dsn=None)


def _post_through_wsgi(path: str, query: str, form: dict, **headers: str) -> str:
    """The request as gunicorn hands it to Django (Sentry reads the request from the WSGI call)."""
    body = urlencode(form).encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "HTTP_HOST": "testserver",
        **{f"HTTP_{name.upper()}": value for name, value in headers.items()},
    }
    setup_testing_defaults(environ)
    statuses: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], object]:
        statuses.append(status)
        return lambda data: None

    # As Django's test client does: the test's transaction keeps its connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        b"".join(WSGIHandler()(environ, start_response))
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return statuses[0]


@pytest.mark.django_db
@pytest.mark.urls("tests.ops.urls")
def test_error_report_has_no_identity_code_account_token_cookie_or_form_body_OPS_3(sentry_events):
    status = _post_through_wsgi(
        f"/accounts/activate/{TOKEN}/boom/",
        f"hetu={HETU}",
        {"hetu": HETU, "iban": IBAN, "password": PASSWORD, "message": "my own words"},
        cookie=f"sessionid={SESSION}; csrftoken={CSRF}",
        authorization=f"Bearer {PASSWORD}",
        x_request_id="proxy-0123456789abcdef",
        user_agent="Mozilla/5.0 (test)",
    )
    assert status.startswith("500")
    sentry_sdk.flush()

    assert len(sentry_events) == 1
    event = sentry_events[0]
    text = json.dumps(event)
    for secret in (HETU, IBAN, TOKEN, PASSWORD, SESSION, CSRF, "my own words"):
        assert secret not in text, secret
    # What the report is for is still there: the error, where it happened, which request.
    exception = event["exception"]["values"][-1]
    assert exception["type"] == "ValueError"
    assert "[hetu]" in exception["value"]
    assert "[iban]" in exception["value"]
    assert any(frame["function"] == "explode" for frame in exception["stacktrace"]["frames"])
    assert all("vars" not in frame for frame in exception["stacktrace"]["frames"])
    request = event["request"]
    assert request["url"] == "http://testserver/accounts/activate/[token]/boom/"
    assert request["method"] == "POST"
    assert request["headers"]["User-Agent"] == "Mozilla/5.0 (test)"
    assert {"data", "cookies", "query_string"}.isdisjoint(request)
    assert {name.lower() for name in request["headers"]} <= {
        "content-length",
        "content-type",
        "host",
        "user-agent",
        "x-request-id",
    }
    assert event["tags"]["request_id"] == "proxy-0123456789abcdef"


def test_without_a_dsn_nothing_is_sent_OPS_3(settings):
    assert settings.SENTRY_DSN == ""
    assert sentry_sdk.get_client().transport is None
