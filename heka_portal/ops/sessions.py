"""The absolute lifetime of a logged-in session (OPS-7).

The idle timeout (ACC-6, `SESSION_COOKIE_AGE`) ends a session nobody uses; this one ends a
session `HEKA_SESSION_ABSOLUTE_SECONDS` after its login however busy it is, so that a session
cookie that leaked, or a browser left open on a shared computer, does not stay good for ever.

The login time is written into the session once, at the first response that sees the person
logged in. When the lifetime has passed the session is ended as the idle timeout ends one: the
request goes on as an anonymous visitor's, so the view asks for a login (and a form that was
being sent is kept where the view keeps it, as after an idle timeout).
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import ngettext

SESSION_KEY = "_heka_logged_in_at"


def _lifetime_message(seconds: int) -> str:
    if seconds < 3600:
        minutes = max(1, round(seconds / 60))
        return ngettext(
            "For your security, you are asked to log in again after %(minutes)d minute.",
            "For your security, you are asked to log in again after %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
    hours = round(seconds / 3600)
    return ngettext(
        "For your security, you are asked to log in again after %(hours)d hour.",
        "For your security, you are asked to log in again after %(hours)d hours.",
        hours,
    ) % {"hours": hours}


class AbsoluteSessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            logged_in_at = request.session.get(SESSION_KEY)
            lifetime = settings.HEKA_SESSION_ABSOLUTE_SECONDS
            if isinstance(logged_in_at, int | float) and time.time() - logged_in_at > lifetime:
                logout(request)
                messages.info(request, _lifetime_message(lifetime))
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and SESSION_KEY not in request.session:
            request.session[SESSION_KEY] = int(time.time())
        return response


ACTIVITY_KEY = "_heka_active_at"


class SessionActivityMiddleware:
    """The idle timeout without a session write on every request (PRF-2, ACC-6).

    A session is saved, and its expiry (`SESSION_COOKIE_AGE`) renewed, only when it changes.
    Writing the time of the last activity changes it, at most once every
    `HEKA_SESSION_ACTIVITY_SECONDS`: a session in use stays alive, and one left idle ends between
    `SESSION_COOKIE_AGE` minus that minute and `SESSION_COOKIE_AGE` after its last request.
    A visitor without a session gets none from this.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None:
            return response
        # Reading loads the session first: a cookie naming no stored session leaves no key, and
        # such a visitor is not given a new session.
        active_at = session.get(ACTIVITY_KEY)
        if session.session_key is None or session.is_empty():
            return response
        now = int(time.time())
        if not isinstance(active_at, int) or now - active_at >= settings.HEKA_SESSION_ACTIVITY_SECONDS:
            session[ACTIVITY_KEY] = now
        return response
