"""Error reports to Sentry when `SENTRY_DSN` is set (OPS-3), scrubbed before they leave.

What a report may hold: the exception's type and stack (file, function, line; no local
variables), the view, the request id, the method and the path with link tokens redacted, and
harmless headers. What it never holds: the request body (form fields), the query string,
cookies, the Authorization header, the user's e-mail or address, identity codes, bank accounts
or credentials anywhere in its text (`redaction.redact` runs over every string of the event).
"""

from typing import Any, cast

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import LoggingIntegration
from sentry_sdk.transport import Transport
from sentry_sdk.types import Event, Hint

from .redaction import redact
from .request_id import current_request_id

_SAFE_HEADERS = {"accept", "accept-language", "content-length", "content-type", "host", "user-agent", "x-request-id"}
# Values under keys that name a secret are dropped whatever they look like.
_SECRET_KEYS = (
    "password",
    "passwd",
    "secret",
    "token",
    "auth",
    "cookie",
    "session",
    "csrf",
    "hetu",
    "identity_code",
    "iban",
    "dsn",
)


def _redact_all(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {
            key: "[Filtered]" if isinstance(key, str) and any(word in key.lower() for word in _SECRET_KEYS) else _redact_all(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_redact_all(item) for item in value]
    return value


def scrub_event(event: Event, hint: Hint | None = None) -> Event:
    # Read as a plain dictionary: an event may carry more than sentry_sdk's TypedDict names.
    request = cast("dict[str, Any] | None", event.get("request"))
    if isinstance(request, dict):
        for field in ("data", "cookies", "query_string", "env"):
            request.pop(field, None)
        headers = request.get("headers") or {}
        request["headers"] = {name: value for name, value in headers.items() if name.lower() in _SAFE_HEADERS}
        if isinstance(request.get("url"), str):
            request["url"] = request["url"].split("?", 1)[0]
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    request_id = current_request_id()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return _redact_all(event)


def scrub_breadcrumb(crumb: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any] | None:
    # SQL breadcrumbs carry parameters (an identity code's hash, an address): leave them out.
    if crumb.get("category") in ("query", "django.db.backends"):
        return None
    return _redact_all(crumb)


def init_sentry(*, dsn: str, environment: str, release: str = "", transport: Transport | type | None = None) -> None:
    options: dict[str, Any] = {}
    if transport is not None:
        options["transport"] = transport
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration(), LoggingIntegration()],
        # Collected at all: no user details, cookies, bodies, query strings, SQL parameters or
        # local variables, and only harmless headers. What remains is redacted in scrub_event.
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "allowlist", "terms": sorted(_SAFE_HEADERS)}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "database_query_data": False,
            "stack_frame_variables": False,
        },
        before_send=scrub_event,
        before_breadcrumb=scrub_breadcrumb,
        traces_sample_rate=0.0,
        **options,
    )
