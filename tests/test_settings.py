"""Settings are read strictly from the environment; production refuses insecure configurations (X-5)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from heka_portal.settings.env import env_bool, env_iban, env_int, env_key, env_list
from tests.production_env import production_env

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = production_env()


def load_production_settings(**overrides: str | None) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "HEKA_", "DATABASE_", "CELERY_"))}
    env.update(PRODUCTION_ENV)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    code = "import django; django.setup(); from django.conf import settings; print('DEBUG', settings.DEBUG)"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_production_settings_start_with_everything_set():
    result = load_production_settings()
    assert result.returncode == 0, result.stderr
    assert "DEBUG False" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY must be set"),
        ({"DJANGO_SECRET_KEY": "short"}, "DJANGO_SECRET_KEY must be at least 50"),
        ({"DJANGO_DEBUG": "1"}, "DJANGO_DEBUG must be off"),
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG must be one of"),
        ({"DATABASE_URL": "sqlite:////tmp/x.sqlite3"}, "DATABASE_URL must point to PostgreSQL"),
        ({"CELERY_BROKER_URL": None}, "CELERY_BROKER_URL must be set"),
        ({"HEKA_HETU_HASH_KEY": None}, "HEKA_HETU_HASH_KEY must be set"),
        ({"HEKA_SAML_IDP_METADATA_FILE": None}, "HEKA_SAML_IDP_METADATA_FILE must be set in production"),
        ({"HEKA_ADMIN_REQUIRE_MFA": "0"}, "HEKA_ADMIN_REQUIRE_MFA cannot be turned off in production"),
        ({"HEKA_HETU_ENCRYPTION_KEY": "dG9vLXNob3J0"}, "HEKA_HETU_ENCRYPTION_KEY must decode to 32 bytes"),
        ({"HEKA_SESSION_IDLE_SECONDS": "soon"}, "HEKA_SESSION_IDLE_SECONDS must be a whole number"),
        ({"HEKA_DEV_IDP_ENABLED": "1"}, "development identity provider can never be enabled in production"),
    ],
    ids=lambda value: str(value)[:40],
)
def test_production_refuses_to_start_and_names_the_variable(overrides, message):
    result = load_production_settings(**overrides)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_env_readers_are_strict(monkeypatch):
    monkeypatch.setenv("HEKA_FLAG", "yes")
    monkeypatch.setenv("HEKA_NUMBER", "12")
    monkeypatch.setenv("HEKA_HOSTS", "a.example, b.example,")
    assert env_bool("HEKA_FLAG") is True
    assert env_int("HEKA_NUMBER", minimum=1) == 12
    assert env_list("HEKA_HOSTS") == ["a.example", "b.example"]
    monkeypatch.setenv("HEKA_NUMBER", "0")
    with pytest.raises(ImproperlyConfigured, match="HEKA_NUMBER must be at least 1"):
        env_int("HEKA_NUMBER", minimum=1)
    monkeypatch.setenv("HEKA_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="HEKA_FLAG"):
        env_bool("HEKA_FLAG")
    monkeypatch.setenv("HEKA_KEY", "%%%")
    with pytest.raises(ImproperlyConfigured, match="HEKA_KEY"):
        env_key("HEKA_KEY")


def test_laptop_default_needs_no_services():
    """X-5: with nothing configured, local settings use SQLite, in-process tasks and the console."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "HEKA_", "DATABASE_", "CELERY_", "REDIS_"))
    }
    env["DJANGO_SETTINGS_MODULE"] = "heka_portal.settings.local"
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND, s.DEBUG)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.console.EmailBackend",
        "True",
    ]


def test_docker_compose_environment_starts_production_settings():
    """docker-compose.yml and docs/production.env.example name exactly what production needs (X-5)."""
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    env = dict(compose["x-app"]["environment"])
    for line in (ROOT / "docs/production.env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key] = value
    filled = {key: str(value).replace("${POSTGRES_PASSWORD}", "pw") for key, value in env.items()}
    for key in ("DJANGO_SECRET_KEY", "HEKA_HETU_HASH_KEY", "HEKA_HETU_ENCRYPTION_KEY"):
        assert filled[key] == "", f"{key} must be left for the operator to fill in"
        filled[key] = PRODUCTION_ENV[key]
    for key in ("HEKA_SAML_SP_CERT_FILE", "HEKA_SAML_SP_KEY_FILE", "HEKA_SAML_IDP_METADATA_FILE"):
        assert filled[key].startswith("/app/saml/"), f"{key} must name a file in the mounted saml/ folder"
        filled[key] = PRODUCTION_ENV[key]  # the same names, in a folder that exists here
    filled["DJANGO_SETTINGS_MODULE"] = "heka_portal.settings.production"  # set by the Dockerfile
    result = load_production_settings(**{key: filled.get(key) for key in PRODUCTION_ENV | filled})
    assert result.returncode == 0, result.stderr


def test_production_settings_pass_check_deploy_without_warnings():
    """`manage.py check --deploy`: HTTPS-only cookies, HSTS, SSL redirect, a strong secret key."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "HEKA_", "DATABASE_", "CELERY_"))}
    env.update(PRODUCTION_ENV)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_payment_account_must_be_a_finnish_iban_with_right_check_digits_PAY_2(monkeypatch):
    monkeypatch.setenv("HEKA_PAYMENT_IBAN", "FI44 1234 5600 0999 90")
    assert env_iban("HEKA_PAYMENT_IBAN") == "FI44 1234 5600 0999 90"
    for wrong in ("FI79 1234 5600 0007 85", "DE89 3704 0044 0532 0130 00", "FI44-1234", ""):
        monkeypatch.setenv("HEKA_PAYMENT_IBAN", wrong)
        with pytest.raises(ImproperlyConfigured, match="HEKA_PAYMENT_IBAN must be a Finnish IBAN"):
            env_iban("HEKA_PAYMENT_IBAN")
