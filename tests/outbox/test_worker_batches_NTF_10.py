"""Bulletins and outage notices through the outbox at scale (NTF-10), on a real Celery worker with
the concurrency docker-compose.yml gives it, a real SMTP server (aiosmtpd) and Redis.

The worker reads the test database, so the tests are transactional; Redis is the one configured in
CELERY_BROKER_URL (use a database number of its own).
"""

import asyncio
import base64
import email
import json
import threading
import time
from collections import Counter
from datetime import timedelta
from email.message import Message
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from heka_portal import outbox
from heka_portal.celery import app
from heka_portal.models import OutboxEmail
from tests.mail import found, payload_text
from tests.outbox.conftest import celery_broker
from tests.outbox.test_worker import Worker, _forget_unacknowledged, _free_port

pytestmark = [pytest.mark.redis, pytest.mark.postgres]

COMPOSE_CONCURRENCY = int(found(r"worker .*--concurrency=(\d+)", (Path(settings.BASE_DIR) / "docker-compose.yml").read_text(), 1))


class Mailbox:
    """An SMTP server's handler that keeps what it accepted and counts its connections.

    `refuse_once`: recipients whose first message is refused with a temporary error (451).
    `hold_at`: the message with this number is accepted, and the answer waits until `release`,
    as if the sender died after the hand-off."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.messages: list[Message] = []
        self.connections = 0
        self.refuse_once: set[str] = set()
        self.refused: list[str] = []
        self.hold_at: int | None = None
        self.held = threading.Event()
        self.release = threading.Event()

    async def handle_EHLO(self, server, session, envelope, hostname, responses) -> list[str]:
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope) -> str:
        recipient = envelope.rcpt_tos[0]
        if recipient in self.refuse_once:
            self.refuse_once.discard(recipient)
            self.refused.append(recipient)
            return "451 4.3.0 Try again later"
        self.messages.append(email.message_from_bytes(envelope.content))
        if len(self.messages) == self.hold_at:
            self.held.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 60)
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 180) -> list[Message]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.5)  # a copy sent twice would have arrived by now
        return self.messages

    def recipients(self) -> Counter[str]:
        return Counter(message["To"] for message in self.messages)


@pytest.fixture
def mailbox():
    handler = Mailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    yield handler
    handler.release.set()
    controller.stop()


@pytest.fixture
def broker():
    """The real broker, its queue empty before and after."""
    with celery_broker(settings.CELERY_BROKER_URL, eager=False):
        app.control.purge()
        yield redis.Redis.from_url(settings.CELERY_BROKER_URL)
        app.control.purge()
        _forget_unacknowledged()


@pytest.fixture
def idle_worker(broker, mailbox, tmp_path):
    """A worker as docker-compose.yml runs it, started by the test."""
    worker = Worker(mailbox.port, tmp_path / "worker.log", concurrency=COMPOSE_CONCURRENCY)
    yield worker
    worker.kill()


@pytest.fixture
def worker(idle_worker):
    idle_worker.start()
    return idle_worker


@pytest.fixture(autouse=True)
def _no_rate_limits():
    cache.clear()
    yield
    cache.clear()


def notice(n: int, *, key: str = "outage:1") -> outbox.OutgoingEmail:
    # The outage notice's own e-mail, as notifications.outages writes it.
    params = {
        "utility": "water",
        "planned": True,
        "version": 1,
        "starts_at": "2026-12-03T08:00:00+02:00",
        "expected_end_at": "2026-12-03T12:00:00+02:00",
        "buildings": ["Kontulankaari 7"],
    }
    return outbox.OutgoingEmail(
        to=f"resident{n}@example.com",
        template="notification",
        context={"first_names": "Maija", "kind": "outage", "params": params, "reference": "K-1", "link": "http://testserver/"},
        language=("fi", "sv", "en")[n % 3],
        idempotency_key=f"{key}:{n}",
    )


def enqueue_many(emails: list[outbox.OutgoingEmail]) -> int:
    with transaction.atomic():
        return outbox.email_enqueue_many(emails=emails)


def queued_tasks(broker: redis.Redis) -> list[dict]:
    """The task messages waiting in the broker, as Redis holds them."""
    return [json.loads(raw) for raw in broker.lrange("celery", 0, -1)]


def _text(message: Message) -> str:
    return payload_text(next(part for part in message.walk() if part.get_content_type() == "text/plain"))


def _reset_link(message: Message) -> str:
    return found(r"https?://\S+(/accounts/password/reset/key/\S+/)", _text(message), 1)


@pytest.mark.django_db(transaction=True)
def test_a_batch_of_200_goes_out_exactly_once_each_over_one_connection_per_batch_NTF_10(worker, mailbox):
    assert COMPOSE_CONCURRENCY == 2
    assert enqueue_many([notice(n) for n in range(200)]) == 200

    messages = mailbox.wait_for(200)
    assert mailbox.recipients() == {f"resident{n}@example.com": 1 for n in range(200)}
    assert len(messages) == 200
    # Two tasks of a hundred, each over one SMTP connection.
    assert mailbox.connections == 200 // outbox.BATCH_SIZE
    assert OutboxEmail.objects.filter(status=OutboxEmail.Status.SENT, attempts=1).count() == 200
    assert {message["Content-Language"] for message in messages} == {"fi", "sv", "en"}


@pytest.mark.django_db(transaction=True)
def test_a_failing_message_in_a_batch_is_retried_while_the_rest_are_sent_NTF_10(worker, mailbox):
    mailbox.refuse_once = {"resident7@example.com"}
    enqueue_many([notice(n) for n in range(200)])

    deadline = time.monotonic() + 120
    while len(mailbox.messages) < 199 and time.monotonic() < deadline:
        time.sleep(0.1)
    failing = OutboxEmail.objects.get(to="resident7@example.com")
    if failing.status == OutboxEmail.Status.PENDING:  # its retry has not come yet
        assert (failing.attempts, failing.last_error) == (1, "SMTPDataError")

    mailbox.wait_for(200, timeout=60)  # the task's retry comes within its backoff
    assert mailbox.refused == ["resident7@example.com"]
    assert mailbox.recipients() == {f"resident{n}@example.com": 1 for n in range(200)}
    failing.refresh_from_db()
    assert (failing.status, failing.attempts, failing.last_error) == (OutboxEmail.Status.SENT, 2, "")
    others = OutboxEmail.objects.exclude(pk=failing.pk)
    assert others.filter(status=OutboxEmail.Status.SENT, attempts=1).count() == 199


@pytest.mark.django_db(transaction=True)
def test_an_outage_notice_to_1000_residents_enqueued_twice_goes_out_once_each_NTF_10(worker, mailbox):
    residents = [notice(n, key="outage:building-42:2026-12-02") for n in range(1000)]
    assert enqueue_many(residents) == 1000
    assert enqueue_many(residents) == 0  # the same notice published again: its keys are in the outbox

    mailbox.wait_for(1000, timeout=300)
    assert mailbox.recipients() == {f"resident{n}@example.com": 1 for n in range(1000)}
    assert OutboxEmail.objects.filter(status=OutboxEmail.Status.SENT).count() == 1000


@pytest.mark.django_db(transaction=True)
def test_a_bulletin_to_10000_enqueued_twice_queues_each_recipient_once_with_ids_only_NTF_10(broker):
    bulletin = [notice(n, key="bulletin:2026-12") for n in range(10_000)]
    assert enqueue_many(bulletin) == 10_000
    assert enqueue_many(bulletin) == 0

    tasks = queued_tasks(broker)
    assert {task["headers"]["task"] for task in tasks} == {"heka_portal.tasks.outbox_send_batch"}
    assert len(tasks) == 10_000 // outbox.BATCH_SIZE
    queued = Counter(pk for task in tasks for pk in json.loads(base64.b64decode(task["body"]))[0][0])
    stored = OutboxEmail.objects.values_list("pk", flat=True)
    assert queued == dict.fromkeys(stored, 1)
    assert OutboxEmail.objects.count() == 10_000
    assert "example.com" not in json.dumps(tasks)  # no address, no content: ids only
    assert "Maija" not in json.dumps(tasks)


@pytest.mark.django_db(transaction=True)
def test_no_live_token_travels_through_the_broker_NTF_10_X_6(broker, idle_worker, mailbox):
    users = [User.objects.create_user(f"reader{n}@example.com", "Vanha-Sala1", language="fi") for n in range(5)]
    enqueue_many([
        outbox.OutgoingEmail(
            to=user.email,
            template="accounts_password_reset",
            context={"first_names": "Maija", "email": user.email, "valid_hours": 24},
            language="fi",
            idempotency_key=f"tests:reset:{user.pk}",
            link_builder="accounts_password_reset",
            link_args={"user_id": user.pk},
        )
        for user in users
    ])  # fmt: skip
    payloads = [raw.decode() for raw in broker.lrange("celery", 0, -1)]
    (task,) = [json.loads(raw) for raw in payloads]
    assert json.loads(base64.b64decode(task["body"]))[0] == [
        list(OutboxEmail.objects.order_by("pk").values_list("pk", flat=True))
    ]

    idle_worker.start()
    messages = mailbox.wait_for(5)
    links = [_reset_link(message) for message in messages]
    assert len(set(links)) == 5
    tokens = [link.split("/key/")[1].strip("/") for link in links]
    remaining = [broker.dump(key) or b"" for key in broker.keys("*")]  # anything left behind, acked or not
    for token in tokens:
        assert all(token not in payload for payload in payloads)
        assert all(token.encode() not in value for value in remaining)
        assert token not in idle_worker.log.read_text()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_loses_nothing_and_resends_only_unmarked_ones_with_the_same_link_NTF_10_OPS_6(
    client, worker, mailbox
):
    users = [User.objects.create_user(f"reader{n}@example.com", "Vanha-Sala1", language="sv") for n in range(30)]
    mailbox.hold_at = 15  # the fifth of the second group of ten: accepted, the answer never comes
    enqueue_many([
        outbox.OutgoingEmail(
            to=user.email,
            template="accounts_password_reset",
            context={"first_names": "Maija", "email": user.email, "valid_hours": 24},
            language="sv",
            idempotency_key=f"tests:reset:{user.pk}",
            link_builder="accounts_password_reset",
            link_args={"user_id": user.pk},
        )
        for user in users
    ])  # fmt: skip
    assert mailbox.held.wait(60), worker.log.read_text()

    worker.kill()
    mailbox.release.set()
    rows = OutboxEmail.objects.order_by("pk")
    assert [row.status for row in rows] == [OutboxEmail.Status.SENT] * 10 + [OutboxEmail.Status.PENDING] * 20
    assert all(row.link_issued_at is not None for row in rows), "the moment of the links was committed first"

    # Its task is lost with it; once the relay considers it lost, a new worker sends the rest.
    worker.start()
    OutboxEmail.objects.update(queued_at=timezone.now() - outbox.LOST_TASK_AFTER - timedelta(seconds=1))
    assert outbox.outbox_relay(older_than=timedelta(0)) == 20
    mailbox.wait_for(35)

    received = mailbox.recipients()
    assert set(received) == {user.email for user in users}, "nothing lost"
    twice = {address for address, count in received.items() if count > 1}
    assert twice == {user.email for user in users[10:15]}, "only the group in flight came again"
    assert len(twice) <= outbox.MARKED_TOGETHER
    assert set(received.values()) == {1, 2}
    for address in twice:
        first, second = (message for message in mailbox.messages if message["To"] == address)
        assert first["Message-ID"] == second["Message-ID"]
        assert _reset_link(first) == _reset_link(second), "the e-mail sent again carries the same link"
    assert all((row.status, row.attempts) == (OutboxEmail.Status.SENT, 1) for row in OutboxEmail.objects.all())
    # ...and that one link works.
    opened = client.get(_reset_link(next(m for m in mailbox.messages if m["To"] == users[12].email)))
    assert opened.status_code == 302
    assert "/accounts/password/reset/key/" in opened["Location"]
