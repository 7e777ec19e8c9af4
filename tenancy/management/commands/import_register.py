"""Load the tenancy register from the ERP system's JSON export (docs/register-import.md)."""

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from tenancy.importer import COUNTED
from tenancy.importer.history import errors_of, register_import_command
from tenancy.models import RegisterImport


class Command(BaseCommand):
    help = (
        "Load the tenancy register from a JSON export of the ERP system. The whole file is checked first; "
        "a file with any error changes nothing. Importing the same file again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The JSON export, or - to read standard input.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and count the changes, but write nothing.")
        parser.add_argument(
            "--max-errors", type=int, default=500, help="Print at most this many errors (all are counted). Default 500."
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="The language of the messages (default: the site's language).",
        )

    def handle(self, *args: Any, file: str, dry_run: bool, max_errors: int, language: str | None, **options: Any) -> None:
        if language:
            with translation.override(language):
                self._import(file, dry_run=dry_run, max_errors=max_errors)
        else:
            self._import(file, dry_run=dry_run, max_errors=max_errors)

    def _import(self, file: str, *, dry_run: bool, max_errors: int) -> None:
        try:
            content = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None

        # The same importer, and the same history, as the admin's upload (STF-5).
        record = register_import_command(file_name=file, content=content, dry_run=dry_run)
        errors = errors_of(record)
        if record.status == RegisterImport.Status.FAILED:
            raise CommandError(
                _("%(file)s: the database refused the import (the register changed meanwhile?); nothing was changed.")
                % {"file": file}
            )
        if len(errors) == 1 and not errors[0].section:
            raise CommandError(f"{file}: {errors[0].message}")
        if errors:
            for row_error in errors[:max_errors]:
                self.stderr.write(str(row_error))
            if len(errors) > max_errors:
                self.stderr.write(_("… and %(count)d more.") % {"count": len(errors) - max_errors})
            raise CommandError(
                _("%(file)s: %(count)d error(s) found; nothing was changed.") % {"file": file, "count": len(errors)}
            )
        counts = record.counts if record.status == RegisterImport.Status.APPLIED else record.dry_run_counts
        self._write_counts(counts)
        if dry_run:
            self.stdout.write(_("The file is valid. Nothing was written (--dry-run)."))
        elif any(count["created"] or count["updated"] or count["removed"] for count in counts.values()):
            self.stdout.write(self.style.SUCCESS(_("The register was updated.")))
        else:
            self.stdout.write(_("The register already matched the file; nothing was changed."))

    def _write_counts(self, counts: dict[str, dict[str, int]]) -> None:
        columns = ("created", "updated", "ended", "unchanged", "removed")
        headings = (_("created"), _("updated"), _("ended"), _("unchanged"), _("removed"))
        self.stdout.write(f"{_('section'):<20}" + "".join(f"{heading:>11}" for heading in headings))
        for section in COUNTED:
            self.stdout.write(f"{section:<20}" + "".join(f"{counts[section][column]:>11}" for column in columns))
