"""Metrics for Prometheus (OPS-4), at `/metrics` behind a bearer token (`HEKA_METRICS_TOKEN`).

- `heka_request_duration_seconds{view,method,status}`: latency per view, measured by
  `MetricsMiddleware` around everything but the probes;
- `heka_login_refusals_total{reason}`: refused logins (wrong password, locked after failures,
  rate limited, no tenancy in the register);
- `heka_outbox_pending_emails`, `heka_outbox_oldest_pending_age_seconds`: the e-mail backlog;
- `heka_task_failures_total{task}`, `heka_task_retries_total{task}`, `heka_outbox_given_up_total`:
  what went wrong in the workers.

Under gunicorn every worker process counts for itself; with `PROMETHEUS_MULTIPROC_DIR` set (the
gunicorn configuration sets it) a scrape adds up all of them. Celery workers run in processes and
containers of their own, so what they count is kept in the shared cache, and the outbox figures
are read from the database at the scrape: those series are the same on every web replica (use
`max`, not `sum`, across replicas).
"""

import hmac
import logging
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

logger = logging.getLogger(__name__)

REQUEST_DURATION = Histogram(
    "heka_request_duration_seconds",
    "Time to answer a request, per view.",
    ["view", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
LOGIN_REFUSALS = Counter("heka_login_refusals", "Logins refused, per reason.", ["reason"])

LOGIN_REFUSAL_REASONS = ("bad_credentials", "locked", "rate_limited", "no_tenancy")
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
_SHARED_PREFIX = "heka:metrics:"


def login_refused(reason: str) -> None:
    LOGIN_REFUSALS.labels(reason if reason in LOGIN_REFUSAL_REASONS else "other").inc()


class MetricsMiddleware:
    """Times every request and labels it with the view that answered (bounded: the URL names)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        REQUEST_DURATION.labels(
            view=(match.view_name if match else "") or "unmatched",
            method=request.method if request.method in _METHODS else "other",
            status=f"{response.status_code // 100}xx",
        ).observe(time.perf_counter() - started)
        return response


# Counters shared by every process through the cache (Celery workers, web processes).


def _shared_key(name: str, label: str) -> str:
    return f"{_SHARED_PREFIX}{name}:{label}"


def count_shared(name: str, label: str = "") -> None:
    """Add one to a counter kept in the cache. Metrics never break what they measure."""
    key = _shared_key(name, label)
    try:
        cache.add(key, 0, timeout=None)
        cache.incr(key)
    except Exception as error:
        logger.warning("Metric %s not counted: %s", name, type(error).__name__)


def task_failed(sender: Any = None, **_: Any) -> None:
    """task_failure: the task raised and will not be retried."""
    count_shared("task_failures", getattr(sender, "name", "unknown"))


def task_retried(sender: Any = None, **_: Any) -> None:
    """task_retry: the task failed and was queued again."""
    count_shared("task_retries", getattr(sender, "name", "unknown"))


def _task_names() -> list[str]:
    from heka_portal.celery import app

    return sorted(name for name in app.tasks if not name.startswith("celery."))


class ClusterCollector:
    """Figures of the whole installation, read at each scrape (two cheap queries)."""

    def collect(self) -> Iterator[Metric]:
        yield from self._outbox()
        yield from self._shared()

    def _outbox(self) -> Iterator[Metric]:
        from django.db.models import Count, Min

        from heka_portal.models import OutboxEmail

        figures = OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING).aggregate(
            pending=Count("pk"), oldest=Min("created_at")
        )
        pending = GaugeMetricFamily("heka_outbox_pending_emails", "E-mails waiting in the outbox.")
        pending.add_metric([], figures["pending"])
        yield pending
        oldest = figures["oldest"]
        age = GaugeMetricFamily("heka_outbox_oldest_pending_age_seconds", "Age of the oldest e-mail waiting; 0 when none.")
        age.add_metric([], (timezone.now() - oldest).total_seconds() if oldest else 0.0)
        yield age

    def _shared(self) -> Iterator[Metric]:
        tasks = _task_names()
        keys = [_shared_key(kind, task) for kind in ("task_failures", "task_retries") for task in tasks]
        keys.append(_shared_key("outbox_given_up", ""))
        values = cache.get_many(keys)
        for kind, text in (
            ("task_failures", "Celery tasks that failed for good."),
            ("task_retries", "Celery tasks that failed and were retried."),
        ):
            family = CounterMetricFamily(f"heka_{kind}", text, labels=["task"])
            for task in tasks:
                family.add_metric([task], values.get(_shared_key(kind, task), 0))
            yield family
        given_up = CounterMetricFamily("heka_outbox_given_up", "Outbox e-mails given up after permanent errors.")
        given_up.add_metric([], values.get(_shared_key("outbox_given_up", ""), 0))
        yield given_up


_cluster_registry = CollectorRegistry(auto_describe=False)
_cluster_registry.register(ClusterCollector())


def exposition() -> bytes:
    """The text a scrape receives: this process (or every gunicorn worker) and the cluster figures."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return generate_latest(registry) + generate_latest(_cluster_registry)


def authorised(request: HttpRequest) -> bool:
    token = getattr(settings, "HEKA_METRICS_TOKEN", "")
    offered = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode())


def metrics_view(request: HttpRequest) -> HttpResponse:
    """Without a configured token the endpoint does not exist; a wrong token is told nothing more."""
    if not getattr(settings, "HEKA_METRICS_TOKEN", ""):
        return HttpResponse(status=404)
    if not authorised(request):
        response = HttpResponse(status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
