"""Production: PostgreSQL, Redis, Celery workers, SMTP. Refuses to start with anything insecure."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CELERY_BROKER_URL, DATABASES, DEBUG, HEKA_SAML_IDP_METADATA_FILE
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

HETU_HASH_KEY = env_key("HEKA_HETU_HASH_KEY")
HETU_ENCRYPTION_KEY = env_key("HEKA_HETU_ENCRYPTION_KEY")

EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
if EMAIL_BACKEND.rsplit(".", 2)[-2] in {"console", "locmem", "dummy", "filebased"}:
    raise ImproperlyConfigured("DJANGO_EMAIL_BACKEND must send real e-mail (SMTP) in production.")

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
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
