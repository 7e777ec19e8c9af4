"""The one rate limiter (heka_portal.http.RateLimit) and what it does when the cache is down (ACC-12).

The cache-outage tests point Django's cache at a Redis port where nothing listens, so the real
client fails as it would in production: the limit then refuses, and says when to try again.
"""

import datetime
import logging

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import override_settings

from heka_portal import http
from heka_portal.http import CACHE_DOWN_RETRY_SECONDS, RateLimit

NO_CACHE_SERVER = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}


class FrozenClock:
    """Pins the limiter's clock to the middle of a window, so no test straddles a window's end."""

    def __init__(self, now: float) -> None:
        self.now = now

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    cache.clear()
    clock = FrozenClock(1_800_000_000.0 + 30)
    monkeypatch.setattr(http, "time", clock)
    yield clock
    cache.clear()


@pytest.fixture
def cache_down():
    with override_settings(CACHES=NO_CACHE_SERVER):
        yield


def test_a_limit_lets_the_allowed_attempts_through_then_says_when_the_window_ends_ACC_12(clock):
    limit = RateLimit("test-hits", attempts=3, window_seconds=60)
    assert [limit.hit("maija@example.com") for _ in range(3)] == [None, None, None]

    refused = limit.hit("maija@example.com")

    window_end = (int(clock.now // 60) + 1) * 60
    assert refused == datetime.datetime.fromtimestamp(window_end, tz=datetime.UTC)
    assert limit.hit("matti@example.com") is None, "another key has its own count"
    clock.now = window_end + 1
    assert limit.hit("maija@example.com") is None, "the next window starts afresh"


def test_check_does_not_count_and_clear_forgets_ACC_12(clock):
    limit = RateLimit("test-failures", attempts=2, window_seconds=900)
    assert limit.check("7") is None
    limit.hit("7")
    assert limit.check("7") is None
    limit.hit("7")
    assert limit.check("7") is not None, "two failures of two allowed: locked"
    limit.clear("7")
    assert limit.check("7") is None


def test_the_counted_key_is_never_stored_as_such(clock):
    limit = RateLimit("test-keys", attempts=1, window_seconds=60)
    limit.hit("maija@example.com")
    key = limit._cache_key("maija@example.com", int(clock.now // 60))
    assert cache.get(key) == 1, "the count is in the shared cache"
    assert "maija" not in key


def test_when_the_cache_is_down_the_limit_refuses_and_logs_ACC_12(clock, cache_down, caplog):
    limit = RateLimit("test-down", attempts=100, window_seconds=3600)
    with caplog.at_level(logging.ERROR, logger="heka_portal.http"):
        refused = limit.hit("10.0.0.1")
        checked = limit.check("10.0.0.1")
        limit.clear("10.0.0.1")  # nothing to clear; must not raise

    retry = datetime.datetime.fromtimestamp(clock.now + CACHE_DOWN_RETRY_SECONDS, tz=datetime.UTC)
    assert refused == checked == retry, "refused for a minute, not for the whole window"
    assert "the cache cannot be reached" in caplog.text


def test_activation_links_are_not_sent_while_the_cache_is_down_ACC_12(client, household, clock, cache_down):
    client.cookies["django_language"] = "en"
    response = client.post("/accounts/activate/new/", {"email": "maija@example.com"})
    assert response.status_code == 429
    assert "Too many attempts. Please try again after" in response.content.decode()
    assert mail.outbox == []


def test_office_look_ups_are_refused_while_the_cache_is_down_ACC_12(client, db, clock, cache_down):
    client.cookies["django_language"] = "en"
    response = client.post("/accounts/register/office/", {"email": "maija@example.com"})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
