"""pytest: SQLite by default, PostgreSQL and Redis when DATABASE_URL / CELERY_BROKER_URL are set."""

import os

os.environ.setdefault("DJANGO_DEBUG", "0")

from .base import *  # noqa: F403
from .base import VAR_DIR

SECRET_KEY = "test-only-secret-key-that-is-long-enough-for-django-checks-0123456789"  # noqa: S105
HETU_HASH_KEY = b"dGVzdC1vbmx5LWhldHUtaGFzaC1rZXktMzItYnl0ZXM="
HETU_ENCRYPTION_KEY = b"dGVzdC1vbmx5LWhldHUtZW5jcnlwdGlvbi1rZXktMzI="
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_AUTOREFRESH = True
PRIVATE_MEDIA_ROOT = VAR_DIR / "test-private"
STORAGES["default"]["OPTIONS"]["location"] = PRIVATE_MEDIA_ROOT  # noqa: F405
