"""Measure resident pages against a bare authenticated view (the ceiling): CPU per request in this
process, then throughput under gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/heka_bench_full .venv/bin/python bench/pages.py \\
        [--repeats 400] [--workers 2] [--clients 4] [--seconds 15] [--residents 500] [--port 8765] [--only cpu|gunicorn]

Run bench/fill_register.py on that database first. The script logs residents in by creating their
sessions. Then:

- CPU per request (PRF-4): each page is requested `--repeats` times through Django's WSGI handler in
  this process, as a browser asks for it (the session cookie, a language, gzip accepted), rotating
  over 50 residents, after a warm-up; `time.process_time()` around each request gives the CPU the
  web process spent (PostgreSQL's own work is in its process, not counted). It prints the median,
  the quartiles and the ratio of the ceiling's median to the page's: the share of the ceiling's
  throughput a CPU-bound web worker reaches on that page.
- gunicorn: starts gunicorn with bench/settings.py and has `--clients` threads request each page as
  different residents for `--seconds`. It prints the median and p95 of the server time
  (Server-Timing, the time inside Django) and of the whole request, requests per second, and the
  ratio of that throughput to the ceiling's.
"""

import argparse
import http.client
import io
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402

from accounts.models import User  # noqa: E402

PAGES = {
    "ceiling (bare authenticated view)": "/bench/ceiling/",
    "dashboard": "/dashboard/",
    "My economy": "/economy/",
    "defect list": "/requests/defects/",
    "booking": "/bookings/",
    "service requests": "/requests/service/",
    "messages": "/requests/messages/",
    "profile": "/accounts/profile/",
}
CPU_RESIDENTS = 50
PORT = 8765  # --port


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


def _hammer(path: str, sessions: list[str], clients: int, seconds: float, port: int) -> tuple[list[float], list[float], int, int]:
    server_ms: list[float] = []
    total_ms: list[float] = []
    failures = [0]
    deadline = time.perf_counter() + seconds
    lock = threading.Lock()

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        turn = offset
        while time.perf_counter() < deadline:
            cookie = f"{settings.SESSION_COOKIE_NAME}={sessions[turn % len(sessions)]}; django_language=fi"
            turn += clients
            started = time.perf_counter()
            connection.request("GET", path, headers={"Cookie": cookie, "Accept-Encoding": "gzip"})
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


def _environ(path: str, session_key: str) -> dict[str, object]:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT": "text/html",
        "HTTP_ACCEPT_ENCODING": "gzip, deflate, br",
        "HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}={session_key}; django_language=fi",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def _cpu_ms(handler: WSGIHandler, path: str, sessions: list[str], repeats: int) -> tuple[list[float], int]:
    """CPU milliseconds of each of `repeats` requests of `path`, and how many did not answer 200."""
    statuses: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: object = None, /) -> Callable[[bytes], object]:
        statuses.append(status)
        return lambda data: None

    spent = []
    for turn in range(repeats):
        environ = _environ(path, sessions[turn % len(sessions)])
        started = time.process_time()
        response = handler(environ, start_response)
        b"".join(response)
        response.close()
        spent.append((time.process_time() - started) * 1000)
    return spent, sum(1 for status in statuses if not status.startswith("200"))


def _quartiles(values: list[float]) -> tuple[float, float, float]:
    low, median, high = statistics.quantiles(values, n=4)
    return low, median, high


def cpu_per_request(sessions: list[str], repeats: int) -> None:
    handler = WSGIHandler()
    residents = sessions[:CPU_RESIDENTS]
    print(f"CPU per request in-process, {repeats} requests per page over {len(residents)} residents")
    print(f"{'page':36} {'median':>9} {'quartiles':>17} {'ratio':>6}")
    ceiling = None
    for name, path in PAGES.items():
        _cpu_ms(handler, path, residents, len(residents) * 2)  # warm up: templates, connections, caches
        spent, failures = _cpu_ms(handler, path, residents, repeats)
        low, median, high = _quartiles(spent)
        ceiling = ceiling or median
        print(
            f"{name:36} {median:6.2f} ms {low:6.2f}-{high:6.2f} ms {ceiling / median:6.2f}"
            + (f"  ({failures} not 200)" if failures else "")
        )


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--residents", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=400, help="requests per page for the CPU figures")
    parser.add_argument("--port", type=int, default=PORT, help="the port gunicorn listens on")
    parser.add_argument("--only", choices=["cpu", "gunicorn"], help="run one of the two measurements")
    options = parser.parse_args()
    sessions = _sessions(options.residents)
    if options.only != "gunicorn":
        cpu_per_request(sessions, options.repeats)
    if options.only != "cpu":
        under_gunicorn(sessions, options)


def under_gunicorn(sessions: list[str], options: argparse.Namespace) -> None:
    gunicorn = subprocess.Popen(  # noqa: S603 (our own command line)
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "heka_portal.wsgi",
            f"--bind=127.0.0.1:{options.port}",
            f"--workers={options.workers}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"},
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", options.port, timeout=1).request("GET", "/")
                break
            except OSError:
                time.sleep(0.1)
        print(f"{'page':36} {'server median':>13} {'server p95':>10} {'request median':>14} {'p95':>8} {'req/s':>7} {'ratio':>6}")
        ceiling = None
        for name, path in PAGES.items():
            _hammer(path, sessions, options.clients, 2, options.port)  # warm up
            server, total, count, failures = _hammer(path, sessions, options.clients, options.seconds, options.port)
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
