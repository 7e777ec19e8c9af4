"""The tenancy register: who lives where, under which agreement, and what they owe.

The register comes from the housing company's ERP system (see `import_register`); the portal
never lets a person grant themselves a role in it.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from . import hetu as hetu_codes
from .validators import validate_iban, validate_rescue_plan


class RegionOffice(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    street_address = models.CharField(_("street address"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=10)
    city = models.CharField(_("city"), max_length=100, default="Helsinki")
    phone = models.CharField(_("phone"), max_length=40)
    email = models.EmailField(_("e-mail"))
    # Residents see the opening hours in their language, or in Finnish when not given in it.
    opening_hours = models.CharField(_("opening hours (Finnish)"), max_length=200, blank=True)
    opening_hours_sv = models.CharField(_("opening hours (Swedish)"), max_length=200, blank=True)
    opening_hours_en = models.CharField(_("opening hours (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("region office")
        verbose_name_plural = _("region offices")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def rescue_plan_path(building: "Building", filename: str) -> str:
    # The uploaded name is not trusted; the stored one is made here.
    suffix = "pdf" if filename.lower().endswith(".pdf") else "bin"
    return f"rescue-plans/building-{building.pk or 'new'}-{date.today():%Y%m%d}.{suffix}"


class Building(models.Model):
    code = models.CharField(_("building code"), max_length=20, unique=True, help_text=_("The code in the ERP system."))
    name = models.CharField(_("name"), max_length=200)
    street_address = models.CharField(_("street address"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=10)
    city = models.CharField(_("city"), max_length=100, default="Helsinki")
    region = models.ForeignKey(RegionOffice, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("region office"))
    # Residents see the information in their language, or in Finnish when not written in it.
    information = models.TextField(_("information for residents (Finnish)"), blank=True)
    information_sv = models.TextField(_("information for residents (Swedish)"), blank=True)
    information_en = models.TextField(_("information for residents (English)"), blank=True)
    rescue_plan = models.FileField(
        _("rescue plan"),
        upload_to=rescue_plan_path,
        blank=True,
        validators=[validate_rescue_plan],
        help_text=_("A PDF file of at most 20 MB."),
    )

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.street_address}"


class Apartment(models.Model):
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="apartments", verbose_name=_("building"))
    number = models.CharField(_("apartment"), max_length=20, help_text=_("Staircase and number, e.g. A 12."))
    rooms = models.CharField(_("rooms"), max_length=40, blank=True)
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=6, decimal_places=1, null=True, blank=True)

    class Meta:
        verbose_name = _("apartment")
        verbose_name_plural = _("apartments")
        ordering = ["building__name", "number"]
        constraints = [models.UniqueConstraint(fields=["building", "number"], name="apartment_unique_number_in_building")]

    def __str__(self) -> str:
        return f"{self.building.street_address} {self.number}"

    @property
    def address(self) -> str:
        return f"{self.building.street_address} {self.number}, {self.building.postal_code} {self.building.city}"


class Person(models.Model):
    """Every natural person Heka knows. Requests, messages and bookings belong to the Person,
    not to a login account, so that history survives a re-registration (ACC-14)."""

    first_names = models.CharField(_("first names"), max_length=200)
    last_name = models.CharField(_("last name"), max_length=200)
    birth_date = models.DateField(_("birth date"))
    hetu_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    hetu_encrypted = models.TextField(blank=True, editable=False)
    preferred_language = models.CharField(_("preferred language"), max_length=2, choices=settings.LANGUAGES, default="fi")
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    iban = models.CharField(_("bank account (IBAN)"), max_length=42, blank=True, validators=[validate_iban])
    external_id = models.CharField(_("ERP person id"), max_length=40, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["last_name", "first_names"]
        indexes = [models.Index(fields=["last_name", "first_names"], name="person_name_idx")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_names} {self.last_name}"

    def set_hetu(self, value: str) -> None:
        self.hetu_hash = hetu_codes.lookup_hash(value)
        self.hetu_encrypted = hetu_codes.encrypt(value)
        self.birth_date = hetu_codes.birth_date(value)

    def hetu_masked(self) -> str:
        return f"{self.birth_date:%d%m%y}-****" if self.hetu_hash else ""

    def age_on(self, day: date) -> int:
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))


class RentalAgreement(models.Model):
    number = models.CharField(_("agreement number"), max_length=40, unique=True)
    apartment = models.ForeignKey(Apartment, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("apartment"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(
        _("ends on"), null=True, blank=True, help_text=_("The last day of the tenancy, for a fixed term or after termination.")
    )
    terminated_on = models.DateField(_("notice given on"), null=True, blank=True)
    rent = models.DecimalField(_("monthly rent (€)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal(0))])
    deposit = models.DecimalField(
        _("deposit (€)"), max_digits=8, decimal_places=2, default=Decimal(0), validators=[MinValueValidator(Decimal(0))]
    )
    parties = models.ManyToManyField(Person, through="AgreementParty", related_name="agreements", verbose_name=_("main tenants"))

    class Meta:
        verbose_name = _("rental agreement")
        verbose_name_plural = _("rental agreements")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="agreement_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(signed_on__isnull=True) | Q(signed_on__lte=F("starts_on")), name="agreement_signed_before_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.apartment})"


class AgreementParty(models.Model):
    """A main tenant: a signatory of the agreement."""

    agreement = models.ForeignKey(
        RentalAgreement, on_delete=models.CASCADE, related_name="party_links", verbose_name=_("agreement")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="party_links", verbose_name=_("person"))

    class Meta:
        verbose_name = _("main tenant")
        verbose_name_plural = _("main tenants")
        constraints = [models.UniqueConstraint(fields=["agreement", "person"], name="agreement_party_once")]

    def __str__(self) -> str:
        return str(self.person)


class Occupancy(models.Model):
    """An entry in the register of occupants: a family member, a sublessee, or a tenant."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="occupancies", verbose_name=_("person"))
    apartment = models.ForeignKey(Apartment, on_delete=models.PROTECT, related_name="occupancies", verbose_name=_("apartment"))
    starts_on = models.DateField(_("moved in on"))
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    is_sublessee = models.BooleanField(_("sublessee"), default=False)

    class Meta:
        verbose_name = _("occupant")
        verbose_name_plural = _("register of occupants")
        ordering = ["apartment", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="occupancy_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.apartment}"


class Guardianship(models.Model):
    guardian = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="wardships", verbose_name=_("guardian"))
    ward = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="guardianships", verbose_name=_("ward"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("guardianship")
        verbose_name_plural = _("guardianships")
        constraints = [
            models.CheckConstraint(condition=~Q(guardian=F("ward")), name="guardianship_not_self"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="guardianship_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guardian} → {self.ward}"


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
        indexes = [models.Index(fields=["agreement", "-due_on"], name="invoice_agreement_due_idx")]

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

    def __str__(self) -> str:
        return f"{self.invoice} {self.amount} €"


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


class PersonalDataAccess(models.Model):
    """A staff member saw a person's identity code or full bank account number (X-7, STF-3).

    Who, whose and when; never the value itself.
    """

    class What(models.TextChoices):
        IDENTITY_CODE = "identity_code", _("identity code")
        BANK_ACCOUNT = "bank_account", _("bank account")

    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="personal_data_accesses", verbose_name=_("staff user")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="personal_data_accesses", verbose_name=_("person"))
    what = models.CharField(_("what"), max_length=20, choices=What.choices)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at"]
        # The log is written by the portal only: staff may at most read it.
        default_permissions = ("view",)
        permissions = [("view_identity_code", _("Can view a person's full identity code"))]

    def __str__(self) -> str:
        return f"{self.staff_user} — {self.person} — {self.get_what_display()}"
