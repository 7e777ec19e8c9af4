"""What a tenant owes and has paid (TEN-4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .register import RentalAgreement


class Invoice(models.Model):
    class Kind(models.TextChoices):
        RENT = "rent", _("Rent")
        WATER = "water", _("Water")
        SAUNA = "sauna", _("Sauna")
        PARKING = "parking", _("Parking")
        OTHER = "other", _("Other")

    agreement = models.ForeignKey(RentalAgreement, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("agreement"))
    number = models.CharField(_("invoice number"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.RENT)
    period = models.CharField(_("period"), max_length=40, blank=True)
    due_on = models.DateField(_("due date"))
    amount = models.DecimalField(_("amount (€)"), max_digits=9, decimal_places=2)
    reference_number = models.CharField(_("reference number"), max_length=30)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-due_on"]
        indexes = [
            models.Index(fields=["agreement", "-due_on"], name="invoice_agreement_due_idx"),
            # The staff list (STF-4): its order, its kind filter in that order, its search by reference.
            models.Index(fields=["-due_on", "-id"], name="invoice_due_idx"),
            models.Index(fields=["kind", "-due_on", "-id"], name="invoice_kind_due_idx"),
            models.Index(fields=["reference_number"], name="invoice_reference_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class Payment(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments", verbose_name=_("invoice"))
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount (€)"), max_digits=9, decimal_places=2)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_on"]
        indexes = [models.Index(fields=["-paid_on", "-id"], name="payment_paid_idx")]

    def __str__(self) -> str:
        return f"{self.invoice} {self.amount} €"
