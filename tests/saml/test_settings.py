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


def test_production_refuses_the_suomifi_test_environment_SFI_3():
    """SFI-3: Suomi.fi's test identifier comes only with HEKA_SAML_TEST_ENVIRONMENT, and
    production settings refuse to start with it."""
    result = run_settings({**PRODUCTION, "HEKA_SAML_TEST_ENVIRONMENT": "1"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "HEKA_SAML_TEST_ENVIRONMENT cannot be on in production" in result.stderr


SHOW_CONTEXTS = (
    "import django; django.setup(); from accounts.saml.config import accepted_contexts\nprint(' '.join(accepted_contexts()))"
)


def test_accepted_contexts_are_a_setting_of_strong_contexts_only_SFI_3():
    """SFI-3: HEKA_SAML_ACCEPTED_CONTEXTS defaults to the four strong contexts, may narrow them,
    and cannot name the test identifier or anything weaker."""
    local = {"DJANGO_SETTINGS_MODULE": "heka_portal.settings.test"}
    default = run_settings(local, SHOW_CONTEXTS)
    assert default.returncode == 0, default.stderr
    assert default.stdout.split() == [
        "http://ftn.ficora.fi/2017/loa3",
        "http://eidas.europa.eu/LoA/high",
        "http://ftn.ficora.fi/2017/loa2",
        "http://eidas.europa.eu/LoA/substantial",
    ]
    narrowed = run_settings({**local, "HEKA_SAML_ACCEPTED_CONTEXTS": "http://ftn.ficora.fi/2017/loa3"}, SHOW_CONTEXTS)
    assert narrowed.stdout.split() == ["http://ftn.ficora.fi/2017/loa3"]
    for weak in ("urn:oid:1.2.246.517.3002.110.999", "urn:oid:1.2.246.517.3002.110.7", "http://eidas.europa.eu/LoA/low"):
        refused = run_settings({**local, "HEKA_SAML_ACCEPTED_CONTEXTS": weak}, SHOW_CONTEXTS)
        assert refused.returncode != 0, weak
        assert "ImproperlyConfigured" in refused.stderr
    with_test = run_settings({**local, "HEKA_SAML_TEST_ENVIRONMENT": "1"}, SHOW_CONTEXTS)
    assert with_test.stdout.split()[-1] == "urn:oid:1.2.246.517.3002.110.999"


def test_laptop_accepts_the_test_identifier_like_suomifi_test_environment_SFI_3_SFI_6():
    """SFI-3, SFI-6: the local settings (the development IdP) default to Suomi.fi's test environment."""
    result = run_settings({"DJANGO_SETTINGS_MODULE": "heka_portal.settings.local"}, SHOW_CONTEXTS)
    assert result.returncode == 0, result.stderr
    assert "urn:oid:1.2.246.517.3002.110.999" in result.stdout.split()


def test_metadata_contacts_must_be_complete_SFI_1():
    """SFI-1: Suomi.fi requires a contact's given name, surname and e-mail; a blank one stops start-up."""
    result = run_settings({**PRODUCTION, "HEKA_SAML_SUPPORT_CONTACT_EMAIL": ""})
    assert result.returncode != 0
    assert "HEKA_SAML_SUPPORT_CONTACT_GIVEN_NAME, _SURNAME and _EMAIL must all be set" in result.stderr
