"""Check the query plans of the resident pages on a Heka-sized database: no sequential scan of a
large table.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/heka_bench_full .venv/bin/python bench/plans.py

Run bench/fill_register.py on that database first. Each page is requested as a resident with the
test client; every SELECT it ran is EXPLAINed, and a sequential scan of a table with more than
`--large` rows is reported. Exits with 1 if there is one.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402

PAGES = [
    "/dashboard/",
    "/economy/",
    "/profile/contact/",
    "/building/",
    "/bulletins/",
    "/requests/defects/",
    "/requests/messages/",
    "/requests/service/",
    "/bookings/",
    "/accounts/profile/",
]


def _large_tables(threshold: int) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples > %s", [threshold])
        return {row[0] for row in cursor.fetchall()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--large", type=int, default=10_000, help="rows above which a table counts as large")
    parser.add_argument("--residents", type=int, default=3, help="how many residents to try")
    options = parser.parse_args()
    large = _large_tables(options.large)
    problems = []
    for user in User.objects.filter(email__startswith="bench", is_active=True).order_by("pk")[: options.residents]:
        client = Client()
        client.force_login(user)
        for path in PAGES:
            with CaptureQueriesContext(connection) as queries:
                status = client.get(path, HTTP_HOST="127.0.0.1").status_code
            scans = set()
            for query in queries.captured_queries:
                if not query["sql"].startswith("SELECT"):
                    continue
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN " + query["sql"])
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                scans |= {table for table in large if f"Seq Scan on {table} " in plan}
            print(f"{user.email:28} {path:32} {status} {len(queries.captured_queries):3} queries", end="")
            print(f"  SEQ SCAN: {', '.join(sorted(scans))}" if scans else "")
            problems += [(path, table) for table in scans]
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
