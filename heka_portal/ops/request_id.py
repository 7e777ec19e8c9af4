"""The request id (OPS-2): taken from `X-Request-ID` (the proxy makes one) or made here, put on
every log record, answered in the response, and carried into the Celery tasks the request queues
in a message header, so that the worker's records name the request that caused them.
"""

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar, Token
from typing import Any

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
TASK_HEADER = "heka_request_id"
# Anything else a client sends is replaced: the id is written into every log record.
_ACCEPTABLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")

_current: ContextVar[str | None] = ContextVar("heka_request_id", default=None)


def current_request_id() -> str | None:
    return _current.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get(HEADER, "")
        request_id = offered if _ACCEPTABLE.fullmatch(offered) else new_request_id()
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current.get() or "-"
        return True


# Celery signal receivers, connected in `heka_portal.apps`.


def carry_into_task(headers: dict | None = None, **_: Any) -> None:
    """before_task_publish: the queued task carries the id of the request that queued it."""
    request_id = _current.get()
    if request_id and headers is not None:
        headers.setdefault(TASK_HEADER, request_id)


_task_tokens: dict[str, Token] = {}


def adopt_in_task(task: Any = None, task_id: str | None = None, **_: Any) -> None:
    """task_prerun: the task's records carry the id of the request that queued it; a task run in
    the request itself (no broker) keeps the request's id, and one queued by beat uses its own."""
    request = getattr(task, "request", None)
    carried = getattr(request, TASK_HEADER, None) or (getattr(request, "headers", None) or {}).get(TASK_HEADER)
    if not (isinstance(carried, str) and _ACCEPTABLE.fullmatch(carried)):
        carried = None
    token = _current.set(carried or _current.get() or task_id)
    if task_id:
        _task_tokens[task_id] = token


def forget_in_task(task_id: str | None = None, **_: Any) -> None:
    """task_postrun: back to the id from before the task (none, in a worker)."""
    token = _task_tokens.pop(task_id, None) if task_id else None
    try:
        _current.reset(token) if token is not None else _current.set(None)
    except ValueError:  # made in another context: nothing of ours to restore
        _current.set(None)
