"""Metrics for Prometheus behind a token (OPS-4): latency per view, the outbox backlog and the age of
its oldest e-mail, task failures, login refusals."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from prometheus_client import REGISTRY

from accounts.models import User
from heka_portal.celery import app
from heka_portal.models import OutboxEmail

TOKEN = "metrics-token-0123456789abcdef"
PASSWORD = "Vanha-Sala1"


@app.task(name="tests.ops.always_fails")
def always_fails() -> None:
    raise RuntimeError("broken on purpose")


@pytest.fixture
def metrics_token(settings):
    settings.HEKA_METRICS_TOKEN = TOKEN
    return TOKEN


def _scrape(client) -> str:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def _value(text: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in text.splitlines():
        metric, _, number = line.rpartition(" ")
        if metric == (f"{name}{{{wanted}}}" if labels else name) or (
            labels and metric.startswith(name + "{") and set(re.findall(r'(\w+="[^"]*")', metric)) == set(wanted.split(","))
        ):
            return float(number)
    return 0.0


def _refusals(reason: str) -> float:
    return REGISTRY.get_sample_value("heka_login_refusals_total", {"reason": reason}) or 0.0


@pytest.mark.django_db
def test_metrics_need_the_token_and_are_off_without_one_OPS_4(client, settings):
    settings.HEKA_METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    settings.HEKA_METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


@pytest.mark.django_db
def test_request_latency_is_measured_per_view_OPS_4(client, metrics_token):
    before = _value(_scrape(client), "heka_request_duration_seconds_count", view="help", method="GET", status="2xx")
    for _ in range(3):
        client.get("/help/")
    client.get("/no-such-page/")
    text = _scrape(client)
    assert _value(text, "heka_request_duration_seconds_count", view="help", method="GET", status="2xx") == before + 3
    assert _value(text, "heka_request_duration_seconds_count", view="unmatched", method="GET", status="4xx") >= 1
    assert "/metrics" not in re.findall(r'view="([^"]*)"', text), "probes are not measured"


@pytest.mark.django_db
def test_outbox_backlog_and_age_of_the_oldest_email_OPS_4(client, metrics_token):
    for n in range(3):
        OutboxEmail.objects.create(idempotency_key=f"m:{n}", to="a@example.com", template="t", language="fi")
    OutboxEmail.objects.create(idempotency_key="m:sent", to="a@example.com", template="t", language="fi", status="sent")
    OutboxEmail.objects.filter(idempotency_key="m:0").update(created_at=timezone.now() - timedelta(minutes=20))

    text = _scrape(client)
    assert _value(text, "heka_outbox_pending_emails") == 3
    assert 1190 < _value(text, "heka_outbox_oldest_pending_age_seconds") < 1260


@pytest.mark.django_db
def test_task_failures_are_counted_for_every_process_OPS_4(client, metrics_token):
    always_fails.apply()
    always_fails.apply()
    assert _value(_scrape(client), "heka_task_failures_total", task="tests.ops.always_fails") == 2


@pytest.mark.django_db
def test_login_refusals_are_counted_by_reason_OPS_4(client, household):
    User.objects.create_user("maija@example.com", PASSWORD, person=household.main_tenant)
    User.objects.create_user("ville@example.com", PASSWORD, person=household.former_tenant)
    before = {reason: _refusals(reason) for reason in ("bad_credentials", "locked", "no_tenancy")}

    for _ in range(5):
        client.post("/accounts/login/", {"login": "maija@example.com", "password": "wrong"})
    client.post("/accounts/login/", {"login": "maija@example.com", "password": PASSWORD})
    client.post("/accounts/login/", {"login": "ville@example.com", "password": PASSWORD})

    assert _refusals("bad_credentials") - before["bad_credentials"] == 5
    assert _refusals("locked") - before["locked"] == 1
    assert _refusals("no_tenancy") - before["no_tenancy"] == 1
