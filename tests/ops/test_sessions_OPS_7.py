"""Sessions end at an absolute lifetime however busy (OPS-7), and production's session and CSRF
cookies carry the __Host- prefix with what it demands: Secure, Path=/ and no Domain."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from accounts.models import User
from heka_portal.ops.sessions import SESSION_KEY
from tests.production_env import production_env

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Vanha-Sala1"


@pytest.fixture
def resident_client(client, household):
    User.objects.create_user("maija@example.com", PASSWORD, person=household.main_tenant, language="en")
    client.cookies["django_language"] = "en"
    assert client.post("/accounts/login/", {"login": "maija@example.com", "password": PASSWORD}).status_code == 302
    return client


def _age_session(client, seconds: float) -> None:
    session = client.session
    session[SESSION_KEY] = time.time() - seconds
    session.save()


def test_login_time_is_written_once_into_the_session_OPS_7(resident_client):
    logged_in_at = resident_client.session[SESSION_KEY]
    assert abs(logged_in_at - time.time()) < 5
    resident_client.get("/")
    assert resident_client.session[SESSION_KEY] == logged_in_at


def test_a_busy_session_ends_at_its_absolute_lifetime_OPS_7(resident_client, settings):
    settings.HEKA_SESSION_ABSOLUTE_SECONDS = 8 * 3600
    _age_session(resident_client, 8 * 3600 - 60)
    assert resident_client.get("/dashboard/").status_code == 200  # still within the lifetime, and active

    _age_session(resident_client, 8 * 3600 + 1)
    response = resident_client.get("/dashboard/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in resident_client.session
    page = resident_client.get(response["Location"]).content.decode()
    assert "you are asked to log in again after 8 hours" in page


def test_the_default_absolute_lifetime_is_eight_hours_beside_the_idle_half_hour_OPS_7(settings):
    assert settings.HEKA_SESSION_ABSOLUTE_SECONDS == 8 * 3600
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def _production_cookie_settings() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "HEKA_", "DATABASE_", "CELERY_"))}
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({name: getattr(s, name) "
        "for name in ['SESSION_COOKIE_NAME', 'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_PATH', 'SESSION_COOKIE_DOMAIN', "
        "'CSRF_COOKIE_NAME', 'CSRF_COOKIE_SECURE', 'CSRF_COOKIE_PATH', 'CSRF_COOKIE_DOMAIN']}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**env, **production_env()}, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_cookies_use_the_host_prefix_with_its_conditions_OPS_7():
    flags = _production_cookie_settings()
    assert flags == {
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_PATH": "/",
        "SESSION_COOKIE_DOMAIN": None,
        "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_PATH": "/",
        "CSRF_COOKIE_DOMAIN": None,
    }


def test_host_prefixed_cookies_are_sent_as_browsers_accept_them_OPS_7(client, household, settings):
    for name, value in _production_cookie_settings().items():
        setattr(settings, name, value)
    User.objects.create_user("maija@example.com", PASSWORD, person=household.main_tenant)
    login_page = client.get("/accounts/login/", secure=True)
    response = client.post("/accounts/login/", {"login": "maija@example.com", "password": PASSWORD}, secure=True)
    assert response.status_code == 302

    for cookie in (login_page.cookies["__Host-csrftoken"], response.cookies["__Host-sessionid"]):
        header = cookie.output()
        assert "Secure" in header
        assert "Path=/;" in header or header.endswith("Path=/")
        assert "Domain" not in header
