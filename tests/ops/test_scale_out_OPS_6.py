"""Scale-out is proven, not assumed (OPS-6): two gunicorn web processes (two workers each, with the
production gunicorn configuration) and two Celery workers on one PostgreSQL and one Redis.

- a login on one web process continues on the other, and a logout on one ends it on both;
- the failed-login limit counts the attempts made on both;
- metrics add up the worker processes of one gunicorn (OPS-4);
- a Celery worker killed after the mail server accepted a message, before the outbox row was
  marked sent, neither loses the e-mail nor sends a second, different live link: the other worker
  sends it again with the same link and Message-ID, and the request id rides along (OPS-2).

The processes read the test database, so the tests are transactional. Redis is the one in
CELERY_BROKER_URL and REDIS_URL (use database numbers of your own).
"""

import asyncio
import email
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from email.message import Message
from pathlib import Path

import pytest
import requests
from aiosmtpd.controller import Controller
from django.conf import settings
from django.utils import timezone

from accounts.models import User
from heka_portal import outbox
from heka_portal.celery import app
from heka_portal.models import OutboxEmail
from tests.mail import found, payload_text
from tests.outbox.conftest import celery_broker
from tests.outbox.test_worker import _database_url, _forget_unacknowledged, _free_port

pytestmark = [pytest.mark.redis, pytest.mark.postgres]

BIN = Path(sys.executable).parent
PASSWORD = "Vanha-Sala1"
METRICS_TOKEN = "scale-out-metrics-token"
REQUEST_ID = "scale-out-request-0123456789"
WEB_PROCESSES: list["Process"] = []


def _environment(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "heka_portal.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "REDIS_URL": os.environ["REDIS_URL"],
        "HEKA_CELERY_EAGER": "0",
        "HEKA_LOG_FORMAT": "json",
        "HEKA_SITE_URL": "http://testserver",
        **extra,
    }


class Process:
    def __init__(self, name: str, command: list[str], env: dict[str, str], log: Path, ready: str) -> None:
        self.name, self.command, self.env, self.log, self.ready = name, command, env, log, ready
        self.process: subprocess.Popen | None = None

    def start(self) -> "Process":
        self.log.write_text("")
        with self.log.open("a") as output:
            self.process = subprocess.Popen(
                self.command, cwd=settings.BASE_DIR, env=self.env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 90
        while self.ready not in self.log.read_text():
            assert self.process.poll() is None, f"{self.name} stopped:\n{self.log.read_text()}"
            assert time.monotonic() < deadline, f"{self.name} did not start:\n{self.log.read_text()}"
            time.sleep(0.2)
        return self

    def records(self) -> list[dict]:
        lines = [line for line in self.log.read_text().splitlines() if line.startswith("{")]
        return [json.loads(line) for line in lines]

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def _web(name: str, tmp: Path) -> tuple[Process, str]:
    port = _free_port()
    env = _environment(
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        PROMETHEUS_MULTIPROC_DIR=str(tmp / f"metrics-{name}"),
        HEKA_METRICS_TOKEN=METRICS_TOKEN,
    )
    command = [str(BIN / "gunicorn"), "-c", "python:heka_portal.gunicorn_conf", "heka_portal.wsgi"]
    process = Process(name, command, env, tmp / f"{name}.log", ready="Booting worker")
    WEB_PROCESSES.append(process)
    process.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90  # a busy machine imports slowly
    while True:
        try:
            if requests.get(f"{base}/healthz", timeout=10).status_code == 200:
                return process, base
        except requests.RequestException:
            pass
        assert time.monotonic() < deadline, process.log.read_text()
        time.sleep(0.2)


@pytest.fixture(scope="module")
def webs(tmp_path_factory) -> Iterator[list[str]]:
    tmp = tmp_path_factory.mktemp("web")
    WEB_PROCESSES.clear()
    try:
        yield [_web(name, tmp)[1] for name in ("web-a", "web-b")]
    finally:
        for process in WEB_PROCESSES:
            process.stop()


class Mailbox:
    """An SMTP server that keeps what it accepts. With `hold_after_accepting`, the first message
    is taken in and kept, and the answer to the sender waits until `release`."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.port = _free_port()
        self.hold_after_accepting = False
        self.first_accepted = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        if self.hold_after_accepting and not self.first_accepted.is_set():
            self.first_accepted.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 30)
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 30) -> list[Message]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.messages


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    handler = Mailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    yield handler
    handler.release.set()
    controller.stop()


@pytest.fixture
def workers(mailbox, tmp_path) -> Iterator[list[Process]]:
    with celery_broker(settings.CELERY_BROKER_URL, eager=False):
        app.control.purge()
        env = _environment(
            DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(mailbox.port),
        )
        started = []
        try:
            for name in ("worker-1", "worker-2"):
                command = [str(BIN / "celery"), "-A", "heka_portal", "worker", "--pool=solo", "-n", f"{name}@%h"]
                command += ["--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"]
                started.append(Process(name, command, env, tmp_path / f"{name}.log", ready="ready."))
                started[-1].start()
            yield started
        finally:
            for worker in started:
                worker.stop()
            app.control.purge()
            _forget_unacknowledged()


@pytest.fixture
def resident(household) -> User:
    return User.objects.create_user("maija.virtanen@example.com", PASSWORD, person=household.main_tenant, language="en")


def _browser() -> requests.Session:
    """A browser behind the proxy: every web process sees the host name the proxy passes on (as
    allauth's per-account limit is kept per site, i.e. per host name, this matters)."""
    browser = requests.Session()
    browser.headers["Host"] = "127.0.0.1"
    browser.cookies.set("django_language", "en")
    return browser


def _csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=10)
    assert page.status_code == 200, page.text[:500]
    return found(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text, 1)


def _log_in(session: requests.Session, base: str, password: str) -> requests.Response:
    token = _csrf(session, f"{base}/accounts/login/")
    return session.post(
        f"{base}/accounts/login/",
        {"login": "maija.virtanen@example.com", "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
        timeout=10,
    )


@pytest.mark.django_db(transaction=True)
def test_a_login_on_one_web_process_continues_on_the_other_OPS_6(webs, resident):
    web_a, web_b = webs
    browser = _browser()
    assert _log_in(browser, web_a, PASSWORD).status_code == 302
    dashboard = browser.get(f"{web_b}/dashboard/", allow_redirects=False, timeout=10)
    assert dashboard.status_code == 200
    assert "Maija" in dashboard.text

    token = found(r'name="csrfmiddlewaretoken" value="([^"]+)"', dashboard.text, 1)
    browser.post(
        f"{web_b}/accounts/logout/", {"csrfmiddlewaretoken": token}, headers={"Referer": f"{web_b}/dashboard/"}, timeout=10
    )
    assert browser.get(f"{web_a}/dashboard/", allow_redirects=False, timeout=10).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_the_failed_login_limit_counts_attempts_on_both_processes_OPS_6(webs, resident):
    web_a, web_b = webs
    for attempt in range(5):
        response = _log_in(_browser(), webs[attempt % 2], "Wrong-Pass1")
        assert response.status_code == 200
        assert "Too many failed login attempts." not in response.text
    # The sixth try, with the right password, on either process: locked.
    for base in (web_a, web_b):
        refused = _log_in(_browser(), base, PASSWORD)
        assert refused.status_code == 200
        assert "Too many failed login attempts." in refused.text


@pytest.mark.django_db(transaction=True)
def test_metrics_add_up_every_gunicorn_worker_process_OPS_4_OPS_6(webs):
    web_a, _ = webs

    def count() -> float:
        text = requests.get(f"{web_a}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}, timeout=10).text
        found = re.search(r'heka_request_duration_seconds_count\{method="GET",status="2xx",view="help"\} ([0-9.]+)', text)
        return float(found.group(1)) if found else 0.0

    before = count()
    for _ in range(20):
        assert requests.get(f"{web_a}/help/", timeout=10).status_code == 200
    assert count() == before + 20
    assert requests.get(f"{web_a}/metrics", timeout=10).status_code == 401


def _post_reset(browser: requests.Session, base: str, **headers: str) -> None:
    token = _csrf(browser, f"{base}/accounts/password/reset/")
    response = browser.post(
        f"{base}/accounts/password/reset/",
        {"email": "maija.virtanen@example.com", "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/accounts/password/reset/", **headers},
        timeout=10,
    )
    assert response.status_code == 200


def _reset_link(message: Message) -> str:
    text = payload_text(next(part for part in message.walk() if part.get_content_type() == "text/plain"))
    return found(r"http://testserver(/accounts/password/reset/key/\S+/)", text, 1)


@pytest.mark.django_db(transaction=True)
def test_the_request_id_follows_the_request_into_the_worker_that_sends_OPS_2_OPS_6(webs, resident, workers, mailbox):
    _post_reset(_browser(), webs[0], **{"X-Request-ID": REQUEST_ID})
    assert len(mailbox.wait_for(1)) == 1
    deadline = time.monotonic() + 10
    while not (sent := [r for worker in workers for r in worker.records() if r["message"].endswith("sent")]):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert [record["request_id"] for record in sent] == [REQUEST_ID]
    link = _reset_link(mailbox.messages[0])
    for worker in workers:
        assert link not in worker.log.read_text()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_after_the_mail_server_accepted_sends_no_second_live_link_OPS_6(webs, resident, workers, mailbox):
    web_a, web_b = webs
    mailbox.hold_after_accepting = True
    browser = _browser()
    _post_reset(browser, web_a)
    assert mailbox.first_accepted.wait(30), [worker.log.read_text() for worker in workers]

    # The mail server has the message; the worker dies before its transaction commits.
    def took_it(worker: Process) -> bool:
        return any(
            r["message"].startswith("Task heka_portal.tasks.outbox_send[") and "received" in r["message"]
            for r in worker.records()
        )

    sender = next(worker for worker in workers if took_it(worker))
    sender.kill()
    mailbox.release.set()
    row = OutboxEmail.objects.get()
    assert (row.status, row.attempts) == (OutboxEmail.Status.PENDING, 0)
    assert row.link_issued_at is not None, "the moment of the link was committed before sending"

    # Its task is lost with it; once the relay considers it lost, the other worker sends it.
    OutboxEmail.objects.filter(pk=row.pk).update(queued_at=timezone.now() - outbox.LOST_TASK_AFTER - timedelta(seconds=1))
    with celery_broker(settings.CELERY_BROKER_URL, eager=False):
        assert outbox.outbox_relay(older_than=timedelta(0)) == 1
    first, second = mailbox.wait_for(2)
    time.sleep(1)
    assert len(mailbox.messages) == 2, "sent again once, not more"

    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxEmail.Status.SENT, 1)
    assert first["Message-ID"] == second["Message-ID"]
    assert _reset_link(first) == _reset_link(second), "the e-mail sent again carries the same link"
    # ...and that one link works, on the other web process.
    opened = browser.get(f"{web_b}{_reset_link(first)}", allow_redirects=False, timeout=10)
    assert opened.status_code == 302
    assert "/accounts/password/reset/key/" in opened.headers["Location"]

    # gunicorn's access log (JSON, OPS-2) names the request and its id, never the live token.
    key = _reset_link(first).split("/key/")[1].strip("/")
    time.sleep(0.5)
    access = [r for r in WEB_PROCESSES[1].records() if r["logger"] == "gunicorn.access" and "/reset/key/" in r["message"]]
    assert access
    assert "/accounts/password/reset/key/[token]/" in access[0]["message"]
    assert "request_id=" in access[0]["message"]
    assert key not in WEB_PROCESSES[1].log.read_text()
