"""The e-mail outbox (ACC-13, X-6): write in the caller's transaction, send from a Celery task.

`email_enqueue` stores the e-mail and asks for it to be sent after commit. If the broker cannot be
reached then, the row stays pending and `outbox_relay` (run by beat every minute) queues it later.
`outbox_send` locks the row, sends once and marks it sent in one transaction; a second delivery of
the same task finds it sent and does nothing. The Message-ID is derived from the idempotency key,
so even a worker that dies between the SMTP hand-off and the commit produces a duplicate that
mail systems recognise as the same message.
"""

import hashlib
import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutboxEmail

logger = logging.getLogger(__name__)

LinkBuilder = Callable[[dict], str]
_link_builders: dict[str, LinkBuilder] = {}


def register_link_builder(name: str) -> Callable[[LinkBuilder], LinkBuilder]:
    """Register a function that turns `link_args` into a link at send time (no token in the row)."""

    def decorator(function: LinkBuilder) -> LinkBuilder:
        _link_builders[name] = function
        return function

    return decorator


def email_enqueue(
    *,
    to: str,
    template: str,
    context: dict,
    language: str,
    idempotency_key: str,
    link_builder: str = "",
    link_args: dict | None = None,
) -> OutboxEmail:
    """Store an e-mail in the outbox and queue its sending once the transaction commits.

    `template` names `emails/<template>_subject.txt`, `.txt` and `.html`; `context` must be JSON.
    Enqueuing the same `idempotency_key` twice returns the first e-mail and sends nothing more.
    """
    if link_builder and link_builder not in _link_builders:
        raise ValueError(f"Unknown link builder {link_builder!r}")
    email, created = OutboxEmail.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "to": to,
            "template": template,
            "context": context,
            "language": language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
            "link_builder": link_builder,
            "link_args": link_args or {},
        },
    )
    if created:
        transaction.on_commit(lambda: _queue(email.pk))
    return email


def _queue(email_id: int) -> None:
    from .tasks import outbox_send

    try:
        outbox_send.delay(email_id)
    except Exception:  # the broker is down: the relay queues it later
        logger.warning("Outbox e-mail %s could not be queued now; the relay will retry", email_id)
        return
    OutboxEmail.objects.filter(pk=email_id, queued_at__isnull=True).update(queued_at=timezone.now())


def outbox_send(*, email_id: int) -> bool:
    """Send one outbox e-mail unless it is gone or already sent. Returns True if sent now."""
    with transaction.atomic():
        email = OutboxEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status == OutboxEmail.Status.SENT:
            return False
        email.attempts += 1
        try:
            _build_message(email).send(fail_silently=False)
        except Exception as error:
            # Keep the attempt count and reason, then let the task retry with backoff.
            OutboxEmail.objects.filter(pk=email.pk).update(attempts=email.attempts, last_error=type(error).__name__)
            raise
        email.status = OutboxEmail.Status.SENT
        email.sent_at = timezone.now()
        email.last_error = ""
        email.save(update_fields=["status", "sent_at", "attempts", "last_error"])
    logger.info("Outbox e-mail %s (%s) sent", email.pk, email.template)
    return True


def outbox_relay(*, older_than: timedelta = timedelta(seconds=30), limit: int = 500) -> int:
    """Queue pending e-mails that were never queued or whose task was lost; returns how many."""
    from .tasks import outbox_send as outbox_send_task

    cutoff = timezone.now() - older_than
    pending = (
        OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING, created_at__lt=cutoff)
        .exclude(queued_at__gte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    queued = 0
    for email_id in pending:
        outbox_send_task.delay(email_id)
        OutboxEmail.objects.filter(pk=email_id).update(queued_at=timezone.now())
        queued += 1
    return queued


def _build_message(email: OutboxEmail) -> EmailMultiAlternatives:
    context = dict(email.context)
    if email.link_builder:
        context["link"] = _link_builders[email.link_builder](email.link_args)
    with translation.override(email.language):
        subject = render_to_string(f"emails/{email.template}_subject.txt", context)
        text = render_to_string(f"emails/{email.template}.txt", context)
        html = render_to_string(f"emails/{email.template}.html", context)
    digest = hashlib.sha256(email.idempotency_key.encode()).hexdigest()[:32]
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].rstrip(">")
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={"Message-ID": f"<{digest}@{domain}>", "Content-Language": email.language},
    )
    message.attach_alternative(html, "text/html")
    return message
