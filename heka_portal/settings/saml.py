"""Strong identification: the SAML 2.0 service provider (accounts.saml) and its identity provider.

| variable | meaning |
|---|---|
| `HEKA_SAML_SP_ENTITY_ID` | our entity id; empty means `<HEKA_SITE_URL>/saml/metadata/` |
| `HEKA_SAML_SP_CERT_FILE`, `HEKA_SAML_SP_KEY_FILE` | PEM files of the SP signing and encryption pair |
| `HEKA_SAML_IDP_METADATA_FILE` | the identity provider's metadata (e.g. Suomi.fi's), more than one signing certificate allowed |
| `HEKA_SAML_IDP_ENTITY_ID` | which entity of that file, when it holds several |
| `HEKA_SAML_ACCEPTED_CONTEXTS` | contexts accepted and requested (comma-separated); by default the four strong ones |
| `HEKA_SAML_TEST_ENVIRONMENT` | `1` also accepts Suomi.fi's test identifier (`...110.999`); `production` refuses it |
| `HEKA_SAML_TECHNICAL_CONTACT_GIVEN_NAME`, `_SURNAME`, `_EMAIL` | the technical contact person in our metadata |
| `HEKA_SAML_SUPPORT_CONTACT_GIVEN_NAME`, `_SURNAME`, `_EMAIL` | the support contact person in our metadata |
| `HEKA_SAML_PRIVACY_STATEMENT_URL_FI`, `_SV`, `_EN` | the privacy statement in each language (`mdui:PrivacyStatementURL`) |
| `HEKA_SAML_ORGANIZATION_URL_FI`, `_SV`, `_EN` | Heka's web site in each language (`md:OrganizationURL`) |
| `HEKA_DEV_IDP_ENABLED` | the built-in development identity provider (`local` defaults it on, `production` refuses it) |
| `HEKA_DEV_IDP_BASE_URL` | where the development identity provider's endpoints live, when it is served on another origin |

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

from accounts.saml.constants import STRONG_CONTEXTS, TEST_IDENTIFIER

from .env import env_bool, env_list, env_str

__all__ = [
    "HEKA_DEV_IDP_BASE_URL",
    "HEKA_DEV_IDP_ENABLED",
    "HEKA_SAML_ACCEPTED_CONTEXTS",
    "HEKA_SAML_CONTACTS",
    "HEKA_SAML_IDP_ENTITY_ID",
    "HEKA_SAML_IDP_METADATA_FILE",
    "HEKA_SAML_ORGANIZATION_URLS",
    "HEKA_SAML_PRIVACY_STATEMENT_URLS",
    "HEKA_SAML_SP_CERT_FILE",
    "HEKA_SAML_SP_ENTITY_ID",
    "HEKA_SAML_SP_KEY_FILE",
    "HEKA_SAML_TEST_ENVIRONMENT",
]

HEKA_DEV_IDP_ENABLED = env_bool("HEKA_DEV_IDP_ENABLED", False)
HEKA_DEV_IDP_BASE_URL = env_str("HEKA_DEV_IDP_BASE_URL", "")

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

# SFI-3: which authentication contexts are accepted. Only strong ones can be named; Suomi.fi's
# test identifier comes only with HEKA_SAML_TEST_ENVIRONMENT, which production refuses.
HEKA_SAML_ACCEPTED_CONTEXTS = env_list("HEKA_SAML_ACCEPTED_CONTEXTS", list(STRONG_CONTEXTS))
HEKA_SAML_TEST_ENVIRONMENT = env_bool("HEKA_SAML_TEST_ENVIRONMENT", False)
if not HEKA_SAML_ACCEPTED_CONTEXTS:
    raise ImproperlyConfigured("HEKA_SAML_ACCEPTED_CONTEXTS must name at least one authentication context.")
for _context in HEKA_SAML_ACCEPTED_CONTEXTS:
    if _context == TEST_IDENTIFIER:
        raise ImproperlyConfigured(
            "HEKA_SAML_ACCEPTED_CONTEXTS cannot name Suomi.fi's test identifier; set HEKA_SAML_TEST_ENVIRONMENT=1 instead."
        )
    if _context not in STRONG_CONTEXTS:
        raise ImproperlyConfigured(
            f"HEKA_SAML_ACCEPTED_CONTEXTS may name only strong authentication contexts ({', '.join(STRONG_CONTEXTS)}), "
            f"not {_context!r}."
        )

# SFI-1: what our metadata tells Suomi.fi about the service. Replace the defaults before registering.
HEKA_SAML_CONTACTS = {
    kind: {
        "given_name": env_str(f"HEKA_SAML_{kind.upper()}_CONTACT_GIVEN_NAME", given_name),
        "surname": env_str(f"HEKA_SAML_{kind.upper()}_CONTACT_SURNAME", surname),
        "email": env_str(f"HEKA_SAML_{kind.upper()}_CONTACT_EMAIL", email),
    }
    for kind, given_name, surname, email in (
        ("technical", "Asukasportaalin", "Ylläpito", "asukasportaali-tekninen@heka.example"),
        ("support", "Hekan", "Asiakaspalvelu", "asiakaspalvelu@heka.example"),
    )
}
for _kind, _contact in HEKA_SAML_CONTACTS.items():
    if not all(_contact.values()) or "@" not in _contact["email"]:
        raise ImproperlyConfigured(
            f"HEKA_SAML_{_kind.upper()}_CONTACT_GIVEN_NAME, _SURNAME and _EMAIL must all be set (Suomi.fi requires them)."
        )
HEKA_SAML_PRIVACY_STATEMENT_URLS = {
    "fi": env_str("HEKA_SAML_PRIVACY_STATEMENT_URL_FI", "https://www.heka.example/fi/tietosuoja/"),
    "sv": env_str("HEKA_SAML_PRIVACY_STATEMENT_URL_SV", "https://www.heka.example/sv/dataskydd/"),
    "en": env_str("HEKA_SAML_PRIVACY_STATEMENT_URL_EN", "https://www.heka.example/en/privacy/"),
}
HEKA_SAML_ORGANIZATION_URLS = {
    "fi": env_str("HEKA_SAML_ORGANIZATION_URL_FI", "https://www.heka.example/fi/"),
    "sv": env_str("HEKA_SAML_ORGANIZATION_URL_SV", "https://www.heka.example/sv/"),
    "en": env_str("HEKA_SAML_ORGANIZATION_URL_EN", "https://www.heka.example/en/"),
}
for _name, _urls in (
    ("PRIVACY_STATEMENT_URL", HEKA_SAML_PRIVACY_STATEMENT_URLS),
    ("ORGANIZATION_URL", HEKA_SAML_ORGANIZATION_URLS),
):
    for _language, _url in _urls.items():
        if not _url.startswith(("https://", "http://")):
            raise ImproperlyConfigured(f"HEKA_SAML_{_name}_{_language.upper()} must be an http(s) address, not {_url!r}.")
