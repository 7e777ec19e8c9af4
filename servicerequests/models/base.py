"""What every request to Heka shares: who sent it for which home, its status and its timeline.

Defects, messages and service requests are children of `ResidentRequest` (multi-table
inheritance) so that one query answers "this person's open requests and unread replies" for the
dashboard, and the timeline and read marks work the same for all three.
"""

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from tenancy.models import Apartment, Person


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting")
    ANSWERED = "answered", _("Answered")
    DONE = "done", _("Done")


OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS, Status.WAITING)


class QueueRank(models.IntegerChoices):
    """Where a request stands in the staff queue (NTF-6, NTF-7): a reopened job first, then the
    other open ones (by due date, so the overdue come first), then the handled."""

    REOPENED = 0, _("Reopened by the resident")
    OPEN = 1, _("Open")
    HANDLED = 2, _("Handled")


QUEUE_ORDERING = ["queue_rank", "due_on", "created_at", "pk"]


class ResidentRequest(models.Model):
    class Kind(models.TextChoices):
        DEFECT = "defect", _("Defect notification")
        MESSAGE = "message", _("Message")
        SERVICE_REQUEST = "service_request", _("Service request")

    # The statuses staff may choose for each kind; "answered" belongs to messages only.
    STATUSES = (Status.RECEIVED, Status.IN_PROGRESS, Status.WAITING, Status.DONE)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, editable=False)
    # SRQ-4: the person who sent it is the only resident who sees it.
    submitted_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="resident_requests", verbose_name=_("submitted by")
    )
    # The ward when a guardian acts with the ward's rights (TEN-10).
    on_behalf_of = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("on behalf of")
    )
    apartment = models.ForeignKey(
        Apartment, on_delete=models.PROTECT, related_name="resident_requests", verbose_name=_("apartment")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)
    # NTF-6: the sending day plus the type's handling time (HandlingTime), kept as promised then.
    due_on = models.DateField(_("due"))
    # NTF-7: when staff last marked it done (the resident's 14 days run from here) and how often the
    # resident has reopened it.
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0, db_default=0)
    queue_rank = models.GeneratedField(
        expression=Case(
            When(Q(status__in=OPEN_STATUSES, reopened_count__gt=0), then=Value(QueueRank.REOPENED.value)),
            When(status__in=OPEN_STATUSES, then=Value(QueueRank.OPEN.value)),
            default=Value(QueueRank.HANDLED.value),
        ),
        output_field=models.PositiveSmallIntegerField(choices=QueueRank.choices),
        db_persist=True,
        verbose_name=_("place in the queue"),
    )

    class Meta:
        verbose_name = _("request to Heka")
        verbose_name_plural = _("requests to Heka")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["submitted_by", "-created_at"], name="request_submitter_idx"),
            # NTF-6: one index per staff queue in the queue's order, so the first page of each is
            # read from the index however many handled requests lie behind it.
            *(
                models.Index(
                    fields=["queue_rank", "due_on", "created_at", "id"], name=f"{kind}_queue_idx", condition=Q(kind=kind)
                )
                for kind in ("defect", "message", "service_request")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()

    @property
    def child(self) -> "ResidentRequest":
        """The defect, message or service request this row is the base of."""
        return getattr(self, {"service_request": "servicerequest"}.get(self.kind, self.kind))

    @property
    def title(self) -> str:
        return self.child.title


class TimelineEntry(models.Model):
    """A dated step the resident sees: the request arriving, a status change or a staff reply."""

    class Kind(models.TextChoices):
        STATUS = "status", _("Status change")
        REPLY = "reply", _("Reply from Heka")
        # NTF-7: the resident's word on a job marked done; a reopening carries the reason.
        CONFIRMED = "confirmed", _("Confirmed by the resident")
        REOPENED = "reopened", _("Reopened by the resident")

    request = models.ForeignKey(ResidentRequest, on_delete=models.CASCADE, related_name="timeline", verbose_name=_("request"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("new status"), max_length=12, choices=Status.choices, blank=True)
    text = models.TextField(_("text"), blank=True)
    # Internal: residents see "Heka customer service", never the staff member's name.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    read_at = models.DateTimeField(_("read by the resident at"), null=True, blank=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["request", "created_at"], name="timeline_request_idx"),
            models.Index(fields=["request"], name="timeline_unread_reply_idx", condition=Q(kind="reply", read_at=None)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="status") & ~Q(status=""))
                | (Q(kind="reply") & ~Q(text=""))
                | Q(kind="confirmed")
                | (Q(kind="reopened") & ~Q(status="") & ~Q(text="")),
                name="timeline_entry_has_content",
            )
        ]

    def __str__(self) -> str:
        moment = date_format(timezone.localtime(self.created_at), "SHORT_DATETIME_FORMAT")
        return f"{self.request} — {self.get_kind_display()} ({moment})"


class Draft(models.Model):
    """What a resident typed into a form that could not be sent (SRQ-6): the session ended, or the
    page was so old that its security token no longer held. One draft per person and form."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="request_drafts", verbose_name=_("person"))
    form = models.CharField(_("form"), max_length=60)
    data = models.JSONField(_("what was typed"), default=dict)
    saved_at = models.DateTimeField(_("saved at"), default=timezone.now)

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        constraints = [models.UniqueConstraint(fields=["person", "form"], name="draft_one_per_person_and_form")]

    def __str__(self) -> str:
        return f"{self.person} — {self.form}"
