from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxEmail(models.Model):
    """An e-mail waiting to be sent or already sent (ACC-13, X-6).

    It is written in the same transaction as the change that causes it, so a rolled-back change
    sends nothing and a committed one is never forgotten, even when the broker is down. The row
    holds the template name and a JSON context, never a live token: a link builder named in
    `link_builder` makes the link in the worker, at the moment of sending.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    to = models.EmailField(_("recipient"))
    template = models.CharField(_("template"), max_length=100)
    context = models.JSONField(_("content"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=5)
    link_builder = models.CharField(_("link builder"), max_length=100, blank=True)
    link_args = models.JSONField(_("link details"), default=dict, blank=True)
    # The portal's address when the e-mail was written (heka_portal.http): its links open there.
    site_url = models.CharField(_("portal address"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    # When the link was first made: every attempt dates its token with it, so a resend repeats it (OPS-6).
    link_issued_at = models.DateTimeField(_("link issued at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outbox_pending_idx",
                condition=models.Q(status="pending"),
            ),
            # The staff list (STF-4): its order, and its status filter in that order.
            models.Index(fields=["-created_at", "-id"], name="outbox_created_idx"),
            models.Index(fields=["status", "-created_at", "-id"], name="outbox_status_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.template} → {self.to} ({self.get_status_display()})"
