"""The outbox: written with the change that causes it, sent after commit, exactly once (ACC-13, X-6)."""

import smtplib
import sys
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from heka_portal import outbox
from heka_portal.models import OutboxEmail
from heka_portal.tasks import outbox_send as outbox_send_task
from tests.mail import html_part
from tests.outbox.conftest import UNREACHABLE_BROKER, celery_broker, enqueue


class FailingBackend:
    """An SMTP server that is down."""

    def __init__(self, *args, **kwargs) -> None:
        pass

    def send_messages(self, messages) -> int:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RefusingBackend(FailingBackend):
    def send_messages(self, messages) -> int:
        raise smtplib.SMTPRecipientsRefused({"x@example.com": (550, b"No such user")})


def test_email_of_a_rolled_back_change_is_never_sent_X_6(db, django_capture_on_commit_callbacks):
    def change_that_fails() -> None:
        with transaction.atomic():
            enqueue()
            raise RuntimeError("the change fails")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        change_that_fails()
    assert callbacks == []
    assert not OutboxEmail.objects.exists()
    assert mail.outbox == []


def test_email_is_queued_only_after_commit_X_6_ACC_13(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = enqueue()
        assert OutboxEmail.objects.filter(pk=email.pk, status="pending").exists()
    assert len(callbacks) == 1
    assert mail.outbox == []

    callbacks[0]()

    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT
    assert email.queued_at is not None
    assert email.attempts == 1


def test_email_has_text_and_html_in_its_language_and_a_stable_message_id_ACC_13(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(language="sv")
    message = mail.outbox[0]
    assert message.to == ["resident1@example.com"]
    assert message.extra_headers["Content-Language"] == "sv"
    assert "https://portal.example/secret/1/" in message.body
    assert "https://portal.example/secret/1/" in html_part(message)
    assert message.extra_headers["Message-ID"].endswith("@heka.example>")


def test_same_idempotency_key_twice_gives_one_row_and_one_email_X_6(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = enqueue()
        second = enqueue(to="someone.else@example.com")
    assert first.pk == second.pk
    assert len(callbacks) == 1
    assert OutboxEmail.objects.count() == 1
    assert len(mail.outbox) == 1


def test_sending_twice_sends_once_X_6(db):
    email = enqueue()
    assert outbox.outbox_send(email_id=email.pk) is True
    assert outbox.outbox_send(email_id=email.pk) is False
    assert outbox_send_task.apply(args=(email.pk,)).get() is False
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.attempts == 1


def test_missing_email_is_skipped_quietly(db):
    assert outbox.outbox_send(email_id=987654) is False


def test_no_link_or_token_is_stored_or_sent_to_the_broker_X_6(db, django_capture_on_commit_callbacks, monkeypatch):
    published = []
    monkeypatch.setattr(outbox_send_task, "delay", lambda *args: published.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        email = enqueue()
    assert published == [(email.pk,)]
    stored = OutboxEmail.objects.filter(pk=email.pk).values().get()
    assert "secret" not in str(stored)


def test_failed_send_is_recorded_and_raised_so_the_task_retries_ACC_13(db, settings):
    settings.EMAIL_BACKEND = "tests.outbox.test_outbox.FailingBackend"
    email = enqueue()

    with pytest.raises(smtplib.SMTPServerDisconnected):
        outbox.outbox_send(email_id=email.pk)

    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.PENDING
    assert email.attempts == 1
    assert email.last_error == "SMTPServerDisconnected"
    # The task's own retries own it for a while; the relay does not queue it a second time.
    assert outbox.outbox_relay(older_than=timedelta(0)) == 0

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.outbox_send(email_id=email.pk) is True
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (OutboxEmail.Status.SENT, 2, "")


def test_task_declares_retries_with_backoff_and_late_acks_ACC_13():
    assert outbox_send_task.acks_late is True
    assert outbox_send_task.reject_on_worker_lost is True
    # celery-types' Task leaves out the options @shared_task sets from autoretry_for on.
    assert outbox_send_task.autoretry_for == (Exception,)  # type: ignore[attr-defined]
    assert outbox_send_task.retry_backoff  # type: ignore[attr-defined]
    assert outbox_send_task.retry_jitter  # type: ignore[attr-defined]
    assert (outbox_send_task.max_retries or 0) > 0


def test_email_that_cannot_be_delivered_is_given_up_not_retried(db, settings):
    settings.EMAIL_BACKEND = "tests.outbox.test_outbox.RefusingBackend"
    email = enqueue()
    assert outbox.outbox_send(email_id=email.pk) is False
    email.refresh_from_db()
    assert (email.status, email.last_error) == (OutboxEmail.Status.FAILED, "SMTPRecipientsRefused")
    assert "x@example.com" not in email.last_error


def test_email_whose_link_cannot_be_made_any_more_is_dropped_X_6(db):
    email = enqueue(link_args={"gone": True})
    assert outbox.outbox_send(email_id=email.pk) is False
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.FAILED
    assert mail.outbox == []


def test_unknown_link_builder_is_refused_at_once(db):
    with pytest.raises(ValueError, match="Unknown link builder"):
        enqueue(link_builder="no_such_builder")


def test_link_builders_of_apps_are_found_by_a_fresh_worker_X_6(db, monkeypatch):
    """A worker process has not imported the module that registers a builder when it meets it."""
    monkeypatch.setattr(outbox, "_link_builders", {})
    monkeypatch.delitem(sys.modules, "accounts.links")
    assert outbox._link_builder("accounts_password_reset") is not None


def test_broker_down_at_commit_keeps_the_email_and_the_relay_sends_it_once_X_6(db, django_capture_on_commit_callbacks):
    with celery_broker(UNREACHABLE_BROKER, eager=False), django_capture_on_commit_callbacks(execute=True):
        email = enqueue()

    email.refresh_from_db()
    assert (email.status, email.queued_at) == (OutboxEmail.Status.PENDING, None)
    assert mail.outbox == []

    # The broker is still down when the relay first runs: nothing changes, nothing is lost.
    with celery_broker(UNREACHABLE_BROKER, eager=False), pytest.raises(Exception):  # noqa: B017, PT011
        outbox.outbox_relay(older_than=timedelta(0))
    email.refresh_from_db()
    assert (email.status, email.queued_at) == (OutboxEmail.Status.PENDING, None)

    # Back up: the relay queues it, the task sends it, and later relays leave it alone.
    assert outbox.outbox_relay(older_than=timedelta(0)) == 1
    assert outbox.outbox_relay(older_than=timedelta(0)) == 0
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT


def test_relay_requeues_an_email_whose_task_was_lost_X_6(db):
    email = enqueue()
    OutboxEmail.objects.filter(pk=email.pk).update(
        created_at=timezone.now() - timedelta(hours=1), queued_at=timezone.now() - timedelta(minutes=5)
    )
    assert outbox.outbox_relay() == 0
    OutboxEmail.objects.filter(pk=email.pk).update(queued_at=timezone.now() - outbox.LOST_TASK_AFTER - timedelta(seconds=1))
    assert outbox.outbox_relay() == 1
    assert len(mail.outbox) == 1


def test_relay_waits_for_the_commit_time_task_first(db):
    enqueue()
    assert outbox.outbox_relay() == 0
