"""Load the tenancy register from the ERP system's JSON export (docs/register-import.md)."""

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError
from django.utils import translation
from django.utils.translation import gettext as _

from tenancy.importer import COUNTED, ImportReport, RegisterFileError, register_import, register_read


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
            if file == "-":
                document = register_read(sys.stdin.buffer)
            else:
                with Path(file).open("rb") as stream:
                    document = register_read(stream)
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        except RegisterFileError as error:
            raise CommandError(f"{file}: {error}") from None

        try:
            report = register_import(document=document, dry_run=dry_run)
        except IntegrityError:
            # The register changed while the file was being checked; the transaction was rolled back.
            raise CommandError(
                _("%(file)s: the database refused the import (the register changed meanwhile?); nothing was changed.")
                % {"file": file}
            ) from None
        if report.errors:
            for row_error in report.errors[:max_errors]:
                self.stderr.write(str(row_error))
            if len(report.errors) > max_errors:
                self.stderr.write(_("… and %(count)d more.") % {"count": len(report.errors) - max_errors})
            raise CommandError(
                _("%(file)s: %(count)d error(s) found; nothing was changed.") % {"file": file, "count": len(report.errors)}
            )
        self._write_counts(report)
        if dry_run:
            self.stdout.write(_("The file is valid. Nothing was written (--dry-run)."))
        elif report.changed:
            self.stdout.write(self.style.SUCCESS(_("The register was updated.")))
        else:
            self.stdout.write(_("The register already matched the file; nothing was changed."))

    def _write_counts(self, report: ImportReport) -> None:
        headings = (_("created"), _("updated"), _("unchanged"), _("removed"))
        self.stdout.write(f"{_('section'):<20}" + "".join(f"{heading:>11}" for heading in headings))
        for section in COUNTED:
            count = report.counts[section]
            numbers = (count.created, count.updated, count.unchanged, count.removed)
            self.stdout.write(f"{section:<20}" + "".join(f"{number:>11}" for number in numbers))
