"""Settings shared by every environment. Values that differ come from the environment.

`local` (a laptop, the default of manage.py), `test` (pytest) and `production` (wsgi, celery)
build on this module; production refuses to start with anything insecure.
"""

from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_iban, env_int, env_list, env_path, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = env_path("HEKA_VAR_DIR", BASE_DIR / "var")

DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
# A form sent from an expired page gets a plain explanation, and keeps what was typed where the
# view can (SRQ-6), instead of Django's bare 403.
CSRF_FAILURE_VIEW = "heka_portal.views.csrf_failure"

INSTALLED_APPS = [
    "heka_portal.admin_config.HekaAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "heka_portal",
    "accounts",
    "tenancy",
    "servicerequests",
    "bookings",
    "applications",
    "documents",
    "retention",
    "notifications",
]

MIDDLEWARE = [
    # OPS-1, OPS-2, OPS-4: probes answered first; a request id and a timing for everything else.
    "heka_portal.ops.probes.ProbeMiddleware",
    "heka_portal.ops.request_id.RequestIdMiddleware",
    "heka_portal.ops.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # PRF-3: pages are compressed, with Django's BREACH mitigation (heka_portal.middleware).
    "heka_portal.middleware.PageGZipMiddleware",
    "heka_portal.middleware.SecurityHeadersMiddleware",
    "heka_portal.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "heka_portal.http.ServingSiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "heka_portal.ops.sessions.AbsoluteSessionLifetimeMiddleware",
    "heka_portal.ops.sessions.SessionActivityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "heka_portal.urls"
WSGI_APPLICATION = "heka_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # The portal's own templates are read without their indentation (PAY-3); the cached
            # loader compiles each once per process.
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    ["heka_portal.template_loaders.CompactLoader", "django.template.loaders.app_directories.Loader"],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "heka_portal.context_processors.portal",
                "notifications.context_processors.unread_notifications",
            ],
        },
    }
]

# The embedded default is SQLite in var/ so that a laptop needs no database server.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'heka.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Length and character classes are the seeds' policies P6/P8 (accounts.passwords), applied by the
# flows that know which one holds; Django's checks below apply to every password.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

# allauth: the e-mail address is the user name; accounts are created only through strong or
# office identification, never by an open sign-up form.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR = "allauth.account.forms.EmailAwarePasswordResetTokenGenerator"  # noqa: S105 (a class path)
# ACC-7: a reset link is valid for 24 hours; it stops working once used, as the password changes.
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
ACCOUNT_MAX_EMAIL_ADDRESSES = 1
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_FORMS = {
    "reset_password_from_key": "accounts.adapter.PasswordResetKeyForm",
    "change_password": "accounts.adapter.PasswordChangeForm",
}
# ACC-12: failed logins per account (the address typed) and per client address; every login
# attempt and reset request per client address; reset e-mails per address.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/15m/ip,5/15m/key",
    "login": "30/m/ip",
    "reset_password": "10/15m/ip,3/15m/key",
    "reset_password_from_key": "20/15m/ip",
    "change_password": "5/m/user",
}
# Behind a proxy the client address is the last one it adds to X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("HEKA_TRUSTED_PROXY_COUNT", 0, minimum=0)

# staff reach the admin only with a second factor (TOTP, with recovery codes). Production
# always requires it; a laptop may leave it off so that the demo admin opens without an app.
HEKA_ADMIN_REQUIRE_MFA = env_bool("HEKA_ADMIN_REQUIRE_MFA", True)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Heka"

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["heka_portal.formats"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env_path("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]

# Uploaded files (rescue plans, defect photos) live outside the static root and have no public
# URL: they are served only through views that check access.
PRIVATE_MEDIA_ROOT = env_path("HEKA_PRIVATE_MEDIA_ROOT", VAR_DIR / "private")
STORAGES: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("HEKA_SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
# The age is an idle timeout. PRF-2: it is renewed by writing the time of the last activity into
# the session at most once a minute (heka_portal.ops.sessions), not by rewriting every request's.
SESSION_SAVE_EVERY_REQUEST = False
HEKA_SESSION_ACTIVITY_SECONDS = 60
# PRF-1: the longest a resident's access decision is kept in the cache (tenancy.access_cache);
# any register change and midnight end it sooner.
HEKA_ACCESS_CACHE_SECONDS = env_int("HEKA_ACCESS_CACHE_SECONDS", 15 * 60, minimum=0)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

_redis_url = env_str("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url}
        if _redis_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Celery: without a broker the tasks run in-process (a laptop); with one, in workers.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 3, "socket_timeout": 10}
# A page that queues an e-mail while the broker is down must not hang: give up quickly, the
# outbox row stays pending and the relay queues it later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_TIMEZONE = TIME_ZONE
# The relay sends what could not be queued at commit time (the broker was down) or whose task was lost.
CELERY_BEAT_SCHEDULE = {
    "outbox-relay": {"task": "heka_portal.tasks.outbox_relay", "schedule": 60.0},
    # OPS-8: storage limitation, every night; expired sessions go too.
    "retention": {"task": "retention.tasks.retention_apply", "schedule": crontab(hour=3, minute=30)},
    "sessions-clear": {"task": "heka_portal.tasks.sessions_clear", "schedule": crontab(hour=4, minute=15)},
}

EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Heka <asukasportaali@heka.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The public address of the portal, used in links that e-mails carry. Unset, links follow the
# address the portal is served on (heka_portal/http.py); outside a request, 127.0.0.1 on $PORT,
# the port bin/demo serves on.
HEKA_SITE_URL_FROM_REQUEST = not env_str("HEKA_SITE_URL", "")
HEKA_SITE_URL = env_str("HEKA_SITE_URL", "") or f"http://127.0.0.1:{env_int('PORT', 8000, minimum=1)}"
# Heka's bank account that rent is paid to, shown with the reference number (TEN-4).
HEKA_PAYMENT_IBAN = env_iban("HEKA_PAYMENT_IBAN", "FI44 1234 5600 0999 90")
HEKA_PAYMENT_RECIPIENT = env_str("HEKA_PAYMENT_RECIPIENT", "Helsingin kaupungin asunnot Oy")
# Heka's customer service, and the on-call service for urgent defects when it is closed, as
# published on hekaoy.fi.
HEKA_CUSTOMER_SERVICE_PHONE = env_str("HEKA_CUSTOMER_SERVICE_PHONE", "09 5767 3000")
HEKA_ONCALL_PHONE = env_str("HEKA_ONCALL_PHONE", "09 5767 3100")
HEKA_CUSTOMER_SERVICE_EMAIL = env_str("HEKA_CUSTOMER_SERVICE_EMAIL", "asiakaspalvelu@heka.example")

# STF-5: a register file uploaded in the admin (below the proxy's client_max_body_size of 61m),
# and the size from which its dry run and application run as a Celery task with a progress page.
HEKA_REGISTER_IMPORT_MAX_BYTES = env_int("HEKA_REGISTER_IMPORT_MAX_BYTES", 60 * 1024 * 1024, minimum=1024)
HEKA_REGISTER_IMPORT_TASK_BYTES = env_int("HEKA_REGISTER_IMPORT_TASK_BYTES", 256 * 1024, minimum=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # OPS-2: JSON in production (HEKA_LOG_FORMAT); both formats redact identity codes, bank
    # accounts, credentials and the live tokens in the paths of e-mailed links.
    "formatters": {
        "plain": {
            "()": "heka_portal.ops.logs.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
        "json": {"()": "heka_portal.ops.logs.RedactingJsonFormatter"},
    },
    "filters": {
        "redact_tokens": {"()": "heka_portal.gunicorn_logging.RedactTokensFilter"},
        "request_id": {"()": "heka_portal.ops.request_id.RequestIdFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env_str("HEKA_LOG_FORMAT", "plain"),
            "filters": ["redact_tokens", "request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("HEKA_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

from .ops import *  # noqa: E402,F403
from .saml import *  # noqa: E402,F403
