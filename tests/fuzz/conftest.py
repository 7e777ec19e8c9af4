"""Fixtures of the fuzz tests (X-4): fresh clients in English, no attempt counted from an earlier
example, photos stored in the test's own folder."""

import pytest
from django.core.cache import cache
from django.test import Client


@pytest.fixture(autouse=True)
def _fuzz_settings(settings, tmp_path):
    settings.LANGUAGE_CODE = "en"
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fresh_client():
    """A new browser for each example; the attempt limits of earlier examples are forgotten, since
    they would otherwise answer every later example with 429 before the form is read."""

    def fresh_client(user=None) -> Client:
        cache.clear()
        client = Client()
        client.cookies["django_language"] = "en"
        if user is not None:
            client.force_login(user)
        return client

    return fresh_client
