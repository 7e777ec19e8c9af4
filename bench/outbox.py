"""Measure the outbox at a bulletin's size (NTF-10): e-mails through a real Celery worker to a real SMTP server.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/heka_bench CELERY_BROKER_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/outbox.py [--emails 10000] [--runs 3] [--concurrency 2] [--one-by-one]

Migrate the database first; the script empties its outbox table and purges the broker's queue, so
give it a database and a Redis database of its own. It starts an SMTP server (aiosmtpd, in a process
of its own) and a Celery worker as docker-compose.yml starts one (`--concurrency=2`, logging JSON at
INFO), waits until the worker is ready, then for each run:

- enqueues the e-mails as one bulletin in one transaction (`email_enqueue_many`), or with
  `--one-by-one` one `email_enqueue` after another, each in its own transaction (how callers queued
  e-mails before `email_enqueue_many`, and the only way the code before it could);
- measures the time to enqueue, and the time from the start until the SMTP server has received
  every e-mail and every row is marked sent.

It prints both per run, the sending rate, the CPU time the worker's processes spent per e-mail
(what bounds the rate when the machine is busy with other work), and how many e-mails the SMTP server received more than
once (by Message-ID), which must be none. Each e-mail is a password-reset-like message in fi, sv or
en, text and HTML, with a link signed per recipient at sending (bench/links.py).
"""

import argparse
import multiprocessing
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.outbox_settings"

SMTP_PORT = 8625
MESSAGE_ID = re.compile(rb"^Message-ID: *(\S+)", re.IGNORECASE | re.MULTILINE)


def smtp_server(port: int, commands: Connection) -> None:
    """An SMTP server that counts what it accepts and how many distinct Message-IDs it has seen."""
    from aiosmtpd.controller import Controller

    class Counter:
        def __init__(self) -> None:
            self.received = 0
            self.message_ids: set[bytes] = set()

        async def handle_DATA(self, server, session, envelope) -> str:
            self.received += 1
            found = MESSAGE_ID.search(envelope.content)
            self.message_ids.add(found.group(1) if found else str(self.received).encode())
            return "250 OK"

    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    commands.send("ready")
    while (command := commands.recv()) != "stop":
        if command == "reset":
            counter.received, counter.message_ids = 0, set()
        commands.send((counter.received, len(counter.message_ids)))
    controller.stop()


def start_worker(*, concurrency: int, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.outbox_settings",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(SMTP_PORT),
        "HEKA_LOG_FORMAT": "json",
    }
    command = [str(Path(sys.executable).with_name("celery")), "-A", "heka_portal", "worker"]
    command += ["--loglevel=INFO", f"--concurrency={concurrency}", "-n", "bench-outbox@%h"]
    output = log.open("w")
    worker = subprocess.Popen(  # noqa: S603 (our own command line)
        command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + 120
    while "ready." not in log.read_text():
        if worker.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"The worker did not start:\n{log.read_text()}")
        time.sleep(0.2)
    return worker


def cpu_seconds(*, group: int) -> float:
    """CPU time (user and system) used so far by the live processes of a process group."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[2]) == group:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def emails(count: int, run: int) -> list[dict]:
    languages = ("fi", "sv", "en")
    return [
        {
            "to": f"resident{n}@bench.heka.example",
            "template": "accounts_password_reset",
            "context": {"first_names": "Maija", "email": f"resident{n}@bench.heka.example", "valid_hours": 24},
            "language": languages[n % 3],
            "idempotency_key": f"bench:{run}:{n}",
            "link_builder": "bench_outbox_link",
            "link_args": {"n": n},
        }
        for n in range(count)
    ]


def enqueue(drafts: list[dict], *, one_by_one: bool) -> None:
    from django.db import transaction

    from heka_portal import outbox

    if one_by_one:
        for draft in drafts:
            outbox.email_enqueue(**draft)  # autocommit: each in its own transaction, queued at once
        return
    with transaction.atomic():
        outbox.email_enqueue_many(emails=[outbox.OutgoingEmail(**draft) for draft in drafts])


def measure(count: int, run: int, *, one_by_one: bool, smtp: Connection, worker: int, timeout: float) -> dict:
    from heka_portal.models import OutboxEmail

    drafts = emails(count, run)
    smtp.send("reset")
    smtp.recv()
    worker_cpu = cpu_seconds(group=worker)
    started = time.perf_counter()
    enqueue(drafts, one_by_one=one_by_one)
    enqueued = time.perf_counter() - started
    while True:
        smtp.send("count")
        received, distinct = smtp.recv()
        if distinct >= count and OutboxEmail.objects.filter(status=OutboxEmail.Status.SENT).count() >= count:
            break
        if time.perf_counter() - started > timeout:
            sys.exit(f"Timed out: {distinct} of {count} e-mails received after {timeout:.0f} s.")
        time.sleep(0.05)
    total = time.perf_counter() - started
    worker_cpu = cpu_seconds(group=worker) - worker_cpu
    time.sleep(1)  # a copy sent twice would have arrived by now
    smtp.send("count")
    received, distinct = smtp.recv()
    return {
        "enqueue": enqueued,
        "total": total,
        "rate": count / total,
        "worker_cpu_ms": worker_cpu / count * 1000,
        "duplicates": received - distinct,
        "failed": OutboxEmail.objects.filter(status=OutboxEmail.Status.FAILED).count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--emails", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=2, help="the worker's, as in docker-compose.yml")
    parser.add_argument("--one-by-one", action="store_true", help="email_enqueue per e-mail, each committed")
    parser.add_argument("--timeout", type=float, default=1800)
    arguments = parser.parse_args()
    if not os.environ.get("CELERY_BROKER_URL") or not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis) to ones of the bench's own.")

    import django

    django.setup()
    from django.db import connection

    from heka_portal.celery import app

    ours, theirs = multiprocessing.get_context("spawn").Pipe()
    smtp = multiprocessing.get_context("spawn").Process(target=smtp_server, args=(SMTP_PORT, theirs), daemon=True)
    smtp.start()
    ours.recv()
    app.control.purge()
    log = Path(tempfile.gettempdir()) / f"bench-outbox-worker-{os.getpid()}.log"
    worker = start_worker(concurrency=arguments.concurrency, log=log)
    from heka_portal import outbox

    one_by_one = arguments.one_by_one or not hasattr(outbox, "email_enqueue_many")
    how = "one email_enqueue after another" if one_by_one else "email_enqueue_many in one transaction"
    print(f"{arguments.emails} e-mails, {how}, worker --concurrency={arguments.concurrency} (log {log})")
    results = []
    try:
        for run in range(arguments.runs):
            with connection.cursor() as cursor:
                cursor.execute("TRUNCATE heka_portal_outboxemail")
            result = measure(
                arguments.emails, run, one_by_one=one_by_one, smtp=ours, worker=worker.pid, timeout=arguments.timeout
            )
            results.append(result)
            print(
                f"run {run + 1}: enqueue {result['enqueue']:.1f} s, all delivered after {result['total']:.1f} s "
                f"({result['rate']:.0f} e-mails/s), worker CPU {result['worker_cpu_ms']:.1f} ms per e-mail, "
                f"received twice: {result['duplicates']}, failed: {result['failed']}, load average {os.getloadavg()[0]:.1f}"
            )
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
        ours.send("stop")
        smtp.join(timeout=10)
    if len(results) > 1:
        for key, label in (("enqueue", "enqueue"), ("total", "end to end")):
            values = [result[key] for result in results]
            print(f"{label}: median {statistics.median(values):.1f} s, min {min(values):.1f} s, max {max(values):.1f} s")


if __name__ == "__main__":
    main()
