"""The checks of `/readyz` (OPS-1), named in `HEKA_READINESS_CHECKS` as dotted paths.

A check takes no arguments and returns a JSON-able dict with a `status`:

- "ok";
- "warning": the portal serves residents, but an operator should look (the broker is down and
  e-mails wait in the outbox, X-6; an e-mail has waited too long; a certificate expires soon);
- "error": this process cannot serve residents safely (no database; no cache, which holds the
  login limits and the SAML replay cache). `/readyz` answers 503.

A check that raises counts as an error and is reported by the exception's class name only: the
message of a connection error may name hosts and users. Nothing else about the error is shown.
"""

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import connection
from django.utils import timezone

OK, WARNING, ERROR = "ok", "warning", "error"
_ORDER = {OK: 0, WARNING: 1, ERROR: 2}


def worst(statuses: list[str]) -> str:
    return max(statuses, key=lambda status: _ORDER.get(status, 2), default=OK)


def database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": OK}


def cache() -> dict[str, Any]:
    key, value = "heka:readyz", str(time.monotonic_ns())
    django_cache.set(key, value, timeout=30)
    return {"status": OK if django_cache.get(key) == value else ERROR}


_broker_clients: dict[str, Any] = {}


def broker() -> dict[str, Any]:
    """The Celery broker answers, and has room: a broker at its memory limit refuses new tasks."""
    url = settings.CELERY_BROKER_URL
    if not url:
        return {"status": OK, "detail": "tasks run in-process"}
    if not url.startswith(("redis://", "rediss://")):
        from heka_portal.celery import app

        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return {"status": OK}
    import redis

    try:
        client = _broker_clients.get(url) or _broker_clients.setdefault(
            url, redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        )
        memory = client.info("memory")
    except redis.RedisError as error:
        return {"status": WARNING, "error": type(error).__name__, "detail": "e-mails wait in the outbox"}
    used, limit = int(memory.get("used_memory", 0)), int(memory.get("maxmemory", 0))
    result: dict[str, Any] = {"status": OK}
    if limit:
        result["memory_used"] = round(used / limit, 3)
        if used / limit > 0.9:
            result["status"] = WARNING
    return result


def outbox() -> dict[str, Any]:
    """The age of the oldest e-mail still waiting to be sent."""
    from django.db.models import Count, Min

    from heka_portal.models import OutboxEmail

    figures = OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING).aggregate(
        pending=Count("pk"), oldest=Min("created_at")
    )
    age = int((timezone.now() - figures["oldest"]).total_seconds()) if figures["oldest"] else 0
    limit = settings.HEKA_READINESS_OUTBOX_MAX_AGE_SECONDS
    return {"status": WARNING if age > limit else OK, "pending": figures["pending"], "oldest_age_seconds": age}


# What a certificate item may show (all of it public): never anything else it carries.
_CERTIFICATE_FIELDS = ("certificate", "index", "entity", "use", "subject", "sha256", "name", "status", "not_after", "days_left")


def certificates() -> dict[str, Any]:
    """SFI-5: our SP certificate and the identity provider's, as `certificate_report` rates them."""
    from accounts.saml.certificates import certificate_report

    try:
        report = certificate_report()
    except Exception as error:
        # An unreadable certificate or metadata breaks strong identification, not the portal.
        return {"status": WARNING, "error": type(error).__name__}
    items = [
        {
            key: str(value) if not isinstance(value, int | float) else value
            for key, value in item.items()
            if key in _CERTIFICATE_FIELDS
        }
        for item in report
    ]
    statuses = [WARNING if item.get("status") in ("warning", "expired") else OK for item in items]
    return {"status": worst(statuses), "certificates": items}
