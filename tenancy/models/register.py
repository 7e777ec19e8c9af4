"""The register itself: region offices, buildings, apartments, persons, agreements and their
parties, the register of occupants and guardianships.

The register comes from the housing company's ERP system (see `import_register`); the portal
never lets a person grant themselves a role in it.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .. import hetu as hetu_codes
from ..validators import validate_iban


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
    # Named by the migrations of the time when the rescue plan was a field of the building; the
    # rescue plan is now a building document (DOC-1, documents.Document). The uploaded name is
    # not trusted; the stored one is made here.
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
        # The order of the staff list (STF-4), with the id that makes it total.
        indexes = [models.Index(fields=["last_name", "first_names", "id"], name="person_name_order_idx")]

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
        indexes = [models.Index(fields=["-starts_on", "-id"], name="agreement_starts_idx")]
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
