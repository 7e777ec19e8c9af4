"""The history of register imports made in the admin and by `manage.py import_register` (STF-5)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RegisterImport(models.Model):
    """One ERP file: its dry run, its confirmation and what applying it did.

    The file itself is kept only while the import waits to be applied: it holds identity codes and
    bank accounts in clear, so it is emptied as soon as the import ends (applied, refused or failed).
    """

    class Status(models.TextChoices):
        CHECKING = "checking", _("Dry run in progress")
        CHECKED = "checked", _("Ready to apply")
        INVALID = "invalid", _("Bad rows: nothing was changed")
        APPLYING = "applying", _("Applying")
        APPLIED = "applied", _("Applied")
        FAILED = "failed", _("Failed: nothing was changed")
        DRY_RUN = "dry_run", _("Dry run only")

    class Source(models.TextChoices):
        ADMIN = "admin", _("Admin upload")
        COMMAND = "command", _("Command line")

    file_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    content = models.BinaryField(_("file content"), editable=False, default=b"")
    source = models.CharField(_("source"), max_length=10, choices=Source, default=Source.ADMIN)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="register_imports",
        verbose_name=_("uploaded by"),
    )
    # The messages of the dry run are written in the uploader's language, also by a worker.
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="fi")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.CHECKING)
    stage = models.CharField(_("stage"), max_length=20, blank=True, editable=False)
    # {section: {"created": n, "updated": n, "ended": n, "unchanged": n, "removed": n}}
    dry_run_counts = models.JSONField(_("dry run counts"), default=dict, blank=True)
    counts = models.JSONField(_("applied counts"), default=dict, blank=True)
    # [{"section", "row", "key", "field", "message"}], every bad row of the file
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")
        ordering = ["-uploaded_at"]
        indexes = [models.Index(fields=["-uploaded_at"], name="register_import_uploaded_idx")]
        # The history is written by the importer only: staff upload (add) and read it.
        default_permissions = ("add", "view")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.APPLYING)
