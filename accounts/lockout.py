"""How long a rate-limited client must wait (ACC-12), and the page that tells them.

allauth keeps, per rate, the times of recent attempts in the cache. The wait is the time until
the oldest attempt that still counts falls out of its window, for the strictest exhausted rate.

allauth offers no public way to ask for that time, so this module reads its private
`allauth.core.internal.ratelimit`. django-allauth is therefore pinned to one exact version in
pyproject.toml, and tests/login/test_allauth_contract.py fails when an upgrade changes what is read.
"""

import math
import time
from datetime import timedelta
from http import HTTPStatus

from allauth.core.internal import ratelimit
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from heka_portal.ops.metrics import login_refused

_APP = "allauth.account"
# Which allauth action limits the page a 429 comes from.
_ACTION_OF_VIEW = {
    "account_login": "login",
    "account_reset_password": "reset_password",
    "account_reset_password_from_key": "reset_password_from_key",
}


def seconds_until_allowed(request: HttpRequest, *, action: str, key: str | None = None) -> int:
    """Seconds until `action` is allowed again for this client address (and `key`); 0 if now."""
    now = time.time()
    wait = 0.0
    for rate in ratelimit.get_rates(app=_APP, action=action):
        if rate.per == "user" or (rate.per == "key" and key is None):
            continue
        cache_key = ratelimit.get_cache_key(request, app=_APP, action=action, rate=rate, key=key)
        history = sorted((hit for hit in cache.get(cache_key, []) if hit > now - rate.duration), reverse=True)
        if len(history) >= rate.amount:
            wait = max(wait, history[rate.amount - 1] + rate.duration - now)
    return math.ceil(wait)


def longest_window(action: str) -> int:
    return math.ceil(max((rate.duration for rate in ratelimit.get_rates(app=_APP, action=action)), default=60))


def retry_message(seconds: int) -> str:
    """ "Try again in N minutes, at HH:MM" in the current language."""
    minutes = max(1, math.ceil(seconds / 60))
    at = timezone.localtime(timezone.now() + timedelta(seconds=seconds))
    return ngettext(
        "You can try again in %(minutes)d minute, at %(time)s.",
        "You can try again in %(minutes)d minutes, at %(time)s.",
        minutes,
    ) % {"minutes": minutes, "time": formats.time_format(at)}


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 429 page of allauth's rate limits: what happened and when to try again."""
    match = getattr(request, "resolver_match", None)
    action = _ACTION_OF_VIEW.get(match.url_name if match else "", "login")
    key = None
    if action == "reset_password":
        key = (request.POST.get("email") or "").strip().lower() or None
    seconds = seconds_until_allowed(request, action=action, key=key) or longest_window(action)
    if action == "login":
        login_refused("rate_limited")
    response = render(
        request,
        "account/too_many_requests.html",
        {"retry_message": retry_message(seconds), "action": action, "title": _("Too many attempts")},
        status=HTTPStatus.TOO_MANY_REQUESTS,
    )
    response["Retry-After"] = str(seconds)
    return response
