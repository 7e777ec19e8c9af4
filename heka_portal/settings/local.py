"""A laptop: DEBUG, SQLite unless DATABASE_URL says otherwise, tasks in-process, e-mail printed.

The keys below are for local data only; production refuses to start without its own.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from .base import *  # noqa: F403
from .env import env_bool, env_key, env_str

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "local-development-only-not-secret")
HETU_HASH_KEY = env_key("HEKA_HETU_HASH_KEY", b"bG9jYWwtZGV2LWhldHUtaGFzaC1rZXktMzItYnl0ZXM=")
HETU_ENCRYPTION_KEY = env_key("HEKA_HETU_ENCRYPTION_KEY", b"bG9jYWwtZGV2LWhldHUtZW5jcnlwdGlvbi1rZXktMzI=")
# A laptop identifies against the built-in development identity provider (accounts.devidp).
HEKA_DEV_IDP_ENABLED = env_bool("HEKA_DEV_IDP_ENABLED", True)
# Like Suomi.fi's test environment, which the development identity provider stands in for.
HEKA_SAML_TEST_ENVIRONMENT = env_bool("HEKA_SAML_TEST_ENVIRONMENT", True)
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# The demo's staff login opens the admin without an authenticator app; set 1 to try the second factor.
HEKA_ADMIN_REQUIRE_MFA = env_bool("HEKA_ADMIN_REQUIRE_MFA", False)
