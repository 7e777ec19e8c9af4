import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        # The address is the user name and is unique without regard to case.
        return (email or "").strip().lower()

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=self.normalize_email(username))

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A login account. The e-mail address is the user name and cannot be changed (ACC-8);
    the resident's data belongs to `person`, so a new account can take over the history (ACC-14)."""

    email = models.EmailField(_("e-mail address"), unique=True)
    person = models.ForeignKey(
        "tenancy.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name=_("person"),
    )
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, default="fi")
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ignoring_case"),
            # ACC-11: one Person, one active account.
            models.UniqueConstraint(
                fields=["person"], condition=Q(is_active=True, person__isnull=False), name="user_one_active_account_per_person"
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = type(self).objects.normalize_email(self.email)


def office_identification_expiry(identified_at: datetime.datetime) -> datetime.datetime:
    """When an office identification stops being usable (ACC-4): a configurable number of days."""
    days = int(getattr(settings, "HEKA_OFFICE_IDENTIFICATION_DAYS", 30))
    return identified_at + datetime.timedelta(days=days)


class OfficeIdentification(models.Model):
    """A person proved their identity with a document at one of Heka's offices (ACC-4, APP-5, STF-7).

    One record serves both uses: with a `person` it lets them register online once, with the e-mail
    address they gave the clerk, until it expires (ACC-4); with an `applicant` it confirms that
    applicant's part of a housing application, and its e-mail lets them create a user name (APP-5,
    APP-6). A clerk who meets an applicant who also lives with Heka records it once, for both.
    """

    class DocumentType(models.TextChoices):
        DRIVING_LICENCE = "driving_licence", _("Driving licence")
        PASSPORT = "passport", _("Passport")
        IDENTITY_CARD = "identity_card", _("Identity card")

    person = models.ForeignKey(
        "tenancy.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="office_identifications",
        verbose_name=_("person"),
        help_text=_("The person in the tenancy register, for registering to the Resident Portal."),
    )
    applicant = models.OneToOneField(
        "applications.Applicant",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="office_identification",
        verbose_name=_("applicant"),
        help_text=_("The applicant of a housing application; the identification counts as their confirmation."),
    )
    document_type = models.CharField(_("identity document"), max_length=20, choices=DocumentType)
    office = models.ForeignKey(
        "tenancy.RegionOffice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region office"),
    )
    # The advisory office, where applicants are identified, is not a region office: it is written out.
    office_name = models.CharField(
        _("other office"),
        max_length=200,
        blank=True,
        help_text=_("Where the person was identified, when it is not a region office (such as the advisory office)."),
    )
    clerk = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("clerk"))
    identified_at = models.DateTimeField(_("identified at"), default=timezone.now)
    email = models.EmailField(
        _("e-mail address given"),
        blank=True,
        help_text=_("The personal e-mail address the person gave; they register or create a user name online with it."),
    )
    expires_at = models.DateTimeField(_("usable until"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    account = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account created with it"),
    )

    class Meta:
        verbose_name = _("office identification")
        verbose_name_plural = _("office identifications")
        ordering = ["-identified_at"]
        indexes = [models.Index(Lower("email"), name="office_ident_email_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(applicant__isnull=False),
                name="office_identification_serves_someone",
                violation_error_message=_("Choose the person who registers, the applicant who confirms, or both."),
            )
        ]

    def __str__(self) -> str:
        day = date_format(timezone.localtime(self.identified_at), "SHORT_DATE_FORMAT")
        return f"{self.person or self.applicant} — {self.get_document_type_display()} ({day})"

    def is_usable(self, *, now: datetime.datetime | None = None) -> bool:
        return self.used_at is None and (now or timezone.now()) < self.expires_at


class Registration(models.Model):
    """An account waiting for its activation link (ACC-1, ACC-3, ACC-4).

    An account with a pending registration is inactive and has never been used; it proves nothing
    about its e-mail address until the link in that mailbox is followed, so registering again with
    the same address takes it over instead of being refused.
    """

    class Method(models.TextChoices):
        ELECTRONIC = "electronic", _("Strong electronic identification")
        OFFICE = "office", _("Office identification")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="registration", verbose_name=_("account"))
    method = models.CharField(_("identified by"), max_length=20, choices=Method)
    office_identification = models.ForeignKey(
        OfficeIdentification,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("office identification"),
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(method="electronic", office_identification__isnull=True)
                | Q(method="office", office_identification__isnull=False),
                name="registration_office_method_has_identification",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_method_display()})"

    @property
    def is_pending(self) -> bool:
        return self.activated_at is None


# SFI-4: the local session of each SAML session (defined beside the service provider).
from .saml.models import SamlSession  # noqa: E402,F401
