from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from retention.services import retention_apply


class Command(BaseCommand):
    help = (
        "Anonymise the data of former residents whose last tenancy ended longer ago than "
        "HEKA_RETENTION_AFTER_TENANCY_DAYS and who have nothing open (OPS-8); --dry-run only counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count what would be removed; change nothing.")

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        run = retention_apply(dry_run=dry_run)
        verb = "would be" if dry_run else "were"
        self.stdout.write(f"Tenancies ended before {run.tenancy_ended_before}: {run.persons} person(s) {verb} anonymised.")
        for kind, count in run.counts.items():
            self.stdout.write(f"  {kind}: {count}")
        self.stdout.write(f"Recorded as retention run {run.pk}.")
