"""Strong identification: the SAML 2.0 service provider (accounts.saml) and its identity provider.

| variable | meaning |
|---|---|
| `HEKA_SAML_SP_ENTITY_ID` | our entity id; empty means `<HEKA_SITE_URL>/saml/metadata/` |
| `HEKA_SAML_SP_CERT_FILE`, `HEKA_SAML_SP_KEY_FILE` | PEM files of the SP signing and encryption pair |
| `HEKA_SAML_IDP_METADATA_FILE` | the identity provider's metadata (e.g. Suomi.fi's), more than one signing certificate allowed |
| `HEKA_SAML_IDP_ENTITY_ID` | which entity of that file, when it holds several |
| `HEKA_DEV_IDP_ENABLED` | the built-in development identity provider (`local` defaults it on, `production` refuses it) |

A real identity provider needs a key pair that the operator configured and registered with it, so
setting `HEKA_SAML_IDP_METADATA_FILE` without the key pair stops start-up. Without a real identity
provider (a laptop with the development one, or the tests) a pair is generated on first use into
`HEKA_VAR_DIR/saml/`, which is never committed.

The response's Destination is compared with the address the browser posted to, so behind a proxy
that terminates TLS Django must know the original scheme: production sets
`SECURE_PROXY_SSL_HEADER` (and `USE_X_FORWARDED_HOST`) when `DJANGO_BEHIND_TLS_PROXY=1`.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_str

__all__ = [
    "HEKA_DEV_IDP_ENABLED",
    "HEKA_SAML_IDP_ENTITY_ID",
    "HEKA_SAML_IDP_METADATA_FILE",
    "HEKA_SAML_SP_CERT_FILE",
    "HEKA_SAML_SP_ENTITY_ID",
    "HEKA_SAML_SP_KEY_FILE",
]

HEKA_DEV_IDP_ENABLED = env_bool("HEKA_DEV_IDP_ENABLED", False)

HEKA_SAML_SP_ENTITY_ID = env_str("HEKA_SAML_SP_ENTITY_ID", "")
HEKA_SAML_SP_CERT_FILE = env_str("HEKA_SAML_SP_CERT_FILE", "")
HEKA_SAML_SP_KEY_FILE = env_str("HEKA_SAML_SP_KEY_FILE", "")
HEKA_SAML_IDP_METADATA_FILE = env_str("HEKA_SAML_IDP_METADATA_FILE", "")
HEKA_SAML_IDP_ENTITY_ID = env_str("HEKA_SAML_IDP_ENTITY_ID", "")

if bool(HEKA_SAML_SP_CERT_FILE) != bool(HEKA_SAML_SP_KEY_FILE):
    raise ImproperlyConfigured("HEKA_SAML_SP_CERT_FILE and HEKA_SAML_SP_KEY_FILE must be set together.")
if HEKA_SAML_IDP_METADATA_FILE and not HEKA_SAML_SP_CERT_FILE:
    raise ImproperlyConfigured(
        "HEKA_SAML_SP_CERT_FILE and HEKA_SAML_SP_KEY_FILE must be set when HEKA_SAML_IDP_METADATA_FILE is: "
        "the identity provider knows our certificate from the metadata registered with it."
    )
for _name in ("HEKA_SAML_SP_CERT_FILE", "HEKA_SAML_SP_KEY_FILE", "HEKA_SAML_IDP_METADATA_FILE"):
    _value = globals()[_name]
    if _value and not Path(_value).is_file():
        raise ImproperlyConfigured(f"{_name} names a file that does not exist: {_value}")
