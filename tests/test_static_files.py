"""Static files are served compressed and cacheable in production (whitenoise, hashed names)."""

from django.core.management import call_command
from django.test import override_settings


def test_collectstatic_makes_hashed_and_compressed_files(tmp_path, settings):
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", "--no-input", verbosity=0)
    css = [path.name for path in (tmp_path / "css").iterdir()]
    hashed = [name for name in css if name.startswith("portal.") and name.endswith(".css") and name != "portal.css"]
    assert hashed, f"no content-hashed portal.css in {css}"
    assert f"{hashed[0]}.gz" in css, "whitenoise serves a gzip copy of each file"
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE
