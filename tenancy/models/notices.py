"""The notices main tenants send about their agreement: moving in or out (TEN-5), termination (TEN-6)."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .register import Person, RentalAgreement


class OccupantChangeNotice(models.Model):
    """A main tenant's notice that someone moves into or out of the apartment (TEN-5). Customer
    service updates the register of occupants from it; only the submitter sees it in the portal."""

    class Kind(models.TextChoices):
        MOVING_IN = "moving_in", _("Moving in")
        MOVING_OUT = "moving_out", _("Moving out")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        PROCESSED = "processed", _("Processed")

    agreement = models.ForeignKey(
        RentalAgreement, on_delete=models.PROTECT, related_name="occupant_change_notices", verbose_name=_("agreement")
    )
    submitted_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="occupant_change_notices", verbose_name=_("submitted by")
    )
    # The ward when a guardian acts with the ward's rights (TEN-10).
    on_behalf_of = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("on behalf of")
    )
    kind = models.CharField(_("change"), max_length=12, choices=Kind.choices)
    occupant_name = models.CharField(_("name of the person moving"), max_length=200)
    occupant_birth_date = models.DateField(_("birth date of the person moving"), null=True, blank=True)
    moves_on = models.DateField(_("date of the move"))
    details = models.TextField(_("additional information"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("notice of moving in or out")
        verbose_name_plural = _("notices of moving in or out")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["submitted_by", "-created_at"], name="occupant_change_submitter_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.occupant_name} ({date_format(self.moves_on, 'SHORT_DATE_FORMAT')})"


class TerminationNotice(models.Model):
    """A main tenant's notice of terminating the rental agreement (TEN-6).

    At most one notice per agreement is open (received or confirmed) at a time; customer service
    cancels a notice that was withdrawn, after which a new one may be given.
    """

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        CONFIRMED = "confirmed", _("Confirmed by customer service")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.RECEIVED, Status.CONFIRMED)

    agreement = models.ForeignKey(
        RentalAgreement, on_delete=models.PROTECT, related_name="termination_notices", verbose_name=_("agreement")
    )
    submitted_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="termination_notices", verbose_name=_("submitted by")
    )
    on_behalf_of = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("on behalf of")
    )
    notice_date = models.DateField(_("notice given on"))
    ends_on = models.DateField(_("agreement ends on"))
    forwarding_address = models.CharField(_("new address"), max_length=300, blank=True)
    message = models.TextField(_("message to customer service"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("notice of termination")
        verbose_name_plural = _("notices of termination")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(status__in=["received", "confirmed"]),
                name="termination_one_open_notice_per_agreement",
            ),
            models.CheckConstraint(condition=Q(ends_on__gt=F("notice_date")), name="termination_ends_after_notice"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.number}: {date_format(self.ends_on, 'SHORT_DATE_FORMAT')}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES
