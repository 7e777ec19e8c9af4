"""Production sends real e-mail and counts rate limits per client behind the proxy (ACC-12, ACC-13, X-5)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.production_env import production_env

ROOT = Path(__file__).resolve().parent.parent.parent


def _production(**overrides: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "HEKA_", "DATABASE_", "CELERY_"))}
    env.update(production_env())
    env.update(overrides)
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.ALLAUTH_TRUSTED_PROXY_COUNT, s.CELERY_TASK_ALWAYS_EAGER)"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_production_sends_email_by_smtp_from_celery_workers_ACC_13():
    result = _production()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.core.mail.backends.smtp.EmailBackend", "0", "False"]


@pytest.mark.parametrize("backend", ["console", "locmem", "dummy", "filebased"])
def test_production_refuses_an_email_backend_that_sends_nothing_ACC_13(backend):
    result = _production(DJANGO_EMAIL_BACKEND=f"django.core.mail.backends.{backend}.EmailBackend")
    assert result.returncode != 0
    assert "DJANGO_EMAIL_BACKEND must send real e-mail" in result.stderr


def test_behind_the_proxy_rate_limits_count_the_client_address_ACC_12():
    result = _production(DJANGO_BEHIND_TLS_PROXY="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1] == "1"
