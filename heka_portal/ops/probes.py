"""`/healthz`, `/readyz` and `/metrics`, answered before any other middleware (OPS-1, OPS-4).

A platform's probes and Prometheus call the pods directly: over plain HTTP, with the pod's
address as the host, without cookies. So these answers come first: no HTTPS redirect, no host
check, no session (nothing is read or written), no locale, no CSRF, no rate limit. They carry no
secrets and are cheap: `/healthz` does no I/O at all, and `/readyz` runs its checks at most once
per `HEKA_READINESS_CACHE_SECONDS` in each process, however often it is asked.
"""

import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.module_loading import import_string

from . import readiness
from .metrics import metrics_view

_lock = threading.Lock()
_last: tuple[float, dict[str, Any]] | None = None


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    """The process answers."""
    return _no_store(JsonResponse({"status": "ok"}))


def _check_name(path: str) -> str:
    return path.rsplit(".", 1)[-1]


def run_checks() -> dict[str, Any]:
    checks: dict[str, Any] = {}
    for path in settings.HEKA_READINESS_CHECKS:
        started = time.perf_counter()
        try:
            result = dict(import_string(path)())
        except Exception as error:
            result = {"status": readiness.ERROR, "error": type(error).__name__}
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        checks[_check_name(path)] = result
    return {"status": readiness.worst([check["status"] for check in checks.values()]), "checks": checks}


def readiness_report() -> dict[str, Any]:
    global _last
    with _lock:
        if _last is not None and time.monotonic() - _last[0] < settings.HEKA_READINESS_CACHE_SECONDS:
            return _last[1]
        report = run_checks()
        _last = (time.monotonic(), report)
        return report


def forget_readiness() -> None:
    """Tests: the next `/readyz` runs its checks again."""
    global _last
    _last = None


def readyz(request: HttpRequest) -> HttpResponse:
    """Ready to serve residents: 200 when every check is ok or a warning, 503 on an error."""
    report = readiness_report()
    status = HTTPStatus.SERVICE_UNAVAILABLE if report["status"] == readiness.ERROR else HTTPStatus.OK
    return _no_store(JsonResponse(report, status=status))


PROBES: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz": healthz,
    "/readyz": readyz,
    "/metrics": metrics_view,
}


class ProbeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info.rstrip("/"))
        if probe is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return _no_store(HttpResponse(status=HTTPStatus.METHOD_NOT_ALLOWED, headers={"Allow": "GET, HEAD"}))
        return probe(request)
