"""Hypothesis strategies of hostile form input, and the checks every fuzzed answer must pass (X-4).

A submission is a dict for the Django test client: each field is either a plausible value, a hostile
one, several values at once (a list where one is expected), or missing; unexpected fields may be
added. The checks: no 5xx, a clear answer (a redirect, or the page with an error message, or a
known refusal), and no partial write (the row counts of the apps' tables change only on success).
"""

import string
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.apps import apps
from django.db import models
from hypothesis import HealthCheck, Phase, event, settings
from hypothesis import strategies as st

# Hypothesis keeps examples small; each example posts a form or two, so a few dozen run in seconds.
# The explain phase re-runs a failure hundreds of times; the shrunk example says enough.
FUZZ = settings(
    max_examples=30,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Lone surrogates cannot be sent as UTF-8 by any browser, so they never reach a form.
PRINTABLE = st.characters(exclude_categories=["Cs"])
CONTROL = st.one_of(
    st.characters(min_codepoint=0, max_codepoint=0x1F),
    st.sampled_from("\x7f\x85\u200b\u200e\u202e\u2028\u2029\ufeff\ufffd"),
)

INJECTIONS = [
    "' OR '1'='1",
    "'; DROP TABLE accounts_user; --",
    "1; SELECT pg_sleep(5)--",
    '" OR ""="',
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(document.cookie)",
    "{{ 7*7 }}",
    "{% debug %}",
    "${7*7}",
    "%s%s%s%n",
    "%(secret)s",
    "../../../../etc/passwd",
    "\x00",
    "a\x00b",
    "%00",
    "\u202egnp.exe",
    "admin@example.com\r\nBcc: victim@example.com",
    "a@b",
    "@",
    "@@example.com",
    "NaN",
    "-Infinity",
    "sNaN",
    "1e309",
    "1e-400",
    "-0",
    "0x1F",
    "9" * 5000,
    "-99999999999999999999",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "31.12.2026",
    "2026-1-1T25:61",
    "yesterday",
    "",
    " ",
    "\t\n",
    "None",
    "null",
    "true",
    "[]",
    "{}",
    '{"$gt": ""}',
]


def _long(piece: str, times: int) -> str:
    return (piece * times)[:10_000]


hostile = st.one_of(
    st.sampled_from(INJECTIONS),
    st.text(PRINTABLE, max_size=200),
    st.text(st.one_of(CONTROL, PRINTABLE), max_size=40),
    st.builds("{}\x00{}".format, st.text(PRINTABLE, max_size=20), st.text(PRINTABLE, max_size=20)),
    st.builds(_long, st.text(PRINTABLE, min_size=1, max_size=3), st.integers(2_000, 10_000)),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats().map(str),
    st.dates(min_value=date(1, 1, 1)).map(date.isoformat),
)
"""One hostile value of a form field."""


def value(plausible: st.SearchStrategy) -> st.SearchStrategy:
    """A field's value: plausible, hostile, or a list where one value is expected."""
    return st.one_of(plausible, hostile, st.lists(st.one_of(plausible, hostile), min_size=2, max_size=3))


extra_fields = st.dictionaries(st.text(string.ascii_letters + "_-[]", min_size=1, max_size=20), hostile, max_size=3)


def submissions(fields: dict[str, st.SearchStrategy], *, fixed: dict | None = None) -> st.SearchStrategy:
    """A form submission: every field plausible (so that some are accepted), or each field
    plausible, hostile, a list, or missing; with unexpected fields added in either case.
    `fixed` fields are always sent as given."""
    complete = st.fixed_dictionaries(fields)
    tampered = st.fixed_dictionaries({}, optional={name: value(strategy) for name, strategy in fields.items()})
    return st.builds(lambda extra, data: posted({**extra, **data, **(fixed or {})}), extra_fields, st.one_of(complete, tampered))


def posted(data: dict) -> dict:
    """What a browser sends: never an empty body, since every form carries its CSRF token (the
    test client does not check it)."""
    return {"csrfmiddlewaretoken": "x" * 64, **data}


def as_received(value: Any) -> Any:
    """The value a form reads from a field posted as `value`: Django's QueryDict gives the last of
    several values sent under one name."""
    if isinstance(value, list):
        return value[-1] if value else ""
    return value


def plausible_text(max_size: int = 60) -> st.SearchStrategy:
    return st.text(string.ascii_letters + "äöåÄÖ -'", min_size=1, max_size=max_size).filter(str.strip)


def iso(min_value: date = date(1900, 1, 1), max_value: date = date(2100, 1, 1)) -> st.SearchStrategy:
    return st.dates(min_value=min_value, max_value=max_value).map(date.isoformat)


plausible_email = st.emails().filter(lambda e: len(e) <= 254)

# -- checks ---------------------------------------------------------------------------------------

FUZZED_APPS = ("accounts", "account", "tenancy", "servicerequests", "bookings", "applications", "heka_portal", "mfa")

ERROR_MARKERS = ("field-error", "notice-error", 'role="alert"', "errorlist")


def _models() -> list[type[models.Model]]:
    found: list[type[models.Model]] = []
    for label in FUZZED_APPS:
        try:
            found.extend(apps.get_app_config(label).get_models())
        except LookupError:
            continue
    return [model for model in found if not model._meta.proxy]


def row_counts() -> dict[str, int]:
    """Rows of every table of the portal's apps, by table."""
    return {model._meta.db_table: model._default_manager.count() for model in _models()}


def changed(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {table: after[table] - before[table] for table in before if after[table] != before[table]}


def body_of(response) -> str:
    return response.content.decode(errors="replace") if not getattr(response, "streaming", False) else ""


def post(client, path: str, data: dict, **extra: Any):
    """POST `data`; the answer is never a server error. Its status is noted in the statistics
    (pytest --hypothesis-show-statistics) to show that both refusals and successes were tried."""
    response = client.post(path, data, **extra)
    event(f"HTTP {response.status_code}")
    assert_no_server_error(response)
    return response


def assert_no_server_error(response) -> None:
    assert response.status_code < 500, body_of(response)[:3000]


def assert_rejected_clearly(response, *, also: Iterable[str] = ()) -> None:
    """A refused submission shows the form again with an error message, or redirects."""
    assert_no_server_error(response)
    if 300 <= response.status_code < 400:
        return
    body = body_of(response)
    assert response.status_code in (200, 400, 403, 404, 409, 410, 429), response.status_code
    markers = (*ERROR_MARKERS, *also)
    assert any(marker in body for marker in markers), (
        f"no error message on a refused form ({response.status_code}):\n{body[:3000]}"
    )


# -- bodies no form would send --------------------------------------------------------------------

CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=utf-16",
    "application/x-www-form-urlencoded; charset=no-such-charset",
    "multipart/form-data",
    "multipart/form-data; boundary=BoUnDaRy",
    "multipart/form-data; boundary=",
    "application/json",
    "text/plain",
    "",
]

raw_bodies = st.tuples(
    st.sampled_from(CONTENT_TYPES),
    st.one_of(
        st.binary(max_size=2000),
        st.sampled_from(
            [
                b"email=%FF%FE%00&password1=%C3%28",
                b"a=1&a=2&a[]=3&=&&&==",
                b'{"email": ["x@example.com"], "password1": {"$ne": null}}',
                b'--BoUnDaRy\r\nContent-Disposition: form-data; name="email"\r\n\r\nx\r\n',
                b'--BoUnDaRy\r\nContent-Disposition: form-data; name="photos"; filename="../../x.png"\r\n'
                b"Content-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n\r\n--BoUnDaRy--\r\n",
                b"%" * 1000,
            ]
        ),
        st.text(max_size=500).map(str.encode),
    ),
)
"""(content type, body) of a POST that no browser form would make."""


def post_raw(client, path: str, content_type: str, body: bytes):
    response = client.generic("POST", path, body, content_type=content_type)
    event(f"HTTP {response.status_code}")
    assert_no_server_error(response)
    return response
