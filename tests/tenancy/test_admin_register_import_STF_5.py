"""STF-5: the register import in the admin. An office clerk uploads the ERP file, sees a dry run
(created, changed and ended rows, and every bad row named), confirms, and the import is kept in a
read-only history; a large file runs in a real Celery worker behind a progress page. The admin and
`manage.py import_register` share one importer."""

import json
import time
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation
from lxml import html

from heka_portal.celery import app
from tenancy.importer import register_import
from tenancy.models import Occupancy, Person, RegisterImport, RentalAgreement
from tenancy.staff_groups import BOOKING_HANDLER, CONTENT_EDITOR, CUSTOMER_SERVICE, OFFICE_CLERK
from tests.factories.tenancy import make_hetu
from tests.outbox.conftest import celery_broker
from tests.outbox.test_worker import Worker
from tests.tenancy.test_admin_audit import staff_in

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "register"
ADD = "/admin/tenancy/registerimport/add/"
HISTORY = "/admin/tenancy/registerimport/"


def detail(record: RegisterImport) -> str:
    return f"/admin/tenancy/registerimport/{record.pk}/change/"


def confirm(record: RegisterImport) -> str:
    return f"/admin/tenancy/registerimport/{record.pk}/confirm/"


def upload(client, name: str, content: bytes):
    return client.post(ADD, {"file": SimpleUploadedFile(name, content, "application/json")})


def good_file() -> bytes:
    return (FIXTURES / "good.json").read_bytes()


def page_rows(page: bytes, caption_start: str) -> dict[str, list[str]]:
    document = html.fromstring(page.decode())
    for table in document.xpath("//table"):
        caption = " ".join(table.xpath("string(caption)").split())
        if caption.startswith(caption_start):
            return {
                " ".join(tr.xpath("string(th)").split()): [" ".join(td.text_content().split()) for td in tr.xpath("td")]
                for tr in table.xpath("tbody/tr")
            }
    raise AssertionError(f"no table {caption_start!r}")


def test_clerk_uploads_a_good_file_sees_the_dry_run_confirms_once_and_it_is_kept_STF_5(client, db):
    clerk = staff_in(client, OFFICE_CLERK)

    response = upload(client, "rekisteri-2026-12.json", good_file())

    record = RegisterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(record)
    assert record.status == RegisterImport.Status.CHECKED
    assert record.uploaded_by == clerk
    assert not Person.objects.exists(), "the dry run writes nothing"
    page = client.get(detail(record))
    counts = page_rows(page.content, "What applying the file would change")
    assert counts["Persons"][0] == "7", "persons created"
    assert counts["Rental agreements"][0] == str(len(json.loads(good_file())["agreements"]))
    assert b"Confirm and apply" in page.content

    assert client.post(confirm(record)).status_code == 302
    assert client.post(confirm(record)).status_code == 302  # a second press, or a resent form

    record.refresh_from_db()
    assert record.status == RegisterImport.Status.APPLIED
    assert record.confirmed_by == clerk
    assert Person.objects.count() == 7
    assert record.counts["persons"]["created"] == 7, "applied once: the second confirmation did nothing"
    assert bytes(record.content) == b"", "the file with its identity codes is not kept after the import"
    after = client.get(detail(record))
    assert b"This import was not waiting for confirmation" in after.content
    assert b"Confirm and apply" not in after.content
    history = client.get(HISTORY).content.decode()
    assert "rekisteri-2026-12.json" in history
    assert clerk.email in history


def test_the_dry_run_counts_what_a_file_ends_STF_5(client, db):
    staff_in(client, OFFICE_CLERK)
    with translation.override("en"):
        register_import(document=json.loads(good_file()))
    changed = json.loads(good_file())
    open_agreement = next(row for row in changed["agreements"] if not row.get("ends_on") and not row.get("terminated_on"))
    open_agreement["ends_on"] = "2099-12-31"

    upload(client, "ended.json", json.dumps(changed).encode())

    record = RegisterImport.objects.get()
    assert record.dry_run_counts["agreements"]["updated"] == 1
    assert record.dry_run_counts["agreements"]["ended"] == 1
    assert page_rows(client.get(detail(record)).content, "What applying")["Rental agreements"][2] == "1"
    assert RentalAgreement.objects.get(number=open_agreement["number"]).ends_on is None


def test_a_bad_file_names_every_bad_row_and_changes_nothing_STF_5(client, db):
    staff_in(client, OFFICE_CLERK)
    bad = (FIXTURES / "bad_rows.json").read_bytes()
    with translation.override("en"):
        expected = register_import(document=json.loads(bad), dry_run=True).errors
    assert len(expected) >= 4

    upload(client, "bad.json", bad)

    record = RegisterImport.objects.get()
    assert record.status == RegisterImport.Status.INVALID
    assert record.error_count == len(expected)
    page = client.get(detail(record))
    shown = [
        tuple(" ".join(td.text_content().split()) for td in row.xpath("td"))
        for row in html.fromstring(page.content.decode()).xpath("//tr[@class='import-error']")
    ]
    assert shown == [(e.section, str(e.row or ""), e.key, e.field, e.message) for e in expected]
    assert b"Confirm and apply" not in page.content
    assert client.post(confirm(record)).status_code == 302
    assert not Person.objects.exists()
    assert not Occupancy.objects.exists()
    assert "141076-900R" not in page.content.decode(), "identity codes are never repeated"
    download = client.get(f"/admin/tenancy/registerimport/{record.pk}/errors.csv")
    assert download["Content-Disposition"].startswith("attachment")
    assert len(download.content.decode("utf-8-sig").strip().splitlines()) == len(expected) + 1


def test_a_file_that_is_not_json_is_a_clear_message_in_the_history_STF_5(client, db):
    staff_in(client, OFFICE_CLERK)

    upload(client, "rekisteri.csv", b"persons;buildings\n")

    record = RegisterImport.objects.get()
    assert record.status == RegisterImport.Status.INVALID
    assert "The file is not valid JSON" in client.get(detail(record)).content.decode()


def test_a_file_over_the_limit_is_refused_and_nothing_is_stored_STF_5(client, db, settings):
    settings.HEKA_REGISTER_IMPORT_MAX_BYTES = 2048
    staff_in(client, OFFICE_CLERK)

    response = upload(client, "huge.json", b" " * 4096 + b"{}")

    assert response.status_code == 200
    assert "The file is too large (at most 2.0\xa0KB)." in response.content.decode()
    assert not RegisterImport.objects.exists()


@pytest.mark.parametrize("group", [CUSTOMER_SERVICE, BOOKING_HANDLER, CONTENT_EDITOR])
def test_only_the_office_clerk_group_imports_the_register_STF_5(client, db, group):
    staff_in(client, group)

    assert client.get(ADD).status_code == 403
    assert upload(client, "rekisteri.json", good_file()).status_code == 403
    assert client.get(HISTORY).status_code == 403
    assert not RegisterImport.objects.exists()


def test_the_history_is_read_only_STF_5(client, db):
    staff_in(client, OFFICE_CLERK)
    upload(client, "rekisteri.json", good_file())
    record = RegisterImport.objects.get()

    assert client.post(f"/admin/tenancy/registerimport/{record.pk}/delete/").status_code == 403
    assert client.get(confirm(record)).status_code == 405, "confirming is POST only"
    assert b"Confirm and apply" in client.get(detail(record)).content


def test_the_command_and_the_admin_share_the_importer_and_its_history_STF_5(tmp_path, db):
    path = tmp_path / "register.json"
    path.write_bytes(good_file())

    call_command("import_register", str(path), "--language", "en", stdout=StringIO())

    record = RegisterImport.objects.get()
    assert record.source == RegisterImport.Source.COMMAND
    assert record.status == RegisterImport.Status.APPLIED
    assert record.counts["persons"]["created"] == 7
    assert Person.objects.count() == 7


# -- a large file through a real worker -------------------------------------------------------


def large_register(persons: int) -> bytes:
    document = json.loads(good_file())
    document["persons"] += [
        {"external_id": f"P-9{n:05d}", "hetu": make_hetu(50_000 + n), "first_names": "Testi", "last_name": f"Henkilö {n}"}
        for n in range(persons)
    ]
    return json.dumps(document).encode()


@pytest.fixture
def worker(tmp_path):
    """`celery worker` in a subprocess on the test database; the queue starts and ends empty."""
    with celery_broker(settings.CELERY_BROKER_URL, eager=False):
        app.control.purge()
        process = Worker(smtp_port=1, log=tmp_path / "worker.log")
        process.start()
        yield process
        process.kill()
        app.control.purge()


def wait_until(client, record: RegisterImport, status: str, seen: list[str], timeout: float = 90) -> bytes:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # The status is read before the page, so the page returned shows that status (the worker
        # may finish between the two reads).
        record.refresh_from_db(fields=["status"])
        reached = record.status == status
        page = client.get(detail(record)).content
        seen.append(page.decode())
        if reached:
            return page
        time.sleep(0.3)
    raise AssertionError(f"the import stayed {record.status}")


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_large_file_runs_in_a_worker_behind_a_progress_page_STF_5(client, worker, settings):
    settings.HEKA_REGISTER_IMPORT_TASK_BYTES = 100_000
    content = large_register(3000)
    assert len(content) > settings.HEKA_REGISTER_IMPORT_TASK_BYTES
    staff_in(client, OFFICE_CLERK)

    upload(client, "koko-rekisteri.json", content)

    record = RegisterImport.objects.get()
    first = client.get(detail(record)).content.decode()
    assert record.status == RegisterImport.Status.CHECKING or "What applying" in first
    pages: list[str] = [first]
    checked = wait_until(client, record, RegisterImport.Status.CHECKED, pages)
    assert any('http-equiv="refresh"' in page and "<progress" in page for page in pages), "a progress page while it runs"
    assert page_rows(checked, "What applying")["Persons"][0] == str(3007)
    assert not Person.objects.exists()

    client.post(confirm(record))
    client.post(confirm(record))
    wait_until(client, record, RegisterImport.Status.APPLIED, pages)

    record.refresh_from_db()
    assert Person.objects.count() == 3007
    assert record.counts["persons"]["created"] == 3007
    assert 'http-equiv="refresh"' not in client.get(detail(record)).content.decode(), "a finished import stops refreshing"
    assert settings.CELERY_BROKER_URL, "the task went through the broker"
