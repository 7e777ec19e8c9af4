"""How long Heka means to take over each type of request (NTF-6). Staff set the days in the admin;
a request gets its due date from them when it is sent, so a later change moves no promise made."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import ResidentRequest
from .kinds import ServiceRequest

# The request types that have a handling time: defects, messages and each service request type.
REQUEST_TYPES = [
    (ResidentRequest.Kind.DEFECT.value, ResidentRequest.Kind.DEFECT.label),
    (ResidentRequest.Kind.MESSAGE.value, ResidentRequest.Kind.MESSAGE.label),
    *ServiceRequest.Type.choices,
]

# Calendar days, so that the resident can count them without a holiday calendar. A defect is
# looked at within a week (an urgent one goes to the on-call service by phone, not through the
# form); customer service answers a message within five days; a service request takes what its
# handling takes: a report is looked into within two weeks, a renovation permit needs the property
# manager's review, a lease transfer or a relinquishment a decision on the agreement.
DEFAULT_HANDLING_DAYS = {
    ResidentRequest.Kind.DEFECT.value: 7,
    ResidentRequest.Kind.MESSAGE.value: 5,
    ServiceRequest.Type.DISRUPTIVE_BEHAVIOUR.value: 14,
    ServiceRequest.Type.SMOKING.value: 14,
    ServiceRequest.Type.RENOVATION.value: 21,
    ServiceRequest.Type.LEASE_TRANSFER.value: 30,
    ServiceRequest.Type.RELINQUISHMENT.value: 30,
    ServiceRequest.Type.NAME_CHANGE.value: 7,
    ServiceRequest.Type.INSPECTION.value: 14,
}


class HandlingTime(models.Model):
    request_type = models.CharField(_("request type"), max_length=24, choices=REQUEST_TYPES, unique=True)
    days = models.PositiveSmallIntegerField(
        _("expected handling time in days"),
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_(
            "Calendar days from sending. The resident sees the date on the request; requests past it come first in the queue."
        ),
    )

    class Meta:
        verbose_name = _("handling time")
        verbose_name_plural = _("handling times")
        ordering = ["request_type"]
        constraints = [models.CheckConstraint(condition=models.Q(days__gte=1, days__lte=365), name="handling_time_days_in_range")]

    def __str__(self) -> str:
        return f"{self.get_request_type_display()}: {self.days}"
