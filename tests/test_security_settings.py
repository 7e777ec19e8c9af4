"""What `check --deploy` does not look at: the password validators, the session lifetime, the
24-hour links and the cookie flags of production (X-7, X-9, ACC-3, ACC-6, ACC-7, APP-3)."""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from accounts.tokens import ACTIVATION_LINK_MAX_AGE
from applications.links import co_applicant_link_lifetime, username_link_lifetime
from tests.production_env import production_env

ROOT = Path(__file__).resolve().parent.parent
DAY = datetime.timedelta(hours=24)


def test_django_password_checks_apply_to_every_password_X_9():
    names = {validator["NAME"].rsplit(".", 1)[-1] for validator in settings.AUTH_PASSWORD_VALIDATORS}
    assert {"UserAttributeSimilarityValidator", "CommonPasswordValidator", "NumericPasswordValidator"} <= names


def test_idle_sessions_expire_after_thirty_minutes_ACC_6():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    # PRF-2: renewed by the activity written at most once a minute, not by saving every request.
    assert not settings.SESSION_SAVE_EVERY_REQUEST
    assert "heka_portal.ops.sessions.SessionActivityMiddleware" in settings.MIDDLEWARE
    assert settings.HEKA_SESSION_ACTIVITY_SECONDS == 60
    assert settings.SESSION_COOKIE_HTTPONLY


def test_links_sent_by_email_live_24_hours_ACC_3_ACC_7_APP_3():
    assert ACTIVATION_LINK_MAX_AGE == DAY
    assert datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT) == DAY
    assert co_applicant_link_lifetime() == DAY
    assert username_link_lifetime() == DAY


def test_production_cookies_are_secure_and_not_readable_by_scripts():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "HEKA_", "DATABASE_", "CELERY_"))}
    env.update(production_env())
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({"
        "'session_secure': s.SESSION_COOKIE_SECURE, 'session_httponly': s.SESSION_COOKIE_HTTPONLY, "
        "'session_samesite': s.SESSION_COOKIE_SAMESITE, 'csrf_secure': s.CSRF_COOKIE_SECURE, "
        "'csrf_httponly': s.CSRF_COOKIE_HTTPONLY, 'language_secure': s.LANGUAGE_COOKIE_SECURE, "
        "'hsts': s.SECURE_HSTS_SECONDS, 'ssl_redirect': s.SECURE_SSL_REDIRECT, 'mfa': s.HEKA_ADMIN_REQUIRE_MFA}))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    flags = json.loads(result.stdout.strip().splitlines()[-1])
    assert flags == {
        "session_secure": True,
        "session_httponly": True,
        "session_samesite": "Lax",
        "csrf_secure": True,
        "csrf_httponly": True,
        "language_secure": True,
        "hsts": 31536000,
        "ssl_redirect": True,
        "mfa": True,
    }
