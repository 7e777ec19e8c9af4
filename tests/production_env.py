"""The environment of a complete production configuration, for tests that load production settings.

Settings only check that the SAML files exist; their content is exercised by tests/saml.
"""

import tempfile
from functools import cache
from pathlib import Path

GOOD_KEY = "dGVzdC1vbmx5LWhldHUtaGFzaC1rZXktMzItYnl0ZXM="
OTHER_GOOD_KEY = "dGVzdC1vbmx5LWhldHUtZW5jcnlwdGlvbi1rZXktMzI="


@cache
def _saml_files() -> dict[str, str]:
    folder = Path(tempfile.mkdtemp(prefix="heka-saml-"))
    files = {
        "HEKA_SAML_SP_CERT_FILE": folder / "sp.crt",
        "HEKA_SAML_SP_KEY_FILE": folder / "sp.key",
        "HEKA_SAML_IDP_METADATA_FILE": folder / "idp-metadata.xml",
    }
    for path in files.values():
        path.write_text("-")
    return {name: str(path) for name, path in files.items()}


def production_env() -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "heka_portal.settings.production",
        "DJANGO_SECRET_KEY": "test-only-Qm8vT2x9Lr4kWz7NpE3sYc6uHa1JdF5gXb0VnR2tKw8yMe4PqZ",
        "DATABASE_URL": "postgres://heka@db:5432/heka",
        "CELERY_BROKER_URL": "redis://redis:6379/0",
        "REDIS_URL": "redis://redis:6379/1",
        "HEKA_SITE_URL": "https://asukas.heka.example",
        "HEKA_HETU_HASH_KEY": GOOD_KEY,
        "HEKA_HETU_ENCRYPTION_KEY": OTHER_GOOD_KEY,
        **_saml_files(),
    }
