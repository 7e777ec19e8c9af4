import pytest


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Uploaded documents go to a folder of the test's own."""
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}}}
    return tmp_path
