"""The document archive (DOC-1): files staff upload for a building's residents (house rules,
manuals, inspection reports, the rescue plan of TEN-8) or for an agreement's main tenants. Each
file is in one language; the same document in several languages is several rows of one kind."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tenancy.models import Building, RentalAgreement

from .validators import validate_document


def document_path(document: "Document", filename: str) -> str:
    # The uploaded name is not trusted: the stored one is made here, unguessable.
    return f"documents/{document.owner_key}/{secrets.token_hex(8)}.{document.suffix}"


class Document(models.Model):
    class Kind(models.TextChoices):
        RESCUE_PLAN = "rescue_plan", _("Rescue plan")
        HOUSE_RULES = "house_rules", _("House rules")
        MANUAL = "manual", _("Manual")
        INSPECTION_REPORT = "inspection_report", _("Inspection report")
        AGREEMENT = "agreement", _("Agreement document")
        OTHER = "other", _("Other document")

    building = models.ForeignKey(
        Building,
        on_delete=models.PROTECT,
        related_name="documents",
        null=True,
        blank=True,
        verbose_name=_("building"),
        help_text=_("A building document is shown to everyone who lives in the building."),
    )
    agreement = models.ForeignKey(
        RentalAgreement,
        on_delete=models.PROTECT,
        related_name="documents",
        null=True,
        blank=True,
        verbose_name=_("rental agreement"),
        help_text=_("An agreement document is shown to the agreement's main tenants only."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200, help_text=_("In the language of the document."))
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, default="fi")
    file = models.FileField(
        _("file"),
        upload_to=document_path,
        validators=[validate_document],
        help_text=_("A PDF file or a PNG or JPEG picture of at most 20 MB."),
    )
    content_type = models.CharField(_("file type"), max_length=40, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, verbose_name=_("uploaded by")
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["kind", "language", "-uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(building__isnull=False, agreement__isnull=True) | Q(building__isnull=True, agreement__isnull=False),
                name="document_of_a_building_or_an_agreement",
            ),
        ]
        indexes = [
            models.Index(fields=["building", "kind"], name="document_building_kind_idx"),
            models.Index(fields=["agreement", "kind"], name="document_agreement_kind_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_key(self) -> str:
        return f"building-{self.building_id}" if self.building_id else f"agreement-{self.agreement_id}"

    @property
    def suffix(self) -> str:
        return {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(self.content_type, "bin")
