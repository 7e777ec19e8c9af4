"""The development identity provider can never be enabled in production; a real identity
provider needs a configured key pair; generated keys are never committed (ACC-15)."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from accounts.saml.keys import service_provider_key_pair
from tests.production_env import production_env

ROOT = Path(__file__).resolve().parent.parent.parent
PRODUCTION = production_env()
SHOW_DEV_IDP = (
    "import django; django.setup(); from django.conf import settings; from django.urls import reverse, NoReverseMatch\n"
    "try:\n    reverse('devidp:sso'); mounted = True\nexcept NoReverseMatch:\n    mounted = False\n"
    "print('dev-idp', settings.HEKA_DEV_IDP_ENABLED, mounted)"
)


def run_settings(environment: dict[str, str], code: str = SHOW_DEV_IDP) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "HEKA_", "DATABASE_", "CELERY_", "REDIS_"))
    }
    env.update(environment)
    # The code is this module's own constant, run with this interpreter.
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_production_refuses_the_development_identity_provider():
    """ACC-15: HEKA_DEV_IDP_ENABLED=1 stops production settings with ImproperlyConfigured."""
    result = run_settings({**PRODUCTION, "HEKA_DEV_IDP_ENABLED": "1"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "The development identity provider can never be enabled in production." in result.stderr


def test_production_has_no_development_identity_provider_urls():
    """ACC-15: in production the dev IdP is off and its URLs are not mounted."""
    result = run_settings(PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["dev-idp", "False", "False"]


def test_laptop_uses_the_development_identity_provider_by_default():
    """ACC-15: local settings turn the dev IdP on, so that the flow works with no outside service."""
    result = run_settings({"DJANGO_SETTINGS_MODULE": "heka_portal.settings.local"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["dev-idp", "True", "True"]


def test_real_identity_provider_needs_a_configured_key_pair(tmp_path):
    """ACC-15: IdP metadata without our key pair stops start-up (generated keys are for the dev IdP)."""
    metadata = tmp_path / "idp.xml"
    metadata.write_text("<md:EntityDescriptor xmlns:md='urn:oasis:names:tc:SAML:2.0:metadata' entityID='x'/>")
    without_pair = {key: value for key, value in PRODUCTION.items() if not key.startswith("HEKA_SAML_SP_")}
    result = run_settings({**without_pair, "HEKA_SAML_IDP_METADATA_FILE": str(metadata)})
    assert result.returncode != 0
    assert "HEKA_SAML_SP_CERT_FILE and HEKA_SAML_SP_KEY_FILE must be set" in result.stderr


def test_configured_key_file_must_exist(tmp_path):
    """ACC-15: a key path that points nowhere is found at start-up, not at the first login."""
    result = run_settings(
        {**PRODUCTION, "HEKA_SAML_SP_CERT_FILE": str(tmp_path / "nope.crt"), "HEKA_SAML_SP_KEY_FILE": str(tmp_path / "nope.key")}
    )
    assert result.returncode != 0
    assert "HEKA_SAML_SP_CERT_FILE names a file that does not exist" in result.stderr


def test_generated_service_provider_keys_live_in_var_and_are_not_committed():
    """ACC-15: without configured keys a pair is generated into HEKA_VAR_DIR/saml/, which git ignores."""
    pair = service_provider_key_pair()
    path = Path(settings.VAR_DIR) / "saml" / "service-provider.pem"
    assert path.exists()
    assert pair.certificate_pem in path.read_text()
    assert (path.stat().st_mode & 0o077) == 0
    if path.is_relative_to(ROOT):
        ignored = subprocess.run(["git", "check-ignore", "-q", str(path)], cwd=ROOT, check=False)  # noqa: S607
        assert ignored.returncode == 0
