"""Many e-mails at once (NTF-10): `email_enqueue_many` and `outbox_send_batch` on their own; through a
real worker in test_worker_batches_NTF_10.py."""

import smtplib
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection, transaction

from heka_portal import outbox
from heka_portal.models import OutboxEmail
from tests.outbox.conftest import UNREACHABLE_BROKER, celery_broker


def draft(n: int, **overrides) -> outbox.OutgoingEmail:
    arguments = {
        "to": f"resident{n}@example.com",
        "template": "accounts_password_reset",
        "context": {"first_names": "Maija", "email": f"resident{n}@example.com", "valid_hours": 24},
        "language": "fi",
        "idempotency_key": f"bulletin:{n}",
        "link_builder": "tests_outbox_link",
        "link_args": {"n": n},
    }
    return outbox.OutgoingEmail(**{**arguments, **overrides})


def pending(count: int, **overrides) -> list[int]:
    """Rows waiting in the outbox, as `email_enqueue_many` leaves them; their task not run."""
    rows = [OutboxEmail(**{**draft(n, **overrides).__dict__, "site_url": "http://testserver"}) for n in range(count)]
    return [row.pk for row in OutboxEmail.objects.bulk_create(rows)]


class FailsFor(EmailBackend):
    """The mail server refuses some recipients for now (a temporary error)."""

    refused: set[str] = set()

    def send_messages(self, messages) -> int:
        if any(address in self.refused for message in messages for address in message.to):
            raise smtplib.SMTPDataError(451, b"Try again later")
        return super().send_messages(messages)


def test_a_bulletin_is_stored_at_once_and_queued_in_batches_after_commit_NTF_10(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert outbox.email_enqueue_many(emails=[draft(n) for n in range(250)]) == 250
    assert len(callbacks) == 1
    assert mail.outbox == []

    callbacks[0]()

    assert len(mail.outbox) == 250
    assert sorted(message.to[0] for message in mail.outbox) == sorted(f"resident{n}@example.com" for n in range(250))
    assert OutboxEmail.objects.filter(status=OutboxEmail.Status.SENT, attempts=1).count() == 250
    assert not OutboxEmail.objects.filter(queued_at__isnull=True).exists()


def test_a_bulletin_enqueued_while_the_broker_is_down_goes_out_once_through_the_relay_NTF_10_X_6(
    db, django_capture_on_commit_callbacks
):
    with celery_broker(UNREACHABLE_BROKER, eager=False), django_capture_on_commit_callbacks(execute=True):
        assert outbox.email_enqueue_many(emails=[draft(n) for n in range(150)]) == 150

    assert OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING, queued_at__isnull=True).count() == 150
    assert mail.outbox == []
    # The broker is back: the relay queues them in batches, and later runs leave them alone.
    assert outbox.outbox_relay(older_than=timedelta(0)) == 150
    assert outbox.outbox_relay(older_than=timedelta(0)) == 0
    assert len(mail.outbox) == 150
    assert OutboxEmail.objects.filter(status=OutboxEmail.Status.SENT, attempts=1).count() == 150


def test_a_bulletin_of_a_rolled_back_change_is_never_stored_or_sent_NTF_10(db, django_capture_on_commit_callbacks):
    def change_that_fails() -> None:
        with transaction.atomic():
            outbox.email_enqueue_many(emails=[draft(n) for n in range(10)])
            raise RuntimeError("the change fails")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        change_that_fails()
    assert callbacks == []
    assert not OutboxEmail.objects.exists()


def test_a_bulletin_enqueued_twice_or_with_a_key_twice_is_one_email_per_key_NTF_10(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.email_enqueue_many(emails=[draft(n) for n in range(5)] + [draft(3, to="else@example.com")]) == 5
        assert outbox.email_enqueue_many(emails=[draft(n) for n in range(7)]) == 2
        assert outbox.email_enqueue(**{**draft(1).__dict__, "to": "third@example.com"}).to == "resident1@example.com"
    assert OutboxEmail.objects.count() == 7
    assert sorted(message.to[0] for message in mail.outbox) == sorted(f"resident{n}@example.com" for n in range(7))


def test_an_unknown_link_builder_refuses_the_whole_bulletin_NTF_10(db):
    with pytest.raises(ValueError, match="Unknown link builder"):
        outbox.email_enqueue_many(emails=[draft(1), draft(2, link_builder="no_such_builder")])
    assert not OutboxEmail.objects.exists()


def test_a_failing_email_of_a_batch_is_recorded_and_retried_and_the_rest_are_sent_NTF_10(db, settings):
    settings.EMAIL_BACKEND = "tests.outbox.test_batches_NTF_10.FailsFor"
    FailsFor.refused = {"resident4@example.com"}
    ids = pending(25)

    with pytest.raises(outbox.BatchIncomplete, match="1 SMTPDataError"):
        outbox.outbox_send_batch(email_ids=ids)

    assert len(mail.outbox) == 24
    failing = OutboxEmail.objects.get(to="resident4@example.com")
    assert (failing.status, failing.attempts, failing.last_error) == (OutboxEmail.Status.PENDING, 1, "SMTPDataError")
    # The retry of the task sends only that one.
    FailsFor.refused = set()
    assert outbox.outbox_send_batch(email_ids=ids) == 1
    assert len(mail.outbox) == 25
    failing.refresh_from_db()
    assert (failing.status, failing.attempts, failing.last_error) == (OutboxEmail.Status.SENT, 2, "")


def test_an_email_of_a_batch_whose_link_is_gone_is_dropped_and_the_batch_is_done_NTF_10(db):
    ids = pending(5)
    OutboxEmail.objects.filter(to="resident2@example.com").update(link_args={"gone": True})
    assert outbox.outbox_send_batch(email_ids=ids) == 4
    assert OutboxEmail.objects.get(to="resident2@example.com").status == OutboxEmail.Status.FAILED
    assert len(mail.outbox) == 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_email_held_by_another_transaction_is_left_for_the_retry_not_dropped_NTF_10():
    # Without a link: the moment of the link, written first, would wait for the lock instead.
    ids = pending(3, link_builder="", link_args={})
    locked, release = threading.Event(), threading.Event()

    def hold_the_second() -> None:
        with transaction.atomic():
            OutboxEmail.objects.select_for_update().get(pk=ids[1])
            locked.set()
            release.wait(20)
        connection.close()

    holder = threading.Thread(target=hold_the_second)
    holder.start()
    assert locked.wait(20)
    try:
        with pytest.raises(outbox.BatchIncomplete, match="1 were busy"):
            outbox.outbox_send_batch(email_ids=ids)
    finally:
        release.set()
        holder.join()
    assert [message.to[0] for message in mail.outbox] == ["resident0@example.com", "resident2@example.com"]
    assert outbox.outbox_send_batch(email_ids=ids) == 1
    assert OutboxEmail.objects.filter(status=OutboxEmail.Status.SENT).count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_bulletin_enqueued_at_the_same_moment_twice_is_stored_once_NTF_10():
    """Two requests publish the same notice at once: the second waits for the first and skips its keys."""
    inserted, release = threading.Event(), threading.Event()
    results: list[int] = []

    def first() -> None:
        with transaction.atomic():
            results.append(outbox.email_enqueue_many(emails=[draft(n) for n in range(20)]))
            inserted.set()
            release.wait(20)
        connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    assert inserted.wait(20)
    timer = threading.Timer(1.0, release.set)  # the second INSERT waits on the first's keys meanwhile
    timer.start()
    try:
        second = outbox.email_enqueue_many(emails=[draft(n) for n in range(25)])
    finally:
        release.set()
        thread.join()
    assert (results, second) == ([20], 5)
    assert OutboxEmail.objects.count() == 25
