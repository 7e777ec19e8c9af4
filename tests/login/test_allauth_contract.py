"""The part of allauth that accounts/lockout.py relies on (ACC-12).

allauth has no public way to ask how long a client must wait, so `lockout.seconds_until_allowed`
reads the rate-limit history allauth keeps in the cache (`allauth.core.internal.ratelimit`). The
version is pinned exactly in pyproject.toml; these tests fail when an upgrade changes what is read:
the rates, the cache key, or the shape of the history. Fix lockout.py, then move the pin.
"""

import inspect
import time

import allauth
import pytest
from allauth.core import ratelimit as public_ratelimit
from allauth.core.internal import ratelimit
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache

from accounts import lockout

PINNED = "65.21.1"  # the django-allauth version in pyproject.toml


@pytest.fixture
def reset_request(rf):
    cache.clear()
    request = rf.post("/accounts/password/reset/", REMOTE_ADDR="10.7.7.7")
    request.user = AnonymousUser()
    yield request
    cache.clear()


def test_the_installed_allauth_is_the_pinned_one():
    assert allauth.__version__ == PINNED, "lockout.py was checked against the pinned version only"


def test_the_private_functions_lockout_calls_keep_their_signatures():
    assert list(inspect.signature(ratelimit.get_rates).parameters) == ["app", "action", "config"]
    assert list(inspect.signature(ratelimit.get_cache_key).parameters) == ["request", "app", "action", "rate", "key", "user"]
    [rate, *_] = ratelimit.get_rates(app="allauth.account", action="reset_password")
    assert {"amount", "duration", "per"} <= set(vars(rate))


def test_the_history_allauth_writes_is_what_lockout_reads_ACC_12(reset_request):
    """Consumed through allauth's public interface, read back the way lockout.py reads it."""
    email = "maija@example.com"
    before = time.time()
    for _ in range(3):
        assert public_ratelimit.consume(reset_request, action="reset_password", key=email)
    assert not public_ratelimit.consume(reset_request, action="reset_password", key=email), "3/15m/key is used up"

    per_key = next(rate for rate in ratelimit.get_rates(app="allauth.account", action="reset_password") if rate.per == "key")
    history = cache.get(
        ratelimit.get_cache_key(reset_request, app="allauth.account", action="reset_password", rate=per_key, key=email)
    )
    assert isinstance(history, list)
    assert len(history) == 3
    assert all(isinstance(hit, float) and hit >= before for hit in history)
    assert history == sorted(history, reverse=True), "newest first"

    wait = lockout.seconds_until_allowed(reset_request, action="reset_password", key=email)
    assert 15 * 60 - 5 <= wait <= 15 * 60, "the oldest of the three counted attempts leaves the window in 15 minutes"
    assert lockout.seconds_until_allowed(reset_request, action="reset_password", key="other@example.com") == 0
