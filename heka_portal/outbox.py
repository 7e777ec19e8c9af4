"""The e-mail outbox (ACC-13, X-6): write in the caller's transaction, send from a Celery task.

Every e-mail extends templates/emails/base.txt and base.html: Heka's name, the greeting, the body,
customer service and the portal's address, in the e-mail's language.

`email_enqueue` stores the e-mail and asks for it to be sent after commit. If the broker cannot be
reached then, the row stays pending and `outbox_relay` (run by beat every minute) queues it later.
`outbox_send` locks the row, sends once and marks it sent in one transaction; a second delivery of
the same task finds it sent and does nothing. The Message-ID is derived from the idempotency key,
so even a worker that dies between the SMTP hand-off and the commit produces a duplicate that
mail systems recognise as the same message.

Links that carry a secret are made by a link builder at the moment of sending, so no token is
stored in the row, travels through the broker or reaches a log. The row keeps the portal's address
of the moment (heka_portal.http), so that a worker builds the link for the port the portal is served
on. Builders are registered with `register_link_builder` in a module named `links` or `tokens` of an installed app; a worker
imports those modules the first time it meets a builder it does not know.

A builder is called as `builder(link_args, issued_at=...)` and must make the same link for the
same row every time: `issued_at` is the moment of the first attempt to send, committed before the
message goes to the mail server, and tokens that carry a time are dated with it (`signed_at`),
not with the clock of a later attempt. So when a worker dies after the mail server accepted the
message and before the row was marked sent, the e-mail sent again is the same e-mail with the
same link, never a second live link (OPS-6); and an e-mail that waited out a broker outage still
brings a link good for its whole lifetime.
"""

import hashlib
import logging
import smtplib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import autodiscover_modules

from .http import serving_site, site_url
from .models import OutboxEmail

logger = logging.getLogger(__name__)

LinkBuilder = Callable[..., str]  # (link_args: dict, *, issued_at: datetime) -> str
_link_builders: dict[str, LinkBuilder] = {}

# A task retries with backoff up to about ten minutes apart; a row queued longer ago than this
# and still pending has lost its task (or used up its retries) and is queued again by the relay.
LOST_TASK_AFTER = timedelta(minutes=15)
# An e-mail that keeps failing for days is given up so that the relay does not loop forever.
MAX_ATTEMPTS = 100


class LinkUnavailable(Exception):
    """A link builder cannot make the link any more (the account is gone): the e-mail is dropped."""


# Errors that another attempt cannot fix.
_PERMANENT_ERRORS = (LinkUnavailable, TemplateDoesNotExist, smtplib.SMTPRecipientsRefused)


def register_link_builder(name: str) -> Callable[[LinkBuilder], LinkBuilder]:
    """Register a function that turns `link_args` into a link at send time (no token in the row)."""

    def decorator(function: LinkBuilder) -> LinkBuilder:
        _link_builders[name] = function
        return function

    return decorator


class _TimestampSignerAt(signing.TimestampSigner):
    def __init__(self, *, at: datetime, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._at = at

    def timestamp(self) -> str:
        return signing.b62_encode(int(self._at.timestamp()))


def signed_at(obj: object, *, salt: str, at: datetime) -> str:
    """`django.core.signing.dumps(obj, salt=salt)` dated `at` instead of now: the same input makes
    the same token, and `signing.loads(..., max_age=...)` counts the age from `at`."""
    return _TimestampSignerAt(at=at, salt=salt).sign_object(obj)


def _link_builder(name: str) -> LinkBuilder | None:
    if name not in _link_builders:
        autodiscover_modules("links", "tokens")
    return _link_builders.get(name)


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
    if link_builder and _link_builder(link_builder) is None:
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
            "site_url": site_url(),
        },
    )
    if created:
        email_id = email.pk
        transaction.on_commit(lambda: _queue(email_id), robust=True)
    return email


def _queue(email_id: int) -> None:
    from .tasks import outbox_send

    try:
        outbox_send.delay(email_id)
    except Exception as error:  # the broker is down: the relay queues it later
        logger.warning("Outbox e-mail %s could not be queued now (%s); the relay will retry", email_id, type(error).__name__)
        return
    OutboxEmail.objects.filter(pk=email_id, queued_at__isnull=True).update(queued_at=timezone.now())


def outbox_send(*, email_id: int) -> bool:
    """Send one outbox e-mail unless it is gone or already sent. Returns True if sent now.

    A failure that another attempt may fix is recorded and raised, so that the task retries;
    one that cannot be fixed marks the e-mail failed and returns False.
    """
    failure: Exception | None = None
    # Committed on its own, before anything is sent: a retry after a lost attempt finds it (OPS-6).
    OutboxEmail.objects.filter(pk=email_id, link_issued_at__isnull=True).exclude(link_builder="").update(
        link_issued_at=timezone.now()
    )
    with transaction.atomic():
        # The row lock makes a second task for the same e-mail wait here and then find it sent.
        email = OutboxEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status != OutboxEmail.Status.PENDING:
            return False
        email.attempts += 1
        try:
            _build_message(email).send(fail_silently=False)
        except Exception as error:
            failure = error
        else:
            email.status = OutboxEmail.Status.SENT
            email.sent_at = timezone.now()
            email.last_error = ""
            email.save(update_fields=["status", "sent_at", "attempts", "last_error"])
    if failure is None:
        logger.info("Outbox e-mail %s (%s) sent", email.pk, email.template)
        return True
    return _record_failure(email, failure)


def _record_failure(email: OutboxEmail, failure: Exception) -> bool:
    """Keep the attempt count and the kind of error (never its text, which may hold an address)."""
    give_up = isinstance(failure, _PERMANENT_ERRORS) or email.attempts >= MAX_ATTEMPTS
    OutboxEmail.objects.filter(pk=email.pk, status=OutboxEmail.Status.PENDING).update(
        attempts=email.attempts,
        last_error=type(failure).__name__,
        # A retrying e-mail is not lost: the relay leaves it to its task for a while.
        queued_at=timezone.now(),
        **({"status": OutboxEmail.Status.FAILED} if give_up else {}),
    )
    if give_up:
        logger.error("Outbox e-mail %s (%s) given up: %s", email.pk, email.template, type(failure).__name__)
        return False
    logger.warning("Outbox e-mail %s (%s) failed (%s); retrying", email.pk, email.template, type(failure).__name__)
    raise failure


def outbox_relay(*, older_than: timedelta = timedelta(seconds=30), limit: int = 500) -> int:
    """Queue pending e-mails that were never queued or whose task was lost; returns how many.

    If the broker is still down, nothing changes and the next run tries again.
    """
    from .tasks import outbox_send as outbox_send_task

    now = timezone.now()
    pending = (
        OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING, created_at__lt=now - older_than)
        # never queued (the broker was down at commit), or queued so long ago that the task is lost
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - LOST_TASK_AFTER))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    queued = 0
    for email_id in pending:
        outbox_send_task.delay(email_id)
        OutboxEmail.objects.filter(pk=email_id).update(queued_at=timezone.now())
        queued += 1
    if queued:
        logger.info("Outbox relay queued %s e-mail(s)", queued)
    return queued


def _layout_context() -> dict[str, str]:
    """What the shared layout of every e-mail (templates/emails/base.*) shows: the portal's address
    and customer service. An e-mail's own context may override it."""
    return {
        "site_url": site_url(),
        "customer_service_phone": settings.HEKA_CUSTOMER_SERVICE_PHONE,
        "customer_service_email": settings.HEKA_CUSTOMER_SERVICE_EMAIL,
    }


def _build_message(email: OutboxEmail) -> EmailMultiAlternatives:
    context = {**_layout_context(), **email.context}
    if email.link_builder:
        builder = _link_builder(email.link_builder)
        if builder is None:
            raise LookupError(f"Unknown link builder {email.link_builder!r}")
        # The link opens where the portal was served when the e-mail was written, also in a worker.
        with serving_site(email.site_url):
            context["link"] = builder(email.link_args, issued_at=email.link_issued_at or timezone.now())
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
