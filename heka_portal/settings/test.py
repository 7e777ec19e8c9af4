"""pytest: SQLite by default, PostgreSQL and Redis when DATABASE_URL / CELERY_BROKER_URL are set."""

import os

os.environ.setdefault("DJANGO_DEBUG", "0")

from .base import *  # noqa: F403
from .base import VAR_DIR
from .env import env_bool, env_str

SECRET_KEY = "test-only-secret-key-that-is-long-enough-for-django-checks-0123456789"  # noqa: S105
HETU_HASH_KEY = b"dGVzdC1vbmx5LWhldHUtaGFzaC1rZXktMzItYnl0ZXM="
HETU_ENCRYPTION_KEY = b"dGVzdC1vbmx5LWhldHUtZW5jcnlwdGlvbi1rZXktMzI="
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# E-mail is captured in memory unless a test process (a real Celery worker) asks for SMTP.
EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
# Tasks run in-process in tests, also when a broker is configured; the tests that need a real
# worker turn this off for themselves, and the worker they start gets HEKA_CELERY_EAGER=0.
CELERY_TASK_ALWAYS_EAGER = env_bool("HEKA_CELERY_EAGER", True)
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_AUTOREFRESH = True
PRIVATE_MEDIA_ROOT = VAR_DIR / "test-private"
STORAGES["default"]["OPTIONS"]["location"] = PRIVATE_MEDIA_ROOT  # noqa: F405
# Admin tests log staff in directly; tests/test_admin_mfa.py turns the second factor on.
HEKA_ADMIN_REQUIRE_MFA = False
