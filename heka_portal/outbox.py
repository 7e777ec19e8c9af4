"""The e-mail outbox (ACC-13, X-6): write in the caller's transaction, send from a Celery task.

Every e-mail extends templates/emails/base.txt and base.html: Heka's name, the greeting, the body,
customer service and the portal's address, in the e-mail's language.

`email_enqueue` stores the e-mail and asks for it to be sent after commit. If the broker cannot be
reached then, the row stays pending and `outbox_relay` (run by beat every minute) queues it later.
`outbox_send` locks the row, sends once and marks it sent in one transaction; a second delivery of
the same task finds it sent and does nothing. The Message-ID is derived from the idempotency key,
so even a worker that dies between the SMTP hand-off and the commit produces a duplicate that
mail systems recognise as the same message.

`email_enqueue_many` does the same for a bulletin or an outage notice (NTF-10): one INSERT for all
the rows and, after commit, one task per `BATCH_SIZE` e-mails. `outbox_send_batch` sends a batch
over one SMTP connection; it claims `MARKED_TOGETHER` e-mails at a time (`SELECT ... FOR UPDATE
SKIP LOCKED`), sends them and marks them sent in one transaction, so that a worker killed mid-batch
leaves at most those few to be sent again, each the same e-mail with the same link and Message-ID,
as `outbox_send` does for its one. The mark "sent" is committed without waiting for the disk: a
worker that dies after the commit cannot undo it, and only a crash of PostgreSQL itself within a
fraction of a second could, which again means the same e-mails sent twice, never a second link, as
the moment of the links is committed durably before the batch is sent.

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

import contextlib
import hashlib
import logging
import smtplib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
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
# E-mails per task of `email_enqueue_many` and the relay: one SMTP connection each. A batch takes
# well under a second on a quiet machine and stays far inside the task time limit on a busy one.
BATCH_SIZE = 100
# E-mails of a batch claimed, sent and marked sent in one transaction. A worker killed mid-batch
# leaves at most these to be sent again, each the same e-mail with the same link (OPS-6); fewer
# would cost a commit per e-mail, which on a busy machine is the most expensive part.
MARKED_TOGETHER = 10


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
    _check_link_builders({link_builder})
    draft = OutgoingEmail(to, template, context, language, idempotency_key, link_builder, link_args or {})
    email, created = OutboxEmail.objects.get_or_create(
        idempotency_key=idempotency_key, defaults=_row_fields(draft, site=site_url())
    )
    if created:
        email_id = email.pk
        transaction.on_commit(lambda: _queue(email_id), robust=True)
    return email


@dataclass(frozen=True)
class OutgoingEmail:
    """One e-mail for `email_enqueue_many`: what `email_enqueue` takes."""

    to: str
    template: str
    context: dict
    language: str
    idempotency_key: str
    link_builder: str = ""
    link_args: dict = field(default_factory=dict)


def email_enqueue_many(*, emails: Iterable[OutgoingEmail], batch_size: int = BATCH_SIZE) -> int:
    """Store many e-mails (a bulletin, an outage notice) and queue them in batches once the
    transaction commits (NTF-10). Returns how many were stored now.

    As with `email_enqueue`, an idempotency key already in the outbox is skipped: a bulletin
    enqueued twice goes out once per recipient. The same key twice in `emails` is its first e-mail.
    """
    drafts: dict[str, OutgoingEmail] = {}
    for email in emails:
        drafts.setdefault(email.idempotency_key, email)  # the first one counts, as in `email_enqueue`
    _check_link_builders({email.link_builder for email in drafts.values()})
    site = site_url()
    with transaction.atomic():
        stored = _store_new(drafts, site=site)
    email_ids = [email.pk for email in stored]
    if email_ids:
        batches = [email_ids[start : start + batch_size] for start in range(0, len(email_ids), batch_size)]
        transaction.on_commit(lambda: _queue_batches(batches), robust=True)
    return len(email_ids)


def _store_new(drafts: dict[str, OutgoingEmail], *, site: str) -> list[OutboxEmail]:
    """INSERT the e-mails whose keys are not in the outbox yet. Another transaction that stores
    some of the same keys at the same moment makes the INSERT fail; then those are skipped too."""
    for attempt in range(3):
        stored_before = set(
            OutboxEmail.objects.filter(idempotency_key__in=list(drafts)).values_list("idempotency_key", flat=True)
        )
        rows = [OutboxEmail(**_row_fields(email, site=site)) for key, email in drafts.items() if key not in stored_before]
        try:
            with transaction.atomic():
                return OutboxEmail.objects.bulk_create(rows, batch_size=2000)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _row_fields(email: OutgoingEmail, *, site: str) -> dict:
    return {
        "idempotency_key": email.idempotency_key,
        "to": email.to,
        "template": email.template,
        "context": email.context,
        "language": email.language if email.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
        "link_builder": email.link_builder,
        "link_args": email.link_args or {},
        "site_url": site,
    }


def _check_link_builders(names: set[str]) -> None:
    for name in names:
        if name and _link_builder(name) is None:
            raise ValueError(f"Unknown link builder {name!r}")


def _queue(email_id: int) -> None:
    from .tasks import outbox_send

    try:
        outbox_send.delay(email_id)
    except Exception as error:  # the broker is down: the relay queues it later
        logger.warning("Outbox e-mail %s could not be queued now (%s); the relay will retry", email_id, type(error).__name__)
        return
    OutboxEmail.objects.filter(pk=email_id, queued_at__isnull=True).update(queued_at=timezone.now())


def _queue_batches(batches: list[list[int]]) -> None:
    from .tasks import outbox_send_batch

    # Marked before the tasks exist: an UPDATE of rows that a worker is already claiming would
    # hold their locks and make it skip them.
    OutboxEmail.objects.filter(pk__in=[pk for batch in batches for pk in batch]).update(queued_at=timezone.now())
    for number, batch in enumerate(batches):
        try:
            outbox_send_batch.delay(batch)
        except Exception as error:  # the broker is down: the relay queues the rest later
            unqueued = [pk for later in batches[number:] for pk in later]
            OutboxEmail.objects.filter(pk__in=unqueued).update(queued_at=None)
            logger.warning(
                "%s outbox e-mail(s) could not be queued now (%s); the relay will retry", len(unqueued), type(error).__name__
            )
            return


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
    if _failure_recorded(email, failure):
        return False
    raise failure


def _failure_recorded(email: OutboxEmail, failure: Exception) -> bool:
    """Keep the attempt count and the kind of error (never its text, which may hold an address).
    Returns True if the e-mail is given up, False if another attempt may send it."""
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
    else:
        logger.warning("Outbox e-mail %s (%s) failed (%s); retrying", email.pk, email.template, type(failure).__name__)
    return give_up


class BatchIncomplete(Exception):
    """Some e-mails of a batch failed and may succeed later: the task retries the batch, and
    finds the others sent."""


def outbox_send_batch(*, email_ids: Sequence[int]) -> int:
    """Send the pending e-mails among `email_ids` over one connection to the mail server (NTF-10).
    Returns how many were sent now.

    E-mails are claimed `MARKED_TOGETHER` at a time with `FOR UPDATE SKIP LOCKED`, sent, and marked
    sent in the same transaction. A failure is recorded on its e-mail and the batch goes on; if any
    may succeed later, or another transaction held some of them, `BatchIncomplete` is raised at the
    end so that the task retries with backoff, and then finds the others sent.
    """
    pending = list(
        OutboxEmail.objects.filter(pk__in=email_ids, status=OutboxEmail.Status.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not pending:
        return 0
    # Committed on its own, before anything is sent: a retry after a lost attempt finds it (OPS-6).
    OutboxEmail.objects.filter(pk__in=pending, link_issued_at__isnull=True).exclude(link_builder="").update(
        link_issued_at=timezone.now()
    )
    mail_server = get_connection(fail_silently=False)
    sent, busy, failures = 0, 0, Counter[str]()
    try:
        for start in range(0, len(pending), MARKED_TOGETHER):
            group = _send_group(pending[start : start + MARKED_TOGETHER], mail_server)
            sent, busy, failures = sent + group.sent, busy + group.busy, failures + group.failures
    finally:
        _close_quietly(mail_server)
    logger.info("Outbox batch of %s: %s sent, %s failed, %s busy", len(pending), sent, failures.total(), busy)
    if failures or busy:
        kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(failures.items()))
        raise BatchIncomplete(f"Of {len(pending)} e-mails {failures.total()} failed ({kinds}) and {busy} were busy; retrying")
    return sent


@dataclass
class _GroupSent:
    sent: int = 0
    # held by another transaction (a worker sending them, or a short UPDATE): look again later
    busy: int = 0
    # the kinds of errors that another attempt may fix
    failures: Counter[str] = field(default_factory=Counter)


def _send_group(email_ids: list[int], mail_server: BaseEmailBackend) -> _GroupSent:
    """Claim, send and mark a few e-mails in one transaction."""
    result = _GroupSent()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        emails = list(
            OutboxEmail.objects.select_for_update(skip_locked=True)
            .filter(pk__in=email_ids, status=OutboxEmail.Status.PENDING)
            .order_by("pk")
        )
        if len(emails) < len(email_ids):
            skipped = set(email_ids) - {email.pk for email in emails}
            # the others were sent or given up meanwhile
            result.busy = OutboxEmail.objects.filter(pk__in=skipped, status=OutboxEmail.Status.PENDING).count()
        sent: list[OutboxEmail] = []
        for email in emails:
            email.attempts += 1
            try:
                message = _build_message(email)
                mail_server.open()  # once per batch, again only after a failure
                mail_server.send_messages([message])
            except SoftTimeLimitExceeded:
                raise  # the batch ran out of time: this group stays pending, the task retries
            except Exception as error:
                if not _failure_recorded(email, error):
                    result.failures[type(error).__name__] += 1
                _close_quietly(mail_server)  # the next e-mail gets a fresh connection
            else:
                sent.append(email)
        if sent:
            OutboxEmail.objects.filter(pk__in=[email.pk for email in sent]).update(
                status=OutboxEmail.Status.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
            )
    for email in sent:
        logger.info("Outbox e-mail %s (%s) sent", email.pk, email.template)
    result.sent = len(sent)
    return result


def _close_quietly(mail_server: BaseEmailBackend) -> None:
    with contextlib.suppress(Exception):  # a connection that failed may fail to close as well
        mail_server.close()


def outbox_relay(*, older_than: timedelta = timedelta(seconds=30), limit: int = 5000) -> int:
    """Queue pending e-mails that were never queued or whose task was lost, in batches of
    `BATCH_SIZE`; returns how many e-mails. If the broker is still down, nothing changes and the
    next run tries again."""
    from .tasks import outbox_send_batch

    now = timezone.now()
    pending = list(
        OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING, created_at__lt=now - older_than)
        # never queued (the broker was down at commit), or queued so long ago that the task is lost
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - LOST_TASK_AFTER))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for start in range(0, len(pending), BATCH_SIZE):
        batch = pending[start : start + BATCH_SIZE]
        # Marked first, as in `_queue_batches`; unmarked again if the broker is still down.
        OutboxEmail.objects.filter(pk__in=batch).update(queued_at=timezone.now())
        try:
            outbox_send_batch.delay(batch)
        except Exception:
            OutboxEmail.objects.filter(pk__in=pending[start:]).update(queued_at=None)
            raise
    if pending:
        logger.info("Outbox relay queued %s e-mail(s)", len(pending))
    return len(pending)


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
