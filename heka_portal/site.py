"""The portal's own address, for links that leave it in e-mails.

`HEKA_SITE_URL` names it in production. Left unset (a laptop: `PORT=8001 bin/demo`, or
`manage.py runserver 8005`), links follow the address the portal is actually served on: that of
the request that causes the e-mail, as the browser reached it (Django has checked the host against
ALLOWED_HOSTS by then). The outbox keeps that address with the e-mail, so that a worker in another
process, which has no request, builds the link for the same address at sending time. Outside any
request (a management command, a scheduled task) the address is 127.0.0.1 on `$PORT`.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse

_serving: ContextVar[str] = ContextVar("heka_serving_site", default="")


def site_url(path: str = "") -> str:
    """The address e-mailed links start with (no trailing slash), followed by `path`."""
    if not settings.HEKA_SITE_URL_FROM_REQUEST:
        return f"{settings.HEKA_SITE_URL.rstrip('/')}{path}"
    return f"{(_serving.get() or settings.HEKA_SITE_URL).rstrip('/')}{path}"


@contextmanager
def serving_site(url: str) -> Iterator[None]:
    """Let `site_url()` answer `url` (when HEKA_SITE_URL is unset) inside the block."""
    token = _serving.set(url)
    try:
        yield
    finally:
        _serving.reset(token)


def request_origin(request: HttpRequest) -> str:
    try:
        return f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:  # answered with 400 by Django's own middleware; no link is made for it
        return ""


class ServingSiteMiddleware:
    """Remember for the time of a request the address it came in on (see the module's text)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.HEKA_SITE_URL_FROM_REQUEST:
            return self.get_response(request)
        with serving_site(request_origin(request)):
            return self.get_response(request)
