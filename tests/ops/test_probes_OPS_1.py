"""/healthz and /readyz (OPS-1): JSON, no secrets, 200/503, cheap, and outside sessions, rate
limits, host checks and the HTTPS redirect, as a platform's probes need."""

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.utils import timezone

from accounts.saml import certificates
from heka_portal.models import OutboxEmail
from tests.outbox.conftest import UNREACHABLE_BROKER

READYZ_CHECKS = ("database", "cache", "broker", "outbox", "certificates")


def _secrets() -> list[str]:
    values = [settings.SECRET_KEY, settings.HETU_HASH_KEY.decode(), settings.HETU_ENCRYPTION_KEY.decode()]
    values += [settings.CELERY_BROKER_URL, settings.DATABASES["default"]["NAME"], "hunter2", "db.internal", "10.0.0.5"]
    return [value for value in values if value]


def test_healthz_answers_without_any_io_session_or_cookie_OPS_1(client, monkeypatch):
    """No database here (pytest-django refuses any query without the db mark), and no cache."""

    def no_io(*args, **kwargs):
        raise AssertionError("/healthz touched the cache")

    for method in ("get", "set", "add", "get_many"):
        monkeypatch.setattr(cache, method, no_io)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies


@pytest.mark.django_db
def test_probes_ignore_host_https_redirect_and_cookies_of_a_logged_in_browser_OPS_1(client, settings, django_user_model):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["asukas.heka.example"]
    user = django_user_model.objects.create_user("probe@example.com", "x")
    client.force_login(user)
    sessions = Session.objects.count()
    session_row = Session.objects.get()

    for path in ("/healthz", "/readyz", "/healthz/"):
        response = client.get(path, HTTP_HOST="10.128.4.17:8000")  # a pod address, over plain HTTP
        assert response.status_code == 200, (path, response.content)
        assert not response.cookies

    assert Session.objects.count() == sessions
    assert Session.objects.get().expire_date == session_row.expire_date, "a probe must not renew a session"
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_readyz_reports_every_check_as_json_without_secrets_OPS_1(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    report = response.json()
    assert set(report["checks"]) == set(READYZ_CHECKS)
    for name in ("database", "cache", "broker", "outbox"):
        assert report["checks"][name]["status"] == "ok", report
    body = response.content.decode()
    for secret in _secrets():
        assert secret not in body


@pytest.mark.django_db
def test_readyz_is_503_when_a_check_fails_and_names_only_the_error_class_OPS_1(client, settings):
    settings.HEKA_READINESS_CHECKS = ("heka_portal.ops.readiness.database", "tests.ops.checks.failing")
    response = client.get("/readyz")
    assert response.status_code == 503
    report = response.json()
    assert report["status"] == "error"
    assert report["checks"]["failing"] == {
        "status": "error",
        "error": "OperationalError",
        "ms": report["checks"]["failing"]["ms"],
    }
    for secret in _secrets():
        assert secret not in response.content.decode()


@pytest.mark.django_db
def test_readyz_warning_keeps_serving_200_OPS_1(client, settings):
    settings.HEKA_READINESS_CHECKS = ("heka_portal.ops.readiness.database", "tests.ops.checks.degraded")
    response = client.get("/readyz")
    assert (response.status_code, response.json()["status"]) == (200, "warning")


@pytest.mark.django_db
def test_readyz_warns_when_the_oldest_unsent_email_is_too_old_OPS_1(client, settings):
    settings.HEKA_READINESS_OUTBOX_MAX_AGE_SECONDS = 600
    email = OutboxEmail.objects.create(idempotency_key="ops:1", to="a@example.com", template="t", language="fi")
    OutboxEmail.objects.filter(pk=email.pk).update(created_at=timezone.now() - timedelta(minutes=11))
    OutboxEmail.objects.create(idempotency_key="ops:2", to="b@example.com", template="t", language="fi", status="sent")

    check = client.get("/readyz").json()["checks"]["outbox"]
    assert check["status"] == "warning"
    assert check["pending"] == 1
    assert 650 <= check["oldest_age_seconds"] < 700


@pytest.mark.django_db
def test_readyz_broker_down_is_a_warning_as_email_waits_in_the_outbox_OPS_1_X_6(client, settings):
    settings.CELERY_BROKER_URL = UNREACHABLE_BROKER
    response = client.get("/readyz")
    assert response.status_code == 200
    broker = response.json()["checks"]["broker"]
    assert broker["status"] == "warning"
    assert "9/0" not in response.content.decode()


@pytest.mark.redis
def test_readyz_broker_check_reads_the_memory_limit_OPS_1_SFI_7(client, db):
    broker = client.get("/readyz").json()["checks"]["broker"]
    assert broker["status"] == "ok"  # this Redis has no limit; with one, the share used is shown


@pytest.mark.django_db
def test_readyz_reports_certificate_expiry_from_the_certificate_report_OPS_1_SFI_5(client, monkeypatch):
    # The shape accounts.saml.certificates reports (SFI-5), with something that must not be shown.
    def report(*, now=None):
        return [
            {
                "certificate": "sp",
                "index": 0,
                "use": "signing and encryption",
                "status": "ok",
                "not_after": "2028-01-01",
                "days_left": 400,
            },
            {
                "certificate": "idp",
                "index": 1,
                "use": "signing",
                "status": "expired",
                "not_after": "2026-01-01",
                "pem": "-----BEGIN CERTIFICATE-----",
            },
        ]

    monkeypatch.setattr(certificates, "certificate_report", report)

    response = client.get("/readyz")
    check = response.json()["checks"]["certificates"]
    assert response.status_code == 200
    assert check["status"] == "warning"
    assert check["certificates"] == [
        {
            "certificate": "sp",
            "index": 0,
            "use": "signing and encryption",
            "status": "ok",
            "not_after": "2028-01-01",
            "days_left": 400,
        },
        {"certificate": "idp", "index": 1, "use": "signing", "status": "expired", "not_after": "2026-01-01"},
    ]
    assert "BEGIN CERTIFICATE" not in response.content.decode()


@pytest.mark.django_db
def test_readyz_unreadable_certificates_warn_without_taking_the_portal_down_OPS_1_SFI_5(client, monkeypatch):

    def broken(*, now=None):
        raise ValueError("certificate 0 of https://idp.example cannot be read")

    monkeypatch.setattr(certificates, "certificate_report", broken)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["certificates"]["status"] == "warning"
    assert "idp.example" not in response.content.decode()


@pytest.mark.django_db
def test_readyz_runs_its_checks_at_most_once_in_a_while_OPS_1(client, settings, django_assert_num_queries):
    settings.HEKA_READINESS_CACHE_SECONDS = 60
    first = client.get("/readyz").json()
    with django_assert_num_queries(0):
        for _ in range(20):
            assert json.loads(client.get("/readyz").content) == first
