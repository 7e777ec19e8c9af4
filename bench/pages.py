"""Measure resident pages under gunicorn against a bare authenticated view (the ceiling).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/heka_bench_full .venv/bin/python bench/pages.py \\
        [--workers 2] [--clients 4] [--seconds 15] [--residents 500]

Run bench/fill_register.py on that database first. The script starts gunicorn with bench/settings.py,
logs residents in by creating their sessions, then for each page has `--clients` threads request it
as different residents for `--seconds`. It prints, per page, the median and p95 of the server time
(Server-Timing, the time inside Django) and of the whole request, requests per second, and the ratio
of that throughput to the ceiling's.
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

from accounts.models import User  # noqa: E402

PAGES = {
    "ceiling (bare authenticated view)": "/bench/ceiling/",
    "dashboard": "/dashboard/",
    "My economy": "/economy/",
    "defect list": "/requests/defects/",
    "booking": "/bookings/",
}
PORT = 8765


def _sessions(count: int) -> list[str]:
    keys: list[str] = []
    users = User.objects.filter(email__startswith="bench", is_active=True).order_by("pk")[:count]
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(str(session.session_key))
    if not keys:
        sys.exit("No bench<N>@heka.example residents: run bench/fill_register.py first.")
    return keys


def _hammer(path: str, sessions: list[str], clients: int, seconds: float) -> tuple[list[float], list[float], int, int]:
    server_ms: list[float] = []
    total_ms: list[float] = []
    failures = [0]
    deadline = time.perf_counter() + seconds
    lock = threading.Lock()

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        turn = offset
        while time.perf_counter() < deadline:
            cookie = f"{settings.SESSION_COOKIE_NAME}={sessions[turn % len(sessions)]}; django_language=fi"
            turn += clients
            started = time.perf_counter()
            connection.request("GET", path, headers={"Cookie": cookie})
            response = connection.getresponse()
            response.read()
            elapsed = (time.perf_counter() - started) * 1000
            timing = response.getheader("Server-Timing", "app;dur=0").split("dur=")[-1]
            with lock:
                if response.status != 200:
                    failures[0] += 1
                total_ms.append(elapsed)
                server_ms.append(float(timing))
        connection.close()

    threads = [threading.Thread(target=client, args=(index,)) for index in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return server_ms, total_ms, len(total_ms), failures[0]


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--residents", type=int, default=500)
    options = parser.parse_args()
    sessions = _sessions(options.residents)
    gunicorn = subprocess.Popen(  # noqa: S603 (our own command line)
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "heka_portal.wsgi",
            f"--bind=127.0.0.1:{PORT}",
            f"--workers={options.workers}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"},
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/")
                break
            except OSError:
                time.sleep(0.1)
        print(f"{'page':36} {'server median':>13} {'server p95':>10} {'request median':>14} {'p95':>8} {'req/s':>7} {'ratio':>6}")
        ceiling = None
        for name, path in PAGES.items():
            _hammer(path, sessions, options.clients, 2)  # warm up
            server, total, count, failures = _hammer(path, sessions, options.clients, options.seconds)
            throughput = count / options.seconds
            ceiling = ceiling or throughput
            print(
                f"{name:36} {statistics.median(server):10.1f} ms {_p95(server):7.1f} ms {statistics.median(total):11.1f} ms "
                f"{_p95(total):5.1f} ms {throughput:7.1f} {throughput / ceiling:6.2f}"
                + (f"  ({failures} not 200)" if failures else "")
            )
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=10)


if __name__ == "__main__":
    main()
