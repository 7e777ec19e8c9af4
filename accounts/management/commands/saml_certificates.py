"""SFI-5: print when our SAML certificate and the identity provider's certificates expire.

    manage.py saml_certificates [--json]

Exits 1 when a certificate has at most 60 days left or has expired, and 2 when the identity
provider's metadata cannot be read, so that a scheduled run can alert.
"""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from accounts.saml.certificates import WARNING_DAYS, certificate_report
from accounts.saml.config import IdentityProviderUnavailable


class Command(BaseCommand):
    help = f"Report the expiry of the SAML certificates (ours and the identity provider's); warn {WARNING_DAYS} days ahead."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = certificate_report()
        except IdentityProviderUnavailable as error:
            self.stderr.write(f"error: {error}")
            raise SystemExit(2) from None
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2))
        else:
            for item in report:
                who = "our SP" if item["certificate"] == "sp" else f"IdP {item['entity']}"
                line = (
                    f"{item['status'].upper():8} {who}, {item['use']} certificate {item['index']}: "
                    f"valid until {item['not_after']} ({item['days_left']} days), {item['subject']}"
                )
                self.stdout.write(line)
        if any(item["status"] != "ok" for item in report):
            raise SystemExit(1)
