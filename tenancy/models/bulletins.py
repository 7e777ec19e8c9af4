"""Resident bulletins and who has read them (TEN-9)."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .register import Building, Person, RegionOffice


class Bulletin(models.Model):
    """A resident bulletin published by staff (TEN-9).

    One bulletin carries every language: the title and text in Finnish, the register's language,
    are required, and Swedish and English versions are optional. A reader sees the version of the
    language they use, or the Finnish one. Keeping the translations together gives one read mark
    per bulletin and one place to target it.
    """

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("All residents")
        REGIONS = "regions", _("Residents of the chosen region offices")
        BUILDINGS = "buildings", _("Residents of the chosen buildings")

    title = models.CharField(_("title (Finnish)"), max_length=200)
    body = models.TextField(_("text (Finnish)"))
    title_sv = models.CharField(_("title (Swedish)"), max_length=200, blank=True)
    body_sv = models.TextField(_("text (Swedish)"), blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.EVERYONE)
    regions = models.ManyToManyField(
        RegionOffice,
        blank=True,
        related_name="bulletins",
        verbose_name=_("region offices"),
        help_text=_("Used when the audience is the residents of chosen region offices."),
    )
    buildings = models.ManyToManyField(
        Building,
        blank=True,
        related_name="bulletins",
        verbose_name=_("buildings"),
        help_text=_("Used when the audience is the residents of chosen buildings."),
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    expires_at = models.DateTimeField(_("shown until"), null=True, blank=True)

    class Meta:
        verbose_name = _("resident bulletin")
        verbose_name_plural = _("resident bulletins")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["-published_at"], name="bulletin_published_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(expires_at__gt=F("published_at")),
                name="bulletin_expires_after_publishing",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def localized(self, language: str) -> tuple[str, str]:
        """The title and text in `language` when written in it, otherwise in Finnish."""
        title, body = getattr(self, f"title_{language}", ""), getattr(self, f"body_{language}", "")
        return (title, body) if title and body else (self.title, self.body)


class BulletinRead(models.Model):
    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="reads", verbose_name=_("bulletin"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="bulletin_reads", verbose_name=_("person"))
    read_at = models.DateTimeField(_("read at"), default=timezone.now)

    class Meta:
        verbose_name = _("bulletin read")
        verbose_name_plural = _("bulletins read")
        constraints = [models.UniqueConstraint(fields=["bulletin", "person"], name="bulletin_read_once")]

    def __str__(self) -> str:
        return f"{self.person} — {self.bulletin}"
