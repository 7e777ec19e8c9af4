"""Fill an empty database with the demo register, accounts and the other apps' demo data (bin/demo).

Running it again adds nothing. Other apps join in through `heka_portal.registry.demo_seeder`
(from their AppConfig.ready); their seeders run after the register exists.
"""

from io import StringIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from heka_portal import registry
from tenancy.demo import DEMO_PASSWORD, demo_populate, people_markdown, people_table


class Command(BaseCommand):
    help = "Fill the database with a small demo register, demo accounts and bulletins. Running it again adds nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--markdown", metavar="FILE", help="Also write the table of demo people as Markdown to FILE.")

    def handle(self, *args: Any, markdown: str | None = None, **options: Any) -> None:
        if not getattr(settings, "HEKA_DEV_IDP_ENABLED", False) and not settings.DEBUG:
            raise CommandError("Demo data is for a laptop: DEBUG or the development identity provider must be on.")
        call_command("setup_groups", stdout=StringIO(), stderr=self.stderr)
        result = demo_populate()
        self.stdout.write(
            f"Demo register {'updated' if result.register_changed else 'already in place'}; "
            f"{result.bulletins} bulletin(s) and "
            f"{len(result.accounts)} account(s) added."
        )
        for seeder in registry.demo_seeders():
            seeder.populate(stdout=self.stdout)
        self._print_table()
        if markdown:
            Path(markdown).write_text(people_markdown(), encoding="utf-8")
            self.stdout.write(f"Wrote {markdown}.")

    def _print_table(self) -> None:
        rows = [("Test person", "Role", "E-mail login"), *people_table()]
        widths = [max(len(row[column]) for row in rows) for column in range(2)]
        self.stdout.write("")
        for name, role, login in rows:
            self.stdout.write(f"{name:<{widths[0]}}  {role:<{widths[1]}}  {login}")
        self.stdout.write(f"\nPassword of every demo account: {DEMO_PASSWORD}")
