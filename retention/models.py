"""What the storage limitation (OPS-8) did: one record per run, and the persons it anonymised.

A run records counts per kind of data and nothing about whom they concerned.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RetentionRun(models.Model):
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False, help_text=_("A dry run changes nothing; it counts."))
    tenancy_ended_before = models.DateField(_("tenancies ended before"))
    persons = models.PositiveIntegerField(_("persons anonymised"), default=0)
    counts = models.JSONField(_("removed, by kind"), default=dict, blank=True)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{timezone.localtime(self.started_at):%Y-%m-%d %H:%M}"


class AnonymisedPerson(models.Model):
    """A register person whose data was removed; the row stays for the records that must be kept."""

    person = models.OneToOneField(
        "tenancy.Person", on_delete=models.PROTECT, primary_key=True, related_name="+", verbose_name=_("person")
    )
    run = models.ForeignKey(RetentionRun, on_delete=models.PROTECT, related_name="+", verbose_name=_("retention run"))

    class Meta:
        verbose_name = _("anonymised person")
        verbose_name_plural = _("anonymised persons")
        default_permissions = ()

    def __str__(self) -> str:
        return str(self.pk)
