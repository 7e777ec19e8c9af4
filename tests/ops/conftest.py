import pytest

from heka_portal.ops import probes


@pytest.fixture(autouse=True)
def _fresh_readiness():
    probes.forget_readiness()
    yield
    probes.forget_readiness()
