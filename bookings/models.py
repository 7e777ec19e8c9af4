"""Sauna slots and parking spaces: the resources, the residents' booking requests and the
reservations they become (BKG-1..BKG-8).

A `Reservation` is born as a booking request in the queue and keeps its history through every
state. What it asks for, and while granted what it holds, is in its `ReservationItem` rows: one
parking space, or one or more consecutive weekly sauna slots. An item holds its resource from
`held_from` to `held_until` (open-ended while the reservation runs). On PostgreSQL an exclusion
constraint (migration 0002) forbids two items holding the same space or slot on the same day
(BKG-5); the services also check it in Python, under a row lock on the resource, so that SQLite
on a laptop keeps the rule too.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from tenancy.models import Building, Person, RentalAgreement


class ResourceKind(models.TextChoices):
    SAUNA = "sauna", _("Sauna")
    PARKING = "parking", _("Parking")


class ParkingSpace(models.Model):
    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinary")
        EV_CHARGING = "ev_charging", _("Electric-car charging")
        ACCESSIBLE = "accessible", _("Accessible")

    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="parking_spaces", verbose_name=_("building"))
    area = models.CharField(
        _("parking area"), max_length=100, blank=True, help_text=_("For example the yard or the garage, if not by the building.")
    )
    number = models.CharField(_("space number"), max_length=20)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.ORDINARY)
    monthly_fee = models.DecimalField(
        _("monthly fee (€)"), max_digits=7, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    is_bookable = models.BooleanField(_("bookable"), default=True, help_text=_("Shown to residents in the Booking section."))

    class Meta:
        verbose_name = _("parking space")
        verbose_name_plural = _("parking spaces")
        ordering = ["building__name", "area", "number"]
        constraints = [models.UniqueConstraint(fields=["building", "area", "number"], name="parking_space_unique_number")]

    def __str__(self) -> str:
        place = f"{self.area} " if self.area else ""
        return f"{self.building.name}: {place}{self.number}"


GENERIC_SAUNA_NAMES = frozenset({"sauna", "bastu", "saunat", "talosauna", "taloyhtiön sauna"})


class SaunaSlot(models.Model):
    """A fixed weekly turn in a building's sauna (BKG-2)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="sauna_slots", verbose_name=_("building"))
    sauna = models.CharField(_("sauna"), max_length=100, help_text=_("For example A staircase sauna."))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts_at = models.TimeField(_("starts at"))
    length_minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"), default=60, validators=[MinValueValidator(15), MaxValueValidator(360)]
    )
    monthly_fee = models.DecimalField(
        _("monthly fee (€)"), max_digits=7, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    is_bookable = models.BooleanField(_("bookable"), default=True, help_text=_("Shown to residents in the Booking section."))

    class Meta:
        verbose_name = _("sauna slot")
        verbose_name_plural = _("sauna slots")
        ordering = ["building__name", "sauna", "weekday", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["building", "sauna", "weekday", "starts_at"], name="sauna_slot_unique_time"),
        ]

    def __str__(self) -> str:
        return f"{self.building.name}: {self.sauna}, {self.when}"

    @property
    def ends_at(self) -> datetime:
        return datetime.combine(date(2000, 1, 3), self.starts_at) + timedelta(minutes=self.length_minutes)

    @property
    def time_range(self) -> str:
        """In the reader's way of writing times: 18.00 in Finnish and Swedish, 18:00 in English."""
        start, end = (formats.time_format(moment, "TIME_FORMAT") for moment in (self.starts_at, self.ends_at.time()))
        return f"{start}–{end}"  # noqa: RUF001

    @property
    def when(self) -> str:
        return f"{self.get_weekday_display()} {self.time_range}"

    @property
    def place(self) -> str:
        """The sauna's own name where it tells saunas apart; a building's one "Sauna" goes unnamed,
        so that a Swedish page does not read "Sauna" under "Bastu"."""
        return "" if self.sauna.strip().lower() in GENERIC_SAUNA_NAMES else self.sauna

    def is_followed_by(self, other: "SaunaSlot") -> bool:
        """Whether `other` is the next turn in the same sauna, starting when this one ends."""
        return (
            other.building_id == self.building_id
            and other.sauna == self.sauna
            and other.weekday == self.weekday
            and datetime.combine(date(2000, 1, 3), other.starts_at) == self.ends_at
        )


class Reservation(models.Model):
    """A main tenant's booking request and the reservation it becomes (BKG-1, BKG-6)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested, in the queue")
        OFFERED = "offered", _("Offered")
        AGREEMENT_SENT = "agreement_sent", _("Agreement sent for signing")
        ACTIVE = "active", _("Active")
        TERMINATED = "terminated", _("Terminated")
        CANCELLED = "cancelled", _("Cancelled")
        WITHDRAWN = "withdrawn", _("Withdrawn by the resident")

    # The states in which the reservation holds its space or slots.
    HOLDING = (Status.OFFERED, Status.AGREEMENT_SENT, Status.ACTIVE)
    # Open: in the queue or holding. A tenant has at most one open request per space or slot.
    OPEN = (Status.REQUESTED, *HOLDING)
    # Offered and not signed: the resident may still decline, until the reservation starts.
    DECLINABLE = (Status.OFFERED, Status.AGREEMENT_SENT)

    kind = models.CharField(_("kind"), max_length=10, choices=ResourceKind.choices)
    agreement = models.ForeignKey(
        RentalAgreement, on_delete=models.PROTECT, related_name="reservations", verbose_name=_("rental agreement")
    )
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="reservations", verbose_name=_("building"))
    requested_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="reservations_requested", verbose_name=_("requested by")
    )
    # The main tenant whose right is used: the requester, or their ward (TEN-10).
    tenant = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="reservations", verbose_name=_("tenant"))
    electric_car = models.BooleanField(_("electric car"), default=False)
    disability_permit = models.BooleanField(_("disabled parking permit"), default=False)
    flexible = models.BooleanField(_("willing to take another day or time"), default=False)
    message = models.TextField(_("additional information"), blank=True)
    wanted_start = models.DateField(_("wanted start"))
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    notice_date = models.DateField(_("notice given on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("booking request or reservation")
        verbose_name_plural = _("booking requests and reservations")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="reservation_requester_idx"),
            models.Index(fields=["status", "created_at"], name="reservation_status_idx"),
            models.Index(fields=["created_at", "id"], name="reservation_queue_order_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="reservation_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def may_decline(self) -> bool:
        """An offer not yet signed that has not started is declined, not terminated with notice."""
        return self.status in self.DECLINABLE and (self.starts_on is None or self.starts_on > timezone.localdate())

    @property
    def may_terminate(self) -> bool:
        return self.status in self.HOLDING and not self.may_decline

    @property
    def may_withdraw(self) -> bool:
        return self.status == self.Status.REQUESTED


class ReservationItem(models.Model):
    """One resource a reservation asks for and, while granted, holds."""

    reservation = models.ForeignKey(Reservation, on_delete=models.CASCADE, related_name="items", verbose_name=_("reservation"))
    parking_space = models.ForeignKey(
        ParkingSpace, on_delete=models.PROTECT, null=True, blank=True, related_name="items", verbose_name=_("parking space")
    )
    sauna_slot = models.ForeignKey(
        SaunaSlot, on_delete=models.PROTECT, null=True, blank=True, related_name="items", verbose_name=_("sauna slot")
    )
    held_from = models.DateField(_("held from"), null=True, blank=True)
    held_until = models.DateField(_("held until"), null=True, blank=True)
    # The reservation's tenant while it is open (Reservation.OPEN), empty once it is closed, so that
    # the database refuses a second open request of one tenant for the same space or slot.
    open_tenant = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False, db_index=False
    )

    class Meta:
        verbose_name = _("reserved resource")
        verbose_name_plural = _("reserved resources")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(parking_space__isnull=True, sauna_slot__isnull=False)
                | Q(parking_space__isnull=False, sauna_slot__isnull=True),
                name="reservation_item_one_resource",
            ),
            models.CheckConstraint(
                condition=Q(held_until__isnull=True) | Q(held_from__isnull=False, held_until__gte=F("held_from")),
                name="reservation_item_held_range",
            ),
            models.UniqueConstraint(fields=["reservation", "parking_space"], name="reservation_item_space_once"),
            models.UniqueConstraint(fields=["reservation", "sauna_slot"], name="reservation_item_slot_once"),
            models.UniqueConstraint(fields=["open_tenant", "parking_space"], name="reservation_item_space_once_per_tenant"),
            models.UniqueConstraint(fields=["open_tenant", "sauna_slot"], name="reservation_item_slot_once_per_tenant"),
        ]
        indexes = [
            models.Index(fields=["parking_space", "held_from"], name="item_space_held_idx"),
            models.Index(fields=["sauna_slot", "held_from"], name="item_slot_held_idx"),
        ]

    def __str__(self) -> str:
        return str(self.resource)

    @property
    def resource(self) -> ParkingSpace | SaunaSlot:
        resource = self.parking_space or self.sauna_slot
        if resource is None:
            raise ValueError("A reservation item names a parking space or a sauna slot.")  # bookings_item_one_resource
        return resource


class AllocationRun(models.Model):
    """Staff ran the allocation for one or more resources (BKG-4)."""

    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="booking_allocations",
        verbose_name=_("run by"),
    )
    started_at = models.DateTimeField(_("run at"), default=timezone.now)
    resources = models.TextField(_("resources"), blank=True)
    considered = models.PositiveIntegerField(_("requests considered"), default=0)
    granted = models.PositiveIntegerField(_("requests granted"), default=0)

    class Meta:
        verbose_name = _("allocation run")
        verbose_name_plural = _("allocation runs")
        ordering = ["-started_at", "-pk"]
        default_permissions = ("view",)
        permissions = [("run_allocation", _("Can run the allocation of sauna slots and parking spaces"))]

    def __str__(self) -> str:
        return f"{date_format(timezone.localtime(self.started_at), 'SHORT_DATETIME_FORMAT')} ({self.granted}/{self.considered})"


class AllocationDecision(models.Model):
    """Why a request got, or did not get, what it asked for (BKG-4)."""

    class Outcome(models.TextChoices):
        GRANTED_FIRST_IN_QUEUE = "granted_queue", _("Granted: first in the queue")
        GRANTED_FREE = "granted_free", _("Granted at once: free and nobody in the queue")
        QUEUED = "queued", _("Queued: other requests are waiting or the resource is reserved")
        EARLIER_REQUEST_GRANTED = "earlier_granted", _("Not granted: an earlier request in the queue got it")
        RESERVED = "reserved", _("Not granted: reserved by another reservation with no end date")
        OTHER_SLOT_RESERVED = "other_slot", _("Not granted: another of the requested slots is reserved")

    GRANTED = (Outcome.GRANTED_FIRST_IN_QUEUE, Outcome.GRANTED_FREE)

    run = models.ForeignKey(
        AllocationRun, on_delete=models.CASCADE, null=True, blank=True, related_name="decisions", verbose_name=_("run")
    )
    reservation = models.ForeignKey(
        Reservation, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("reservation")
    )
    # Decisions are read by run or by reservation; more indexes would only slow down a large run.
    parking_space = models.ForeignKey(
        ParkingSpace,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("parking space"),
    )
    sauna_slot = models.ForeignKey(
        SaunaSlot, on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=False, verbose_name=_("sauna slot")
    )
    position = models.PositiveIntegerField(_("place in the queue"), default=1)
    had_parking_space = models.BooleanField(_("already had a parking space"), default=False)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    blocked_by = models.ForeignKey(
        Reservation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("blocked by"),
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("allocation decision")
        verbose_name_plural = _("allocation decisions")
        ordering = ["decided_at", "run_id", "position", "pk"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.reservation}: {self.get_outcome_display()}"

    @property
    def granted(self) -> bool:
        return self.outcome in self.GRANTED


class CalendarFeed(models.Model):
    """A person's calendar feed of their sauna and parking reservations (NTF-9). The feed's URL
    carries a token signed over the person and `key`; renewing the link draws a new key, which
    revokes every URL made with the old one."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("person"))
    key = models.CharField(_("key"), max_length=64)
    renewed_at = models.DateTimeField(_("link renewed at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.person)
