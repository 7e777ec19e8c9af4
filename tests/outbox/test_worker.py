"""The outbox through a real Celery worker on Redis to a real SMTP server (ACC-13, X-6).

The worker is a separate process, so the data it reads must be committed: these tests use
transactional test cases on PostgreSQL. Redis is the one configured in CELERY_BROKER_URL; use a
database number of its own (redis://127.0.0.1:6379/7) so that no other worker takes the tasks.
"""

import asyncio
import email
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from email.message import Message
from pathlib import Path
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from accounts.models import User
from heka_portal import outbox
from heka_portal.celery import app
from heka_portal.models import OutboxEmail
from tests.mail import payload_text
from tests.outbox.conftest import UNREACHABLE_BROKER, celery_broker

pytestmark = [pytest.mark.redis, pytest.mark.postgres]

PASSWORD = "Vanha-Sala1"
CELERY = Path(sys.executable).with_name("celery")


class Mailbox:
    """An SMTP server's handler that keeps what it accepted. With `hold_first`, the first message
    waits until released and is then refused, as if the sender died before the hand-off."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.port = 0
        self.hold_first = False
        self.first_arrived = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.hold_first and not self.first_arrived.is_set():
            self.first_arrived.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 20)
            return "451 Try again later"
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 20) -> list[Message]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.messages


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mailbox():
    handler = Mailbox()
    handler.port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    yield handler
    handler.release.set()
    controller.stop()


def _database_url() -> str:
    db = settings.DATABASES["default"]
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """`celery worker` in a subprocess, with the test database and the test SMTP server: one
    process (`--pool=solo`), or with `concurrency` the prefork pool as docker-compose.yml runs it."""

    def __init__(self, smtp_port: int, log: Path, concurrency: int | None = None) -> None:
        self.smtp_port = smtp_port
        self.log = log
        self.concurrency = concurrency
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        # No HEKA_SITE_URL: links follow the address kept with each e-mail (heka_portal.http).
        env = {
            **{key: value for key, value in os.environ.items() if key not in ("HEKA_SITE_URL", "PORT")},
            "DJANGO_SETTINGS_MODULE": "heka_portal.settings.test",
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "HEKA_CELERY_EAGER": "0",
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp_port),
        }
        self.log.write_text("")
        with self.log.open("a") as output:
            self.process = subprocess.Popen(
                [
                    str(CELERY),
                    "-A",
                    "heka_portal",
                    "worker",
                    "--pool=solo" if self.concurrency is None else f"--concurrency={self.concurrency}",
                    "-Q",
                    "celery",
                    "--loglevel=INFO",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                ],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # the pool's processes die with it
            )
        deadline = time.monotonic() + 60
        while "ready." not in self.log.read_text():
            assert self.process.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, f"the worker did not start:\n{self.log.read_text()}"
            time.sleep(0.1)

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@pytest.fixture
def worker(mailbox, tmp_path):
    # The test publishes to the real broker; the queue starts empty.
    with celery_broker(settings.CELERY_BROKER_URL, eager=False):
        app.control.purge()
        worker = Worker(mailbox.port, tmp_path / "worker.log")
        worker.start()
        yield worker
        worker.kill()  # idle by now: nothing to finish
        app.control.purge()
        _forget_unacknowledged()


def _forget_unacknowledged() -> None:
    """A killed worker leaves its task unacknowledged in Redis until the visibility timeout."""
    import redis

    redis.Redis.from_url(settings.CELERY_BROKER_URL).delete("unacked", "unacked_index")


@pytest.fixture(autouse=True)
def _no_rate_limits():
    # The reset requests of these tests count against allauth's limits, kept in the cache (Redis).
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def resident(household) -> User:
    return User.objects.create_user("maija.virtanen@example.com", PASSWORD, person=household.main_tenant, language="sv")


def _parts(message: Message) -> dict[str, str]:
    return {part.get_content_type(): payload_text(part) for part in message.walk() if not part.is_multipart()}


@pytest.mark.django_db(transaction=True)
def test_reset_email_goes_through_a_real_worker_to_smtp_once_in_the_persons_language_ACC_13(client, resident, worker, mailbox):
    response = client.post("/accounts/password/reset/", {"email": "maija.virtanen@example.com"})
    assert response.status_code == 302

    messages = mailbox.wait_for(1)
    time.sleep(1)  # a second copy would have arrived by now
    assert len(messages) == 1
    message = messages[0]
    assert message["To"] == "maija.virtanen@example.com"
    assert message["Content-Language"] == "sv"
    parts = _parts(message)
    assert set(parts) == {"text/plain", "text/html"}
    assert '<html lang="sv">' in parts["text/html"]
    link = next(word for word in parts["text/plain"].split() if "/accounts/password/reset/key/" in word)
    assert link.startswith("http://testserver/")
    assert client.get(link.removeprefix("http://testserver")).status_code == 302
    row = OutboxEmail.objects.get()
    assert (row.status, row.attempts) == (OutboxEmail.Status.SENT, 1)
    assert "/reset/key/" not in worker.log.read_text()


@pytest.mark.django_db(transaction=True)
def test_worker_builds_the_link_for_the_port_the_portal_was_served_on_ACC_13(client, resident, worker, mailbox, settings):
    """`PORT=8001 bin/demo` with a worker: the worker has no request, yet the link opens on :8001."""
    settings.HEKA_SITE_URL_FROM_REQUEST = True
    client.post("/accounts/password/reset/", {"email": "maija.virtanen@example.com"}, HTTP_HOST="127.0.0.1:8001")

    (message,) = mailbox.wait_for(1)
    link = next(word for word in _parts(message)["text/plain"].split() if "/accounts/password/reset/key/" in word)
    assert link.startswith("http://127.0.0.1:8001/accounts/password/reset/key/")


@pytest.mark.django_db(transaction=True)
def test_redis_down_at_commit_the_email_goes_out_once_when_it_is_back_X_6(client, resident, worker, mailbox):
    client.cookies["django_language"] = "en"
    with celery_broker(UNREACHABLE_BROKER, eager=False):
        response = client.post("/accounts/password/reset/", {"email": "maija.virtanen@example.com"}, follow=True)

    assert response.status_code == 200
    assert "The e-mail is on its way." in response.content.decode()
    row = OutboxEmail.objects.get()
    assert (row.status, row.queued_at) == (OutboxEmail.Status.PENDING, None)
    time.sleep(0.5)
    assert mailbox.messages == []

    assert outbox.outbox_relay(older_than=timedelta(0)) == 1
    assert len(mailbox.wait_for(1)) == 1
    assert outbox.outbox_relay(older_than=timedelta(0)) == 0
    time.sleep(1)
    assert len(mailbox.messages) == 1
    row.refresh_from_db()
    assert row.status == OutboxEmail.Status.SENT


@pytest.mark.django_db(transaction=True)
def test_worker_dying_mid_send_is_retried_and_the_email_sent_once_X_6(client, resident, worker, mailbox):
    mailbox.hold_first = True
    client.post("/accounts/password/reset/", {"email": "maija.virtanen@example.com"})
    assert mailbox.first_arrived.wait(20), worker.log.read_text()

    worker.kill()
    mailbox.release.set()
    row = OutboxEmail.objects.get()
    # The dead worker's transaction rolled back: still pending, the attempt not counted as a send.
    assert (row.status, row.attempts) == (OutboxEmail.Status.PENDING, 0)

    worker.start()
    # Its task is lost with the worker; once the relay considers it lost, it is queued again.
    OutboxEmail.objects.filter(pk=row.pk).update(queued_at=timezone.now() - outbox.LOST_TASK_AFTER - timedelta(seconds=1))
    assert outbox.outbox_relay(older_than=timedelta(0)) == 1

    assert len(mailbox.wait_for(1)) == 1
    time.sleep(1)
    assert len(mailbox.messages) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxEmail.Status.SENT, 1)
