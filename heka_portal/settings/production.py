"""Production: PostgreSQL, Redis, Celery workers, SMTP. Refuses to start with anything insecure."""

import base64
import os

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("HEKA_LOG_FORMAT", "json")

from .base import *  # noqa: F403
from .base import (
    CELERY_BROKER_URL,
    DATABASES,
    DEBUG,
    HEKA_SAML_IDP_METADATA_FILE,
    HETU_ENCRYPTION_KEY_FALLBACKS,
    HETU_HASH_KEY_FALLBACKS,
)
from .env import env_bool, env_int, env_key, env_str

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 characters in production.")
if DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be off in production.")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL in production.")
if not CELERY_BROKER_URL:
    raise ImproperlyConfigured("CELERY_BROKER_URL must be set in production (tasks never run in-process there).")
if env_bool("HEKA_DEV_IDP_ENABLED", False):
    raise ImproperlyConfigured("The development identity provider can never be enabled in production.")
HEKA_DEV_IDP_ENABLED = False
if env_bool("HEKA_SAML_TEST_ENVIRONMENT", False):
    raise ImproperlyConfigured("HEKA_SAML_TEST_ENVIRONMENT cannot be on in production: Suomi.fi's test identifier is not strong.")
HEKA_SAML_TEST_ENVIRONMENT = False
if not env_bool("HEKA_ADMIN_REQUIRE_MFA", True):
    raise ImproperlyConfigured("HEKA_ADMIN_REQUIRE_MFA cannot be turned off in production: staff use two factors.")
HEKA_ADMIN_REQUIRE_MFA = True
if not HEKA_SAML_IDP_METADATA_FILE:
    raise ImproperlyConfigured(
        "HEKA_SAML_IDP_METADATA_FILE must be set in production: residents register with strong identification."
    )

if not env_str("HEKA_SITE_URL", ""):
    raise ImproperlyConfigured("HEKA_SITE_URL must be set in production: the https address that e-mailed links open.")

HETU_HASH_KEY = env_key("HEKA_HETU_HASH_KEY")
HETU_ENCRYPTION_KEY = env_key("HEKA_HETU_ENCRYPTION_KEY")
# OPS-5: a key that both finds people and decrypts their codes would undo the separation of the two.
_hash_keys = {base64.urlsafe_b64decode(key) for key in [HETU_HASH_KEY, *HETU_HASH_KEY_FALLBACKS]}
_encryption_keys = {base64.urlsafe_b64decode(key) for key in [HETU_ENCRYPTION_KEY, *HETU_ENCRYPTION_KEY_FALLBACKS]}
if _hash_keys & _encryption_keys:
    raise ImproperlyConfigured(
        "HEKA_HETU_HASH_KEY and HEKA_HETU_ENCRYPTION_KEY (and their fallbacks) must be different keys in production."
    )

EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
if EMAIL_BACKEND.rsplit(".", 2)[-2] in {"console", "locmem", "dummy", "filebased"}:
    raise ImproperlyConfigured("DJANGO_EMAIL_BACKEND must send real e-mail (SMTP) in production.")

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# OPS-7: the __Host- prefix makes browsers keep the cookies only as sent by this very host over
# HTTPS: Secure, Path=/ and no Domain, so no subdomain can set or overwrite them.
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
SESSION_COOKIE_DOMAIN = CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_PATH = CSRF_COOKIE_PATH = "/"
LANGUAGE_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    # The proxy terminates TLS; the SAML Destination check needs the scheme the browser used.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
    # Rate limits count per client (ACC-12): the client is the address the proxy adds, not the proxy.
    ALLAUTH_TRUSTED_PROXY_COUNT = env_int("HEKA_TRUSTED_PROXY_COUNT", 1, minimum=1)
