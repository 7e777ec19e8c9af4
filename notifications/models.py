"""Notifications (NTF-2) and outage notices (NTF-8).

A notification belongs to a Person, like every other piece of a resident's history, so that it
survives a re-registration (ACC-14). It names the item it is about by a stable reference (the
model's label and primary key) and the URL name and arguments of the item's page, and keeps only
plain parameters: the text is written in the reader's language when it is shown (kinds.py).
"""

from django.db import models
from django.db.models import F, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenancy.models import Building, Person

from . import kinds
from .kinds import Kind


class Notification(models.Model):
    recipient = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient"))
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    # The item: "servicerequests.defect" and its primary key; a reference number the resident can quote.
    about_type = models.CharField(_("item type"), max_length=60, blank=True)
    about_id = models.PositiveBigIntegerField(_("item id"), null=True, blank=True)
    reference = models.CharField(_("reference number"), max_length=40, blank=True)
    url_name = models.CharField(max_length=80, blank=True)
    url_args = models.JSONField(default=list, blank=True)
    params = models.JSONField(default=dict, blank=True)
    # One notification per event and person: what causes it twice finds the first.
    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(F("recipient"), F("created_at").desc(), name="notification_recipient_idx"),
            # The unread count in the navigation of every page reads only this index.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread_idx"),
        ]

    def __str__(self) -> str:
        return self.headline

    @property
    def headline(self) -> str:
        return kinds.headline(self.kind, self.params)

    @property
    def details(self) -> list[str]:
        return kinds.details(self.kind, self.params)

    @property
    def url(self) -> str:
        if not self.url_name:
            return ""
        try:
            return reverse(self.url_name, args=self.url_args)
        except NoReverseMatch:
            return ""


class EmailPreference(models.Model):
    """A kind of notification the person does not want by e-mail (NTF-3). No row: e-mail is sent."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="email_opt_outs", verbose_name=_("person"))
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)

    class Meta:
        verbose_name = _("notification not sent by e-mail")
        verbose_name_plural = _("notifications not sent by e-mail")
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="email_preference_once"),
            # The database too refuses switching off a notification that protects the resident.
            models.CheckConstraint(
                condition=~Q(kind__in=sorted(kind.value for kind in kinds.PROTECTIVE)), name="email_preference_not_protective"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_kind_display()}"


class Outage(models.Model):
    """An outage notice staff publish for buildings (NTF-8). Each publish, update and resolve is a
    new `version`, of which every affected resident is told once."""

    class Utility(models.TextChoices):
        WATER = "water", _("Water")
        HEATING = "heating", _("Heating")
        ELECTRICITY = "electricity", _("Electricity")
        LIFT = "lift", _("Lift")
        OTHER = "other", _("Other")

    planned = models.BooleanField(_("planned"), default=True, help_text=_("Untick for a sudden outage."))
    utility = models.CharField(_("what is out"), max_length=12, choices=Utility.choices)
    buildings = models.ManyToManyField(Building, related_name="outages", verbose_name=_("buildings"))
    starts_at = models.DateTimeField(_("starts at"))
    expected_end_at = models.DateTimeField(_("expected to end at"))
    description = models.TextField(_("description (Finnish)"), blank=True)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    # The version that said "resolved": a notice of an earlier version sent later still says what it said.
    resolved_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("outage")
        verbose_name_plural = _("outages")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["resolved_at", "expected_end_at"], name="outage_current_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(expected_end_at__gt=F("starts_at")), name="outage_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_utility_display()} ({timezone.localtime(self.starts_at):%Y-%m-%d %H:%M})"

    def localized_description(self, language: str) -> str:
        return {"sv": self.description_sv, "en": self.description_en}.get(language, "") or self.description
