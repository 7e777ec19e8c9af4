"""SFI-1, SFI-5: print our SP metadata for HEKA_SITE_URL, to register it with Suomi.fi.

    manage.py saml_metadata [--certificate NEW.crt] > heka-sp-metadata.xml

With --certificate the metadata names that certificate instead of the configured one: the file
to send to Suomi.fi before a change of our key pair (Suomi.fi allows one certificate).
"""

from pathlib import Path
from typing import Any

from cryptography import x509
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from accounts.saml import config
from accounts.saml.keys import KeyPair, service_provider_key_pair
from accounts.saml.metadata import build_sp_metadata


class Command(BaseCommand):
    help = "Print the SAML SP metadata (for HEKA_SITE_URL), optionally with a new certificate."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--certificate", metavar="PEM_FILE", help="a new certificate to put in the metadata")

    def handle(self, *args: Any, certificate: str | None = None, **options: Any) -> None:
        if certificate:
            try:
                pem = Path(certificate).read_text()
                x509.load_pem_x509_certificate(pem.encode())
            except (OSError, ValueError) as error:
                raise CommandError(f"{certificate} is not a readable PEM certificate: {error}") from None
            certificate_base64 = KeyPair("", pem).certificate_base64
        else:
            certificate_base64 = service_provider_key_pair().certificate_base64
        site = settings.HEKA_SITE_URL.rstrip("/")
        metadata = build_sp_metadata(
            entity_id=config.sp_entity_id(),
            acs_url=site + reverse("saml:acs"),
            sls_url=site + reverse("saml:sls"),
            certificate_base64=certificate_base64,
            contexts=config.accepted_contexts(),
        )
        self.stdout.write(metadata.decode(), ending="")
