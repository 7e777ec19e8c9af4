"""Key pairs for SAML: configured PEM files, or a pair generated once into var/saml/.

Generated pairs serve only the development identity provider and the tests (settings/saml.py
refuses a real identity provider without a configured pair). A pair is written to a temporary
file and linked into place, so that processes starting at the same time agree on one pair.
"""

import contextlib
import datetime
import functools
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings

_KEY_BITS = 3072
_CERT_YEARS = 10


@dataclass(frozen=True)
class KeyPair:
    private_key_pem: str
    certificate_pem: str

    @property
    def certificate_base64(self) -> str:
        """The certificate as metadata and KeyInfo carry it: base64 without the PEM lines."""
        lines = self.certificate_pem.strip().splitlines()
        return "".join(line for line in lines if not line.startswith("-----"))


def generate_key_pair(common_name: str) -> KeyPair:
    key = rsa.generate_private_key(public_exponent=65537, key_size=_KEY_BITS)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * _CERT_YEARS))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return KeyPair(key_pem, certificate.public_bytes(serialization.Encoding.PEM).decode())


def _split_pem(text: str) -> KeyPair:
    key_start = text.index("-----BEGIN PRIVATE KEY-----")
    key_end = text.index("-----END PRIVATE KEY-----") + len("-----END PRIVATE KEY-----")
    cert_start = text.index("-----BEGIN CERTIFICATE-----")
    cert_end = text.index("-----END CERTIFICATE-----") + len("-----END CERTIFICATE-----")
    return KeyPair(text[key_start:key_end] + "\n", text[cert_start:cert_end] + "\n")


def generated_key_pair(name: str, common_name: str) -> KeyPair:
    """The pair stored as var/saml/<name>.pem, generated on the first call of any process."""
    return _generated_key_pair(Path(settings.VAR_DIR) / "saml" / f"{name}.pem", common_name)


@functools.cache
def _generated_key_pair(path: Path, common_name: str) -> KeyPair:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pair = generate_key_pair(common_name)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".generating-")
        try:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(pair.private_key_pem + pair.certificate_pem)
            os.chmod(temporary, 0o600)
            # link() fails when another process linked its pair first; then that pair is the one.
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    return _split_pem(path.read_text())


@functools.cache
def _configured_key_pair(key_file: str, cert_file: str) -> KeyPair:
    return KeyPair(Path(key_file).read_text(), Path(cert_file).read_text())


def service_provider_key_pair() -> KeyPair:
    if settings.HEKA_SAML_SP_KEY_FILE and settings.HEKA_SAML_SP_CERT_FILE:
        return _configured_key_pair(settings.HEKA_SAML_SP_KEY_FILE, settings.HEKA_SAML_SP_CERT_FILE)
    return generated_key_pair("service-provider", "Heka Resident Portal SAML SP (generated)")
