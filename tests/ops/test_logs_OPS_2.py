"""Structured logs (OPS-2): JSON in production, a request id from X-Request-ID (or made) on every
record and in the answer, and nothing secret in any record: no identity code, link token,
password or full bank account, whatever a record's message, arguments or traceback hold."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from heka_portal.ops.logs import RedactingFormatter, RedactingJsonFormatter
from heka_portal.ops.redaction import redact
from heka_portal.ops.request_id import RequestIdFilter
from tests.production_env import production_env

ROOT = Path(__file__).resolve().parents[2]
HETU = "010280-952L"
IBAN = "FI21 1234 5600 0007 85"
TOKEN = "WzEsImFiYyJd:1tXyZq:Sg3cR3t-T0k3n"
PASSWORD = "Salainen-Sana9"


@pytest.fixture
def records():
    """The console handler of LOGGING, as production configures it: JSON, redacted, with the request id."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactingJsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)

    def read() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield read
    root.removeHandler(handler)


def test_no_identity_code_token_password_or_bank_account_reaches_a_record_OPS_2(records):
    logger = logging.getLogger("heka.tests")
    logger.warning("Person %s changed account to %s", HETU, IBAN.replace(" ", ""))
    logger.warning("Opened /accounts/activate/%s/ with password=%s", TOKEN, PASSWORD)
    logger.info("IBAN typed as %s, code in lower case %s", IBAN.lower(), HETU.lower(), extra={"request": f"/?q={HETU}"})
    try:
        raise ValueError(f"bad input {HETU} for {IBAN}")
    except ValueError:
        logger.exception("Failed for %s", HETU)

    text = json.dumps(records())
    for secret in (HETU, HETU.lower(), IBAN, IBAN.replace(" ", ""), IBAN.lower(), TOKEN, PASSWORD):
        assert secret not in text, secret
    assert "[hetu]" in text
    assert "[iban]" in text
    assert "/accounts/activate/[token]/" in text
    assert records()[-1]["exc_info"].startswith("Traceback")
    assert all(set(record) <= {"time", "level", "logger", "message", "request_id", "exc_info"} for record in records())


def test_redaction_keeps_what_only_looks_like_a_bank_account_OPS_2():
    # An invoice reference or a digest is not an IBAN (its check digits do not hold).
    text = "reference RF18 5390 0754 7034 and FI99 1234 5600 0007 85, digest ab12cdef0123456789abcdef"
    assert redact(text) == text
    assert redact("born 2026-12-01, phone 0401234567") == "born 2026-12-01, phone 0401234567"


def test_a_bank_account_followed_by_words_is_still_found_OPS_2():
    assert redact(f"account {IBAN} and more text") == "account [iban] and more text"
    assert redact("tili fi2112345600000785 ok") == "tili [iban] ok"


def test_plain_format_is_redacted_too_OPS_2():
    formatter = RedactingFormatter("%(message)s")
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "code %s", (HETU,), None)
    assert formatter.format(record) == "code [hetu]"


@pytest.mark.django_db
def test_request_id_comes_from_the_proxy_reaches_every_record_and_the_answer_OPS_2(client, records):
    response = client.post(
        "/accounts/login/", {"login": "nobody@example.com", "password": PASSWORD}, HTTP_X_REQUEST_ID="proxy-0123456789abcdef"
    )
    assert response["X-Request-ID"] == "proxy-0123456789abcdef"
    failed = [record for record in records() if record["message"] == "Failed login attempt"]
    assert failed
    assert {record["request_id"] for record in failed} == {"proxy-0123456789abcdef"}
    assert PASSWORD not in json.dumps(records())


@pytest.mark.django_db
def test_a_request_id_is_made_when_none_or_a_hostile_one_comes_OPS_2(client):
    made = client.get("/help/")["X-Request-ID"]
    assert len(made) == 32
    assert int(made, 16) >= 0
    hostile = client.get("/help/", HTTP_X_REQUEST_ID='x" \n{"level": "CRITICAL"}')["X-Request-ID"]
    assert hostile != made
    assert "\n" not in hostile
    assert len(hostile) == 32


def test_production_logs_are_json_and_laptops_plain_OPS_2():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.LOGGING['handlers']['console']['formatter'])"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "HEKA_", "DATABASE_", "CELERY_"))}
    production = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**base, **production_env()}, capture_output=True, text=True, timeout=60
    )
    local = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "heka_portal.settings.local"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert production.stdout.split()[-1] == "json", production.stderr
    assert local.stdout.split()[-1] == "plain", local.stderr


@override_settings(HEKA_LOG_FORMAT="json")
def test_celery_leaves_the_logging_to_django_so_workers_log_the_same_way_OPS_2(settings):
    assert settings.CELERY_WORKER_HIJACK_ROOT_LOGGER is False
