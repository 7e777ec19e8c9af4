"""SFI-5: when our SP certificate and the identity provider's certificates expire.

    from accounts.saml.certificates import certificate_report

``certificate_report(*, now=None) -> list[dict]`` gives one item per certificate, ours first::

    {"certificate": "sp", "index": 0, "entity": <our entity id>, "use": "signing and encryption",
     "subject": "CN=...", "sha256": <fingerprint>, "not_after": "2027-03-01", "days_left": 412,
     "status": "ok" | "warning" | "expired"}

and for the IdP ``"certificate": "idp"`` with its entity id, ``use`` "signing" or "encryption"
and ``index`` counting each use from 0 in metadata order. "warning" means at most
WARNING_DAYS days left; never any key material. It raises `IdentityProviderUnavailable` when the
IdP metadata is configured but cannot be read, and lists only our certificate when no IdP is
configured. `manage.py saml_certificates` prints the report; the readiness check reads it.
"""

import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from django.conf import settings
from django.utils import timezone

from . import config
from .keys import service_provider_key_pair

WARNING_DAYS = 60


def _load(certificate: str) -> x509.Certificate:
    text = certificate.strip()
    if "-----BEGIN CERTIFICATE-----" in text:
        return x509.load_pem_x509_certificate(text.encode())
    body = "".join(text.split())
    lines = "\n".join(body[index : index + 64] for index in range(0, len(body), 64))
    return x509.load_pem_x509_certificate(f"-----BEGIN CERTIFICATE-----\n{lines}\n-----END CERTIFICATE-----\n".encode())


def _item(kind: str, index: int, entity: str, use: str, certificate: str, now: datetime.datetime) -> dict:
    try:
        loaded = _load(certificate)
    except ValueError:
        raise config.IdentityProviderUnavailable(f"certificate {index} ({use}) of {entity} cannot be read") from None
    not_after = loaded.not_valid_after_utc
    days_left = (not_after - now).days if not_after > now else -((now - not_after).days + 1)
    if not_after <= now:
        status = "expired"
    elif not_after - now <= datetime.timedelta(days=WARNING_DAYS):
        status = "warning"
    else:
        status = "ok"
    return {
        "certificate": kind,
        "index": index,
        "entity": entity,
        "use": use,
        "subject": loaded.subject.rfc4514_string(),
        "sha256": loaded.fingerprint(hashes.SHA256()).hex(":"),
        "not_after": not_after.date().isoformat(),
        "days_left": days_left,
        "status": status,
    }


def _idp_metadata() -> bytes | None:
    if settings.HEKA_SAML_IDP_METADATA_FILE:
        path = Path(settings.HEKA_SAML_IDP_METADATA_FILE)
        try:
            return path.read_bytes()
        except OSError:
            raise config.IdentityProviderUnavailable(f"the identity provider metadata file {path} cannot be read") from None
    if settings.HEKA_DEV_IDP_ENABLED:
        from accounts.devidp.idp import metadata_xml

        return metadata_xml(None)
    return None


def certificate_report(*, now: datetime.datetime | None = None) -> list[dict]:
    now = now or timezone.now()
    report = [_item("sp", 0, config.sp_entity_id(), "signing and encryption", service_provider_key_pair().certificate_pem, now)]
    metadata = _idp_metadata()
    if metadata is None:
        return report
    idp = config.idp_from_metadata_xml(metadata, settings.HEKA_SAML_IDP_ENTITY_ID)
    multi = idp.get("x509certMulti") or {}
    by_use = {
        "signing": multi.get("signing") or ([idp["x509cert"]] if idp.get("x509cert") else []),
        "encryption": multi.get("encryption") or [],
    }
    for use, certificates in by_use.items():
        for index, certificate in enumerate(certificates):
            report.append(_item("idp", index, idp["entityId"], use, certificate, now))
    return report
