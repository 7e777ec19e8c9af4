"""The HTTP helpers every app of the portal shares, one of each.

- `AuthenticatedHttpRequest`, `staff_user`: the logged-in account of a request, typed.
- `no_store`: a response with personal data is never kept by a browser or a proxy (X-8).
- `download_response` / `file_download`: a file served through an access check, as an attachment
  that is never sniffed nor rendered as a page of this site (X-8).
- `RateLimit`: how often one client or account may try something (ACC-12), with one behaviour when
  the cache is down: refuse (see `RateLimit`).
- `client_address`: the client's address as the rate limits count it, proxies considered.
- `site_url`: the public address of the portal, for links that leave the site (e-mails), and
  `ServingSiteMiddleware`, which lets it follow the address the portal is served on.
"""

import datetime
import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, TypeVar

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost, PermissionDenied
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import content_disposition_header

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

Response = TypeVar("Response", bound=HttpResponseBase)


class AuthenticatedHttpRequest(HttpRequest):
    """The request a view behind `login_required` receives: `user` is a logged-in account."""

    user: "User"


def staff_user(request: HttpRequest) -> "User":
    """The account of a request the admin let in (it lets in only logged-in staff)."""
    from accounts.models import User

    if not isinstance(request.user, User):
        raise PermissionDenied("The admin lets in only logged-in staff.")
    return request.user


def no_store(response: Response) -> Response:
    """X-8: `Cache-Control: no-store` with `no-cache, must-revalidate, private, max-age=0` and an
    `Expires` in the past, so that neither a browser's history nor a shared proxy keeps the page."""
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


# A downloaded file is not a page of this site: no script runs in it even if a browser were to
# render it, and it may load nothing.
DOWNLOAD_CONTENT_SECURITY_POLICY = "default-src 'none'; sandbox"
_UNSAFE_IN_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str, *, fallback: str = "download") -> str:
    """A file name that says nothing to a header parser or a file system: letters, digits, dot,
    dash and underscore; no leading dot; at most 100 characters."""
    cleaned = _UNSAFE_IN_FILENAME.sub("-", name).strip(".-")[:100]
    return cleaned or fallback


def download_response(content: bytes | IO[bytes], *, filename: str, content_type: str) -> HttpResponse | FileResponse:
    """X-8: `content` (bytes made now, or an open file, which is streamed) as an attachment named
    `filename`, with `nosniff`, no-store and a sandboxing Content-Security-Policy. Every file the
    portal serves goes out through here."""
    response: HttpResponse | FileResponse
    if isinstance(content, bytes):
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, safe_filename(filename))
    else:
        response = FileResponse(content, as_attachment=True, filename=safe_filename(filename), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_CONTENT_SECURITY_POLICY
    return no_store(response)


def file_download(stored: FieldFile, *, filename: str, content_type: str) -> HttpResponse | FileResponse:
    """A stored upload as `download_response`; a file gone from the storage is a 404, not an error."""
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from the storage.") from None
    return download_response(handle, filename=filename, content_type=content_type)


def client_address(request: HttpRequest) -> str:
    """The client's address. Behind a proxy REMOTE_ADDR is the proxy's, shared by every client;
    allauth's adapter reads the forwarded one as the settings allow."""
    return get_adapter(request).get_client_ip(request)


# How long a refusal lasts when the cache cannot be reached (see RateLimit).
CACHE_DOWN_RETRY_SECONDS = 60


@dataclass(frozen=True)
class RateLimit:
    """At most `attempts` in each fixed window of `window_seconds`, per key, within `scope`.

    Windows are aligned to the clock, so the moment a refused client may try again is exact and the
    same for every web process (the counts live in the shared cache). Keys are hashed: an e-mail
    address or a client address never becomes a cache key as such.

    When the cache is down the limit refuses (fails closed) and logs an error. These limits guard
    passwords (activation, a bank-account change), identity look-ups (office identification) and
    what sends e-mail (links, user names): letting every attempt through while the cache is away
    would turn each outage, which an attacker may be able to cause, into unlimited guessing. A
    refusal costs a resident a minute's wait during an outage the readiness check reports; the pages
    that need no limit keep working, since sessions live in the database. allauth's own login
    limits, and the SAML replay cache, refuse in the same situation.
    """

    scope: str
    attempts: int
    window_seconds: int

    def hit(self, key: str) -> datetime.datetime | None:
        """Count one attempt: None while within the limit, otherwise when one may try again."""
        return self._count(key, add=1)

    def check(self, key: str) -> datetime.datetime | None:
        """Like `hit`, without counting: for limits on failures, counted with `hit` only when one happens."""
        return self._count(key, add=0)

    def clear(self, key: str) -> None:
        try:
            cache.delete(self._cache_key(key, self._window()))
        except Exception:  # the cache is down: nothing is counted that could be cleared
            logger.exception("rate limit %s: the cache cannot be reached", self.scope)

    def _window(self) -> int:
        return int(time.time() // self.window_seconds)

    def _cache_key(self, key: str, window: int) -> str:
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        return f"heka:limit:{self.scope}:{digest}:{window}"

    def _count(self, key: str, *, add: int) -> datetime.datetime | None:
        window = self._window()
        cache_key = self._cache_key(key, window)
        try:
            if add:
                cache.add(cache_key, 0, timeout=self.window_seconds + 60)
                try:
                    count = cache.incr(cache_key, add)
                except ValueError:  # evicted between add and incr
                    cache.set(cache_key, add, timeout=self.window_seconds + 60)
                    count = add
            else:
                count = cache.get(cache_key, 0)
        except Exception:
            logger.exception("rate limit %s: the cache cannot be reached, so the attempt is refused", self.scope)
            return datetime.datetime.fromtimestamp(time.time() + CACHE_DOWN_RETRY_SECONDS, tz=datetime.UTC)
        limit = self.attempts if add else self.attempts - 1
        if count <= limit:
            return None
        return datetime.datetime.fromtimestamp((window + 1) * self.window_seconds, tz=datetime.UTC)


# The portal's own address, for links that leave it in e-mails. `HEKA_SITE_URL` names it in
# production. Left unset (a laptop: `PORT=8001 bin/demo`, or `manage.py runserver 8005`), links
# follow the address the portal is actually served on: that of the request that causes the e-mail,
# as the browser reached it (Django has checked the host against ALLOWED_HOSTS by then). The outbox
# keeps that address with the e-mail, so that a worker in another process, which has no request,
# builds the link for the same address at sending time. Outside any request (a management command,
# a scheduled task) the address is 127.0.0.1 on `$PORT`.
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
