"""Time the staff changelists on a Heka-sized database (STF-4): the first page, a filtered page and
a search of every staff queue and register list.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/heka_bench_full .venv/bin/python bench/admin_lists.py

Run bench/fill_register.py on that database first. A superuser (bench-admin@heka.example, made if
missing) requests each page in-process with the test client and DEBUG off, `--repeats` times after
one warm-up request. Wall time is what the request took; CPU time is this process's (Python: the
admin, the ORM, the templates), so wall minus CPU is about the time spent waiting for PostgreSQL.
One more request of each page counts its queries, adds up their times (db ms, as the client
waited for them) and names the slowest. Exits with 1 if a page
did not answer 200 or its median wall time is over `--budget` milliseconds.
"""

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402

ADMIN_EMAIL = "bench-admin@heka.example"


@dataclass
class Page:
    list_name: str
    what: str
    path: str


def _one(sql: str) -> object:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return row[0] if row else ""


def _pages() -> list[Page]:
    """Three pages per list, with search words taken from the register so that they find something."""
    today = date.today()
    month = today.replace(day=1)
    next_month = month.replace(year=month.year + 1, month=1) if month.month == 12 else month.replace(month=month.month + 1)
    this_month = {"__gte": month.isoformat(), "__lt": next_month.isoformat()}
    region = _one("SELECT min(id) FROM tenancy_regionoffice")
    reference = _one("SELECT reference_number FROM tenancy_invoice ORDER BY id OFFSET 500000 LIMIT 1")
    agreement = _one("SELECT number FROM tenancy_rentalagreement ORDER BY id OFFSET 30000 LIMIT 1")
    last_name = _one("SELECT last_name FROM tenancy_person ORDER BY id OFFSET 4710 LIMIT 1")
    requester = _one(
        "SELECT p.last_name FROM tenancy_person p JOIN servicerequests_residentrequest r ON r.submitted_by_id = p.id "
        "ORDER BY r.id OFFSET 150000 LIMIT 1"
    )
    recipient = _one('SELECT "to" FROM heka_portal_outboxemail ORDER BY id OFFSET 500000 LIMIT 1')
    in_region = {"apartment__building__region__id__exact": region}
    lists: list[tuple[str, str, dict[str, object], object]] = [
        ("invoices", "tenancy/invoice", {"kind__exact": "rent", **{f"due_on{k}": v for k, v in this_month.items()}}, reference),
        ("payments", "tenancy/payment", {f"paid_on{k}": v for k, v in this_month.items()}, reference),
        ("persons", "tenancy/person", {"preferred_language__exact": "sv"}, last_name),
        ("agreements", "tenancy/rentalagreement", in_region, agreement),
        ("defects", "servicerequests/defect", {"status__exact": "received", **in_region}, requester),
        ("messages", "servicerequests/message", {"status__exact": "received", **in_region}, requester),
        ("service requests", "servicerequests/servicerequest", {"status__exact": "received", **in_region}, requester),
        ("booking requests", "bookings/reservation", {"status__exact": "requested", "kind__exact": "parking"}, requester),
        ("outbox", "heka_portal/outboxemail", {"status__exact": "pending"}, recipient),
    ]
    pages = []
    for name, model, filters, term in lists:
        base = f"/admin/{model}/"
        pages += [
            Page(name, "first page", base),
            Page(name, "filtered", f"{base}?{urlencode(filters)}"),
            Page(name, f"search {term!s}", f"{base}?{urlencode({'q': term})}"),
        ]
    return pages


def _admin_client() -> Client:
    user = User.objects.filter(email=ADMIN_EMAIL).first()
    if user is None:
        user = User.objects.create_superuser(ADMIN_EMAIL, None, language="fi")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def _time(client: Client, path: str, repeats: int) -> tuple[int, list[float], list[float]]:
    status = client.get(path).status_code  # warm-up: caches, prepared plans, the page's first compile
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        client.get(path)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return status, walls, cpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=7, help="timed requests per page")
    parser.add_argument("--budget", type=float, default=300.0, help="median wall time allowed per page (ms)")
    parser.add_argument("--only", default="", help="only the lists whose name contains this")
    parser.add_argument("--sql", action="store_true", help="print the slowest query of each page in full")
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database filled by bench/fill_register.py.")
    client = _admin_client()
    columns = ("st", "wall ms", "spread", "cpu ms", "queries", "db ms", "slowest")
    print(
        f"{'list':18} {'page':34} "
        + " ".join(f"{name:>{width}}" for name, width in zip(columns, (3, 8, 13, 7, 7, 6, 8), strict=True))
    )
    over = []
    for page in _pages():
        if options.only not in page.list_name:
            continue
        status, walls, cpus = _time(client, page.path, options.repeats)
        with CaptureQueriesContext(connection) as queries:
            client.get(page.path)
        slowest = max(queries.captured_queries, key=lambda query: float(query["time"]), default={"time": "0", "sql": ""})
        wall = statistics.median(walls)
        database = sum(float(query["time"]) for query in queries.captured_queries) * 1000
        spread = f"{min(walls):.0f}–{max(walls):.0f}"  # noqa: RUF001
        print(
            f"{page.list_name:18} {page.what[:34]:34} {status:>3} {wall:8.1f} {spread:>13} {statistics.median(cpus):7.1f}"
            f" {len(queries.captured_queries):7} {database:6.1f} {float(slowest['time']) * 1000:6.1f}ms"
        )
        if options.sql or float(slowest["time"]) * 1000 > options.budget / 3:
            print(f"    slowest: {slowest['sql'][: 2000 if options.sql else 300]}")
        if status != 200 or wall > options.budget:
            over.append(page)
    print(f"{len(over)} page(s) not answering 200 within {options.budget:.0f} ms")
    sys.exit(1 if over else 0)


if __name__ == "__main__":
    main()
