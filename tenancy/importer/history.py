"""Register imports with a history (STF-5): the one way the admin and `manage.py import_register`
run the importer.

An upload is checked first (a dry run: every change counted, every bad row named, nothing
written); a clerk confirms, and the file is checked again and written in one transaction together
with the import's new status. Files larger than `HEKA_REGISTER_IMPORT_TASK_BYTES` run as a Celery
task while the admin shows a progress page; the stage of a running import is kept in the cache
because the import's own transaction is invisible until it commits.
"""

import contextlib
import io
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tenancy.models import RegisterImport

from . import ImportReport, RegisterFileError, RowError, register_import, register_read

Status = RegisterImport.Status

STAGE_CACHE_SECONDS = 6 * 3600


def max_bytes() -> int:
    return int(getattr(settings, "HEKA_REGISTER_IMPORT_MAX_BYTES", 64 * 1024 * 1024))


def task_bytes() -> int:
    return int(getattr(settings, "HEKA_REGISTER_IMPORT_TASK_BYTES", 256 * 1024))


def _stage_key(import_id: int) -> str:
    return f"heka:register-import:{import_id}:stage"


def register_import_stage(*, register_import: RegisterImport) -> str:
    """The stage (one of importer.STAGES) a running import has reached, or "" when not known."""
    try:
        return str(cache.get(_stage_key(register_import.pk)) or "")
    except Exception:  # the progress page is a courtesy; a missing cache must not break it
        return ""


def _tell(import_id: int, stage: str) -> None:
    # The progress page is a courtesy: an import does not stop because the cache is away.
    with contextlib.suppress(Exception):
        cache.set(_stage_key(import_id), stage, STAGE_CACHE_SECONDS)


def errors_of(register_import: RegisterImport) -> list[RowError]:
    return [RowError(**error) for error in register_import.errors]


def _counts(report: ImportReport) -> dict[str, dict[str, int]]:
    return {section: asdict(count) for section, count in report.counts.items()}


@transaction.atomic
def register_import_upload(*, file_name: str, content: bytes, user: Any) -> RegisterImport:
    """Keep an uploaded file and start its dry run: at once for a small file, as a task for a large one."""
    record = RegisterImport.objects.create(
        file_name=file_name[:255],
        size=len(content),
        content=content,
        uploaded_by=user,
        status=Status.CHECKING,
        language=_language(),
    )
    _run_or_queue(record)
    return record


def register_import_confirm(*, register_import: RegisterImport, user: Any) -> bool:
    """Apply a checked import. Only the first confirmation counts: False when it was not waiting."""
    with transaction.atomic():
        locked = (
            RegisterImport.objects.select_for_update()
            .only("pk", "size", "status", "source")
            .filter(pk=register_import.pk, status=Status.CHECKED, source=RegisterImport.Source.ADMIN)
            .first()
        )
        if locked is None:
            return False
        locked.status, locked.confirmed_by, locked.confirmed_at = Status.APPLYING, user, timezone.now()
        locked.save(update_fields=["status", "confirmed_by", "confirmed_at"])
        _run_or_queue(locked)
    return True


def _run_or_queue(record: RegisterImport) -> None:
    _tell(record.pk, "")
    if record.size > task_bytes():
        from tenancy.tasks import register_import_run_task

        transaction.on_commit(lambda: register_import_run_task.delay(record.pk))
    else:
        register_import_run(import_id=record.pk)


def register_import_run(*, import_id: int, content: bytes | None = None) -> RegisterImport | None:
    """Run the dry run of a checking import, or apply an applying one; anything else is left alone.

    The row is locked for the whole run, and its new status is written in the transaction that
    writes the register: a second delivery of the same task waits, then finds the import finished.
    """
    with transaction.atomic():
        record = (
            RegisterImport.objects.select_for_update().filter(pk=import_id, status__in=(Status.CHECKING, Status.APPLYING)).first()
        )
        if record is None:
            return None
        with translation.override(record.language):
            return _run(record, content)


def _run(record: RegisterImport, content: bytes | None) -> RegisterImport:
    """One locked run of the importer over the file; called inside the lock's transaction."""
    import_id = record.pk
    data = bytes(record.content) if content is None else content
    dry_run = record.status == Status.CHECKING
    try:
        document = register_read(io.BytesIO(data))
    except RegisterFileError as error:
        return _finish(record, Status.INVALID, errors=[RowError("", 0, "", str(error))])
    try:
        with transaction.atomic():
            report = register_import(document=document, dry_run=dry_run, progress=lambda stage: _tell(import_id, stage))
    except IntegrityError:
        # The register changed while the file was being checked; the import was rolled back.
        return _finish(
            record,
            Status.FAILED,
            errors=[RowError("", 0, "", _("The database refused the import (the register changed meanwhile?)."))],
        )
    if report.errors:
        return _finish(record, Status.INVALID, errors=report.errors)
    if not dry_run:
        return _finish(record, Status.APPLIED, counts=_counts(report))
    if record.source == RegisterImport.Source.COMMAND:
        return _finish(record, Status.DRY_RUN, dry_run_counts=_counts(report))
    record.status, record.dry_run_counts = Status.CHECKED, _counts(report)
    record.save(update_fields=["status", "dry_run_counts"])
    return record


def _language() -> str:
    current = translation.get_language() or settings.LANGUAGE_CODE
    codes = [code for code, _name in settings.LANGUAGES]
    return current if current in codes else settings.LANGUAGE_CODE


def _finish(
    record: RegisterImport,
    status: str,
    *,
    errors: Sequence[RowError] = (),
    counts: dict[str, Any] | None = None,
    dry_run_counts: dict[str, Any] | None = None,
) -> RegisterImport:
    """End an import; the file, with its identity codes in clear, is not kept beyond this."""
    record.status = status
    record.errors = [asdict(error) for error in errors]
    record.error_count = len(errors)
    record.content = b""
    record.finished_at = timezone.now()
    fields = ["status", "errors", "error_count", "content", "finished_at"]
    if counts is not None:
        record.counts = counts
        fields.append("counts")
    if dry_run_counts is not None:
        record.dry_run_counts = dry_run_counts
        fields.append("dry_run_counts")
    record.save(update_fields=fields)
    return record


def register_import_command(*, file_name: str, content: bytes, dry_run: bool) -> RegisterImport:
    """`manage.py import_register`: the same import in this process, kept in the same history.

    The file is not stored: the command reads it from where it already is.
    """
    record = RegisterImport.objects.create(
        file_name=file_name[:255],
        size=len(content),
        source=RegisterImport.Source.COMMAND,
        status=Status.CHECKING if dry_run else Status.APPLYING,
        language=_language(),
    )
    finished = register_import_run(import_id=record.pk, content=content)
    if finished is None:
        raise RuntimeError("finished is missing")
    return finished
