"""Load the tenancy register from the ERP system's JSON export (format: docs/register-import.md).

The whole file is checked before anything is written: a file with any error changes nothing, and
every error names the section, the row and the field (X-4). Rows are matched to the register by
their natural keys, so importing the same file again changes nothing. The register is large
(~100,000 persons): existing rows are fetched in chunks by key, and writes are bulk operations,
so the number of queries grows with the number of chunks, not of rows.

Identity codes go into the register only through `Person.set_hetu` (keyed hash and encrypted copy)
and never appear in an error message (X-3, X-7). Bank account numbers are not echoed either.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from .check import Check
from .rows import COUNTED, FORMAT, SECTIONS, RowError, SectionCount
from .write import Writer

__all__ = [
    "COUNTED",
    "FORMAT",
    "SECTIONS",
    "STAGES",
    "ImportReport",
    "RegisterFileError",
    "RowError",
    "SectionCount",
    "register_import",
    "register_read",
]


class RegisterFileError(Exception):
    """The file cannot be read as a register export at all."""


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    counts: dict[str, SectionCount] = field(default_factory=lambda: {name: SectionCount() for name in COUNTED})
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> bool:
        return any(count.changed for count in self.counts.values())


# An export is an object of sections, each a list of row objects, whose deepest field is a list of
# parties: four levels. Anything much deeper is not a register, whatever else it is.
MAX_DEPTH = 8


def register_read(stream: IO[bytes]) -> dict[str, Any]:
    """Parse the export; raise RegisterFileError when it is not a JSON object in UTF-8 shaped like one."""
    too_deep = RegisterFileError(
        _("The file is nested more deeply than a register export (at most %(depth)d levels).") % {"depth": MAX_DEPTH}
    )
    try:
        document = json.loads(stream.read().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise RegisterFileError(_("The file is not UTF-8 text.")) from None
    except RecursionError:  # the parser recurses once per level of nesting
        raise too_deep from None
    except ValueError as error:
        raise RegisterFileError(_("The file is not valid JSON: %(error)s") % {"error": error}) from None
    if not isinstance(document, dict):
        raise RegisterFileError(_("The file must hold one JSON object with the register's sections."))
    if _depth_exceeds(document, MAX_DEPTH):
        raise too_deep
    return document


def _depth_exceeds(document: object, limit: int) -> bool:
    """Whether lists and objects nest deeper than `limit`; walked without recursion."""
    stack: list[tuple[object, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        for child in children:
            if isinstance(child, dict | list):
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False


# The steps of an import, in order, as `progress` hears of them.
STAGES = ("reading", "comparing", "checking", "writing")


@transaction.atomic
def register_import(
    *, document: dict[str, Any], dry_run: bool = False, progress: Callable[[str], None] | None = None
) -> ImportReport:
    """Check the whole document and, when it has no error, write it in this one transaction.

    With `dry_run` the changes are counted and rolled back. `progress` is told each of `STAGES` as
    it begins (it must not write to the database: this transaction may be rolled back).
    """
    tell = progress or (lambda stage: None)
    report = ImportReport()
    check = Check(report.errors)
    tell("reading")
    check.read(document)
    tell("comparing")
    check.fetch_register()
    tell("checking")
    check.cross_check()
    if report.errors:
        order = {name: index for index, name in enumerate(SECTIONS)}
        report.errors.sort(key=lambda error: (order.get(error.section, -1), error.row))
        return report
    tell("writing")
    Writer(check, report.counts).write()
    if dry_run:
        transaction.set_rollback(True)
    else:
        report.written = True
    return report
