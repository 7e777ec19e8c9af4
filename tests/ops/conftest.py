import pytest
from django.core.cache import cache

from heka_portal.ops import probes


@pytest.fixture(autouse=True)
def _fresh_state():
    """Each test starts with fresh readiness and an empty cache, and leaves no login or reset
    counts in the shared cache for the tests after it (the web processes of OPS-6 count there too)."""
    probes.forget_readiness()
    cache.clear()
    yield
    cache.clear()
    probes.forget_readiness()
