"""The three kinds of request: defect notifications (SRQ-1), messages (SRQ-2, SRQ-3) and service
requests (SRQ-5)."""

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import ResidentRequest, Status

# NTF-7: how long after a defect is marked done the resident may confirm or reopen it.
REVIEW_DAYS = 14
RATINGS = [(number, str(number)) for number in range(1, 6)]


class Defect(ResidentRequest):
    class Category(models.TextChoices):
        WATER = "water", _("Water, drains or leaks")
        ELECTRICITY = "electricity", _("Electricity or lighting")
        HEATING = "heating", _("Heating or ventilation")
        DOORS = "doors", _("Doors, locks or windows")
        APPLIANCES = "appliances", _("Kitchen appliances")
        BATHROOM = "bathroom", _("Bathroom or sauna")
        SURFACES = "surfaces", _("Floors, walls or ceilings")
        PESTS = "pests", _("Pests")
        COMMON_AREAS = "common_areas", _("Stairwell, yard or other common areas")
        OTHER = "other", _("Something else")

    class Location(models.TextChoices):
        KITCHEN = "kitchen", _("Kitchen")
        BATHROOM = "bathroom", _("Bathroom or toilet")
        SAUNA = "sauna", _("Sauna")
        LIVING_ROOM = "living_room", _("Living room")
        BEDROOM = "bedroom", _("Bedroom")
        HALL = "hall", _("Hall")
        BALCONY = "balcony", _("Balcony")
        STORAGE = "storage", _("Storage room")
        OUTSIDE = "outside", _("Outside the apartment")
        OTHER = "other", _("Elsewhere")

    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    location = models.CharField(_("location in the apartment"), max_length=20, choices=Location.choices)
    location_details = models.CharField(_("more about the location"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    master_key_allowed = models.BooleanField(_("may enter with a master key"))
    has_pets = models.BooleanField(_("pets in the apartment"))
    pets_details = models.CharField(_("about the pets"), max_length=200, blank=True)
    # NTF-7: the resident confirmed the repair (which closes the review) and how they rated the
    # handling, 1 to 5, when they chose to.
    confirmed_at = models.DateTimeField(_("confirmed by the resident at"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("resident's rating"), null=True, blank=True, choices=RATINGS)

    class Meta:
        verbose_name = _("defect notification")
        verbose_name_plural = _("defect notifications")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5), name="defect_rating_1_to_5"
            )
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.kind = ResidentRequest.Kind.DEFECT
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.get_category_display()} #{self.pk}"

    @property
    def title(self) -> str:
        return str(self.get_category_display())

    @property
    def review_ends_at(self) -> datetime | None:
        """NTF-7: until when the resident may confirm or reopen the job marked done."""
        return self.done_at + timedelta(days=REVIEW_DAYS) if self.done_at else None

    @property
    def may_review(self) -> bool:
        ends_at = self.review_ends_at
        return self.status == Status.DONE and self.confirmed_at is None and ends_at is not None and timezone.now() < ends_at


def defect_photo_path(photo: "DefectPhoto", filename: str) -> str:
    # Never the uploaded name: the server names every stored file.
    return f"defect-photos/{uuid.uuid4().hex}.{photo.extension}"


class DefectPhoto(models.Model):
    """A photo of a defect, re-encoded on upload so that it holds only pixels (no location data)."""

    CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png"}

    defect = models.ForeignKey(Defect, on_delete=models.CASCADE, related_name="photos", verbose_name=_("defect"))
    image = models.FileField(_("photo"), upload_to=defect_photo_path)
    extension = models.CharField(max_length=4, choices=[("jpg", "JPEG"), ("png", "PNG")])
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    size = models.PositiveIntegerField(_("size in bytes"))

    class Meta:
        verbose_name = _("defect photo")
        verbose_name_plural = _("defect photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.defect} — {self.pk}"

    @property
    def content_type(self) -> str:
        return self.CONTENT_TYPES[self.extension]


class Message(ResidentRequest):
    class Category(models.TextChoices):
        PAYMENT_AGREEMENT = "payment_agreement", _("Payment agreement")
        COMPENSATION = "compensation", _("Rental compensation or deposit return request")
        LEASE_CONTROL = "lease_control", _("Lease control")
        DEBT_COLLECTION = "debt_collection", _("Debt collection")
        TENANT_DEMOCRACY = "tenant_democracy", _("Tenant democracy")
        CUSTOMER_SERVICE = "customer_service", _("Customer service, including key orders")
        FEEDBACK = "feedback", _("General feedback")

    class Key(models.TextChoices):
        APARTMENT = "apartment", _("Apartment door key")
        STORAGE = "storage", _("Storage room key")
        MAILBOX = "mailbox", _("Mailbox key")
        GARAGE = "garage", _("Garage or parking remote")
        OTHER = "other", _("Other key (tell in the message)")

    STATUSES = (Status.RECEIVED, Status.IN_PROGRESS, Status.ANSWERED, Status.DONE)

    category = models.CharField(_("subject area"), max_length=20, choices=Category.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    # A key order (SRQ-2): which key and how many; empty for other messages.
    key_type = models.CharField(_("key ordered"), max_length=12, choices=Key.choices, blank=True)
    key_count = models.PositiveSmallIntegerField(_("number of keys"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(key_type="") & models.Q(key_count=None))
                | (~models.Q(key_type="") & models.Q(key_count__gte=1, category="customer_service")),
                name="message_key_order_complete",
            )
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.kind = ResidentRequest.Kind.MESSAGE
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.subject} #{self.pk}"

    @property
    def title(self) -> str:
        return self.subject

    @property
    def is_key_order(self) -> bool:
        return bool(self.key_type)


class ServiceRequest(ResidentRequest):
    """A request that replaces a paper form (SRQ-5). Each type has its own fields, kept in
    `details` as the type's form cleaned them (see servicerequests.forms.service). The notice of
    moving in or out is the tenancy app's occupant change notice (TEN-5), not a type here."""

    class Type(models.TextChoices):
        DISRUPTIVE_BEHAVIOUR = "disruptive_behaviour", _("Report disruptive behaviour")
        SMOKING = "smoking", _("Report smoking")
        RENOVATION = "renovation", _("Apply for permission for a DIY renovation")
        LEASE_TRANSFER = "lease_transfer", _("Lease transfer")
        RELINQUISHMENT = "relinquishment", _("Temporary relinquishment of the apartment")
        NAME_CHANGE = "name_change", _("Name change")
        INSPECTION = "inspection", _("Order an apartment inspection")

    type = models.CharField(_("type"), max_length=24, choices=Type.choices)
    details = models.JSONField(_("details"), default=dict)

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["created_at", "pk"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.kind = ResidentRequest.Kind.SERVICE_REQUEST
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.get_type_display()} #{self.pk}"

    @property
    def title(self) -> str:
        return str(self.get_type_display())
