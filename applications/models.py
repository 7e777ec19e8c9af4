"""Housing applications and their confirmation by every adult applicant (APP-1..APP-6).

An application lists the applicant who filled it and the people moving in with them (adult
co-applicants and children). It becomes valid only when every applicant who is an adult on the
day of checking has confirmed it: online with strong identification, or at the advisory office.
"""

import secrets
from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# STF-7: an applicant's office identification is the one record of the accounts app.
from accounts.models import OfficeIdentification  # noqa: F401

ADULT_AGE = 18


class Area(models.TextChoices):
    """Helsinki's major districts, the granularity the application service asks for."""

    SOUTHERN = "southern", _("Southern Helsinki")
    WESTERN = "western", _("Western Helsinki")
    CENTRAL = "central", _("Central Helsinki")
    NORTHERN = "northern", _("Northern Helsinki")
    NORTH_EASTERN = "north_eastern", _("North-eastern Helsinki")
    SOUTH_EASTERN = "south_eastern", _("South-eastern Helsinki")
    EASTERN = "eastern", _("Eastern Helsinki")
    OSTERSUNDOM = "ostersundom", _("Östersundom")


class ApartmentSize(models.TextChoices):
    ONE_ROOM = "1", _("One room and a kitchen or kitchenette")
    TWO_ROOMS = "2", _("Two rooms and a kitchen")
    THREE_ROOMS = "3", _("Three rooms and a kitchen")
    FOUR_ROOMS = "4", _("Four or more rooms and a kitchen")


class Application(models.Model):
    areas = models.JSONField(_("wanted areas"), default=list)
    apartment_size = models.CharField(_("apartment size"), max_length=2, choices=ApartmentSize)
    max_rent = models.DecimalField(_("maximum rent (€ a month)"), max_digits=8, decimal_places=2)
    moving_date = models.DateField(_("earliest moving date"))
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, default="fi")
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    valid_since = models.DateTimeField(
        _("valid since"), null=True, blank=True, help_text=_("Set when the last adult applicant confirmed the application.")
    )

    class Meta:
        verbose_name = _("housing application")
        verbose_name_plural = _("housing applications")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return gettext("Application %(number)s") % {"number": self.number}

    @property
    def number(self) -> str:
        return f"{self.submitted_at:%Y}-{self.pk:06d}" if self.pk else "—"

    @property
    def is_valid(self) -> bool:
        return self.valid_since is not None

    def area_labels(self) -> list[str]:
        labels = dict(Area.choices)
        return [str(labels[area]) for area in self.areas if area in labels]


class Applicant(models.Model):
    """A person on an application: the one who filled it, or a co-applicant (adult or child)."""

    class Role(models.TextChoices):
        MAIN = "main", _("Applicant")
        CO_APPLICANT = "co", _("Co-applicant")

    class Method(models.TextChoices):
        STRONG = "strong", _("Strong electronic identification")
        OFFICE = "office", _("Identified at the advisory office")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="applicants", verbose_name=_("application")
    )
    role = models.CharField(_("role"), max_length=4, choices=Role, default=Role.CO_APPLICANT)
    first_names = models.CharField(_("first names"), max_length=200)
    last_name = models.CharField(_("last name"), max_length=200)
    birth_date = models.DateField(_("birth date"))
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, default="fi")
    # Recorded at the first identification; from then on only this identity code is this applicant.
    hetu_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)
    person = models.ForeignKey(
        "tenancy.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="housing_applicants",
        verbose_name=_("person"),
    )
    identification_method = models.CharField(_("identified by"), max_length=8, choices=Method, blank=True)
    identified_at = models.DateTimeField(_("identified"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("applicant")
        verbose_name_plural = _("applicants")
        ordering = ["application", "-role", "birth_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application"], condition=Q(role="main"), name="application_one_main_applicant"),
            # One person cannot confirm on behalf of two applicants of the same application.
            models.UniqueConstraint(
                fields=["application", "hetu_hash"], condition=Q(hetu_hash__isnull=False), name="applicant_identity_once"
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(identified_at__isnull=False),
                name="applicant_confirmed_only_when_identified",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_names} {self.last_name}"

    @property
    def is_main(self) -> bool:
        return self.role == self.Role.MAIN

    def age_on(self, day: date) -> int:
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))

    def is_adult_on(self, day: date) -> bool:
        return self.age_on(day) >= ADULT_AGE

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


def _nonce() -> str:
    return secrets.token_urlsafe(24)


class OneTimeLink(models.Model):
    """A link sent by e-mail: valid until `expires_at`, usable once, replaced by a newer one.

    The row keeps a random nonce; the link carries a signature over the row id and the nonce, made
    when the e-mail is sent (see `applications.links`), so no usable token is ever stored.
    """

    class State(models.TextChoices):
        USABLE = "usable", _("usable")
        EXPIRED = "expired", _("expired")
        USED = "used", _("used")
        REPLACED = "replaced", _("replaced by a newer link")

    nonce = models.CharField(max_length=64, default=_nonce, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("replaced"), null=True, blank=True)

    class Meta:
        abstract = True

    def state(self, now: datetime | None = None) -> str:
        now = now or timezone.now()
        if self.used_at is not None:
            return self.State.USED
        if self.revoked_at is not None:
            return self.State.REPLACED
        if now >= self.expires_at:
            return self.State.EXPIRED
        return self.State.USABLE


class CoApplicantLink(OneTimeLink):
    """APP-3: the e-mailed link through which one co-applicant confirms the application."""

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="links", verbose_name=_("applicant"))

    class Meta:
        verbose_name = _("co-applicant link")
        verbose_name_plural = _("co-applicant links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.applicant} ({self.get_state_display()})"

    def get_state_display(self) -> str:
        return str(dict(self.State.choices)[self.state()])


class UsernameLink(OneTimeLink):
    """APP-6: the e-mailed link to set the password of a new user name."""

    office_identification = models.ForeignKey(
        "accounts.OfficeIdentification",
        on_delete=models.CASCADE,
        related_name="username_links",
        verbose_name=_("office identification"),
    )
    email = models.EmailField(_("e-mail"))

    class Meta:
        verbose_name = _("user name link")
        verbose_name_plural = _("user name links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email
