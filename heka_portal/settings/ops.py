"""Operations (SPEC section 12): probes, logs, error reports, metrics, key rotation, sessions, retention.

| variable | meaning | default |
|---|---|---|
| `HEKA_HETU_HASH_KEY_FALLBACKS`, `HEKA_HETU_ENCRYPTION_KEY_FALLBACKS` | older keys that still read (OPS-5) | none |
| `HEKA_READINESS_OUTBOX_MAX_AGE_SECONDS` | `/readyz` warns when an e-mail has waited longer (OPS-1) | 900 |
| `HEKA_READINESS_CACHE_SECONDS` | `/readyz` runs its checks at most this often per process | 2 |
| `HEKA_LOG_FORMAT` | `json` or `plain` (OPS-2) | `plain`; `json` in production |
| `SENTRY_DSN`, `SENTRY_ENVIRONMENT`, `SENTRY_RELEASE` | error reports (OPS-3) | off |
| `HEKA_METRICS_TOKEN` | the bearer token of `/metrics`; empty turns the endpoint off (OPS-4) | empty |
| `HEKA_SESSION_ABSOLUTE_SECONDS` | a logged-in session ends this long after its login, busy or not (OPS-7) | 28800 (8 hours) |
| `HEKA_RETENTION_AFTER_TENANCY_DAYS` | data is anonymised this long after the last tenancy (OPS-8) | 1096 (3 years) |
| `HEKA_RETENTION_DRY_RUN` | the nightly retention run only records what it would do | `0` |
| `HEKA_OUTBOX_RETENTION_DAYS` | sent and given-up e-mails are deleted from the outbox after this many days | 90 |
"""

from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_int, env_key_list, env_str

__all__ = [
    "CELERY_WORKER_HIJACK_ROOT_LOGGER",
    "HEKA_LOG_FORMAT",
    "HEKA_METRICS_TOKEN",
    "HEKA_OUTBOX_RETENTION_DAYS",
    "HEKA_READINESS_CACHE_SECONDS",
    "HEKA_READINESS_CHECKS",
    "HEKA_READINESS_OUTBOX_MAX_AGE_SECONDS",
    "HEKA_RETENTION_AFTER_TENANCY_DAYS",
    "HEKA_RETENTION_DRY_RUN",
    "HEKA_SESSION_ABSOLUTE_SECONDS",
    "HETU_ENCRYPTION_KEY_FALLBACKS",
    "HETU_HASH_KEY_FALLBACKS",
    "SENTRY_DSN",
]

# OPS-5
HETU_HASH_KEY_FALLBACKS = env_key_list("HEKA_HETU_HASH_KEY_FALLBACKS", [])
HETU_ENCRYPTION_KEY_FALLBACKS = env_key_list("HEKA_HETU_ENCRYPTION_KEY_FALLBACKS", [])

# OPS-1: each a function returning {"status": "ok" | "warning" | "error", ...} (heka_portal.ops.readiness).
HEKA_READINESS_CHECKS = (
    "heka_portal.ops.readiness.database",
    "heka_portal.ops.readiness.cache",
    "heka_portal.ops.readiness.broker",
    "heka_portal.ops.readiness.outbox",
    "heka_portal.ops.readiness.certificates",
)
HEKA_READINESS_OUTBOX_MAX_AGE_SECONDS = env_int("HEKA_READINESS_OUTBOX_MAX_AGE_SECONDS", 15 * 60, minimum=1)
HEKA_READINESS_CACHE_SECONDS = env_int("HEKA_READINESS_CACHE_SECONDS", 2, minimum=0)

# OPS-2: Celery leaves the logging to Django's LOGGING, so workers log as the web does (redacted).
HEKA_LOG_FORMAT = env_str("HEKA_LOG_FORMAT", "plain")
if HEKA_LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"HEKA_LOG_FORMAT must be json or plain, not {HEKA_LOG_FORMAT!r}.")
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# OPS-3
SENTRY_DSN = env_str("SENTRY_DSN", "")
if SENTRY_DSN:
    from heka_portal.ops.sentry import init_sentry

    init_sentry(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        release=env_str("SENTRY_RELEASE", ""),
    )

# OPS-4
HEKA_METRICS_TOKEN = env_str("HEKA_METRICS_TOKEN", "")

# OPS-7
HEKA_SESSION_ABSOLUTE_SECONDS = env_int("HEKA_SESSION_ABSOLUTE_SECONDS", 8 * 60 * 60, minimum=60)

# OPS-8: three years after the last tenancy ended (see README "Retention"); accounting records stay.
HEKA_RETENTION_AFTER_TENANCY_DAYS = env_int("HEKA_RETENTION_AFTER_TENANCY_DAYS", 3 * 365 + 1, minimum=1)
HEKA_RETENTION_DRY_RUN = env_bool("HEKA_RETENTION_DRY_RUN", False)
HEKA_OUTBOX_RETENTION_DAYS = env_int("HEKA_OUTBOX_RETENTION_DAYS", 90, minimum=1)
