"""The register import (`manage.py import_register`): bad rows are named and change nothing, the
same file twice changes nothing, and identity codes never reach the database in clear (X-3, X-4)."""

import copy
import json
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from tenancy import hetu
from tenancy.importer import RegisterFileError, register_import, register_read
from tenancy.models import (
    AgreementParty,
    Apartment,
    Building,
    Guardianship,
    Invoice,
    Occupancy,
    Payment,
    Person,
    RegionOffice,
    RentalAgreement,
)
from tests.factories.tenancy import PersonFactory, make_hetu
from tests.outbox.test_worker import _database_url


@pytest.fixture(autouse=True)
def english():
    # The messages are translated; these tests read the English ones.
    with translation.override("en"):
        yield


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "register"
REGISTER_MODELS = (
    RegionOffice,
    Building,
    Apartment,
    Person,
    RentalAgreement,
    AgreementParty,
    Occupancy,
    Guardianship,
    Invoice,
    Payment,
)


def good() -> dict:
    return json.loads((FIXTURES / "good.json").read_text(encoding="utf-8"))


def snapshot() -> dict[str, list[dict[str, Any]]]:
    return {model.__name__: [dict(row) for row in model._default_manager.order_by("pk").values()] for model in REGISTER_MODELS}


def run(path: Path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_register", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(path: Path) -> str:
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("import_register", str(path), stdout=StringIO(), stderr=err)
    return err.getvalue()


def error_places(document: dict) -> set[tuple[str, int, str]]:
    return {(error.section, error.row, error.field) for error in register_import(document=document).errors}


@pytest.mark.django_db
def test_bad_hetu_bad_iban_unknown_apartment_and_overlapping_agreements_each_name_the_bad_row_and_change_nothing_X_4():
    run(FIXTURES / "good.json")
    before = snapshot()

    errors = run_failing(FIXTURES / "bad_rows.json")

    assert errors.splitlines() == [
        "persons row 1 (P-1001), iban: Not a valid IBAN bank account number.",
        "persons row 2 (P-1002), hetu: Not a valid Finnish personal identity code (the check character does not match).",
        "agreements row 4 (V-2026-0099), apartment: Unknown apartment KONT7 Z 99.",
        "agreements row 5 (V-2025-0500), starts_on: "
        "Overlaps agreement V-2024-0001 (2024-02-01 to …) of the same apartment KONT7 A 5.",
    ]
    # The file also raises a rent on a good row: nothing of it was written.
    assert snapshot() == before
    # Neither the mistyped identity code nor the bank account number is repeated.
    assert "151076-900D" not in errors
    assert "FI21" not in errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "place"),
    [
        pytest.param(lambda d: d["persons"][2].update(hetu="161076-9002"), ("persons", 3, "hetu"), id="bad HETU"),
        pytest.param(lambda d: d["persons"][0].update(iban="FI00 1234"), ("persons", 1, "iban"), id="bad IBAN"),
        pytest.param(
            lambda d: d["occupancies"][1].update(building="KANN12", apartment="C 99"),
            ("occupancies", 2, "apartment"),
            id="unknown apartment",
        ),
        pytest.param(
            lambda d: d["agreements"][2].update(starts_on="2026-09-30", signed_on="2026-09-01"),
            ("agreements", 3, "starts_on"),
            id="overlapping agreements",
        ),
        pytest.param(
            lambda d: d["agreements"][0].update(parties=["P-1001", "P-9999"]), ("agreements", 1, "parties"), id="unknown person"
        ),
        pytest.param(lambda d: d["invoices"][0].update(agreement="V-0000"), ("invoices", 1, "agreement"), id="unknown agreement"),
    ],
)
def test_a_file_with_one_bad_row_names_it_and_changes_nothing_X_4(change, place):
    document = good()
    change(document)

    report = register_import(document=document)

    assert [(error.section, error.row, error.field) for error in report.errors] == [place]
    assert not report.written
    assert all(not rows for rows in snapshot().values())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "place"),
    [
        pytest.param(
            lambda d: d["agreements"][0].update(ends_on="2024-01-31"), ("agreements", 1, "ends_on"), id="ends before start"
        ),
        pytest.param(
            lambda d: d["agreements"][0].update(signed_on="2024-02-02"), ("agreements", 1, "signed_on"), id="signed after start"
        ),
        pytest.param(
            lambda d: d["agreements"][1].update(terminated_on="2026-10-01"),
            ("agreements", 2, "terminated_on"),
            id="notice after end",
        ),
        pytest.param(lambda d: d["agreements"][1].pop("ends_on"), ("agreements", 2, "ends_on"), id="terminated without end"),
        pytest.param(
            lambda d: d["occupancies"][2].update(ends_on="2025-02-01"),
            ("occupancies", 3, "ends_on"),
            id="moves out before moving in",
        ),
        pytest.param(
            lambda d: d["occupancies"][1].update(starts_on="2014-02-01"), ("occupancies", 2, "starts_on"), id="before born"
        ),
        pytest.param(
            lambda d: d["occupancies"][0].update(building="KANN12", apartment="C 3"),
            ("occupancies", 1, "starts_on"),
            id="no agreement covers the occupancy",
        ),
        pytest.param(lambda d: d["invoices"][0].update(due_on="2026-02-30"), ("invoices", 1, "due_on"), id="no such day"),
        pytest.param(
            lambda d: d["persons"][6].update(birth_date="2099-01-01"), ("persons", 7, "birth_date"), id="born in the future"
        ),
        pytest.param(
            lambda d: d["persons"][0].update(birth_date="1980-01-01"), ("persons", 1, "birth_date"), id="birth date against HETU"
        ),
    ],
)
def test_dates_that_make_no_sense_are_named_by_row_and_field_X_4(change, place):
    document = good()
    change(document)

    assert error_places(document) == {place}
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_duplicate_keys_and_unknown_fields_are_named_X_4():
    document = good()
    document["persons"].append({**document["persons"][0]})
    document["persons"].append({**document["persons"][1], "external_id": "P-2000"})
    document["apartments"].append({"building": "KONT7", "number": "A 5"})
    document["buildings"][0]["colour"] = "red"
    document["leases"] = []

    assert error_places(document) == {
        ("leases", 0, ""),
        ("buildings", 1, "colour"),
        ("apartments", 4, ""),
        ("persons", 8, ""),
        ("persons", 8, "hetu"),
        ("persons", 9, "hetu"),
    }


@pytest.mark.django_db
def test_importing_the_same_good_file_twice_changes_nothing_the_second_time():
    first_out, _ = run(FIXTURES / "good.json")
    assert "The register was updated." in first_out
    assert Person.objects.count() == 7
    assert set(RentalAgreement.objects.get(number="V-2024-0001").parties.values_list("external_id", flat=True)) == {
        "P-1001",
        "P-1002",
    }
    before = snapshot()

    report = register_import(document=good())

    assert report.ok
    assert not report.changed
    assert report.counts["persons"].unchanged == 7
    assert report.counts["payments"].unchanged == 3
    # The encrypted identity codes are not rewritten either (each encryption differs).
    assert snapshot() == before


@pytest.mark.django_db
def test_changes_in_the_file_update_the_register_and_parties_and_payments_follow_it():
    run(FIXTURES / "good.json")
    document = good()
    document["agreements"][0]["rent"] = "950.00"
    document["agreements"][0]["parties"] = ["P-1001"]
    document["payments"] = document["payments"][:1]

    report = register_import(document=document)

    assert report.counts["agreements"].updated == 1
    assert report.counts["agreement_parties"].removed == 1
    assert report.counts["payments"].removed == 2
    agreement = RentalAgreement.objects.get(number="V-2024-0001")
    assert str(agreement.rent) == "950.00"
    assert list(agreement.parties.values_list("external_id", flat=True)) == ["P-1001"]
    assert not Payment.objects.filter(invoice__number="L-2026-10-0001").exists()


@pytest.mark.django_db
def test_contact_details_the_file_leaves_out_are_kept_TEN_2():
    run(FIXTURES / "good.json")
    Person.objects.filter(external_id="P-1002").update(phone="050 765 4321", iban="FI4950009420028730")

    report = register_import(document=good())

    assert not report.changed
    assert Person.objects.filter(external_id="P-1002", phone="050 765 4321", iban="FI4950009420028730").exists()


@pytest.mark.django_db
def test_a_person_entered_by_hand_is_linked_to_the_erp_by_identity_code_X_3():
    document = good()
    code = document["persons"][0]["hetu"]
    entered = PersonFactory.create(hetu=code, external_id=None)

    report = register_import(document=document)

    assert report.ok
    entered.refresh_from_db()
    assert entered.external_id == "P-1001"
    assert Person.objects.count() == 7


@pytest.mark.django_db
def test_an_identity_code_held_by_another_person_is_refused_X_3():
    document = good()
    PersonFactory.create(hetu=document["persons"][0]["hetu"], external_id="P-OTHER")

    assert error_places(document) == {("persons", 1, "hetu")}


@pytest.mark.django_db
def test_imported_register_holds_no_identity_code_in_clear_X_3():
    document = good()
    codes = [row["hetu"] for row in document["persons"] if "hetu" in row]

    out, err = run(FIXTURES / "good.json")

    raw: list[Any] = []
    with connection.cursor() as cursor:
        for model in REGISTER_MODELS:
            cursor.execute(f"SELECT * FROM {model._meta.db_table}")  # noqa: S608 - table names from the models
            raw.extend(" ".join(str(value) for value in row) for row in cursor.fetchall())
    text = "\n".join([*raw, out, err])
    for code in codes:
        assert code not in text
        assert code.replace("-", "") not in text
    person = Person.objects.get(external_id="P-1001")
    assert person.hetu_hash == hetu.lookup_hash(codes[0])
    assert hetu.decrypt(person.hetu_encrypted) == codes[0]


@pytest.mark.django_db
def test_dry_run_counts_the_changes_and_writes_nothing():
    out = StringIO()
    call_command("import_register", str(FIXTURES / "good.json"), "--dry-run", stdout=out)

    assert "Nothing was written" in out.getvalue()
    assert re.search(r"^persons\s+7\s+0\s+0\s+0\s+0$", out.getvalue(), re.MULTILINE)
    assert not Person.objects.exists()


def test_a_file_that_is_not_json_is_refused_X_4(tmp_path, db):
    path = tmp_path / "register.json"
    path.write_bytes(b"region_offices;buildings\n")

    with pytest.raises(RegisterFileError):
        register_read(path.open("rb"))
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_register", str(path))


@pytest.mark.django_db
def test_import_queries_do_not_grow_with_the_number_of_rows(django_assert_max_num_queries):
    """The register has ~100,000 persons: rows are fetched by key in chunks and written in bulk."""
    document = copy.deepcopy(good())
    for n in range(600):
        external_id = f"P-{5000 + n}"
        document["persons"].append(
            {"external_id": external_id, "hetu": make_hetu(20000 + n), "first_names": "Testi", "last_name": f"Henkilö {n}"}
        )
        document["occupancies"].append(
            {"person": external_id, "building": "KONT7", "apartment": "A 5", "starts_on": "2024-03-01"}
        )

    with django_assert_max_num_queries(40):
        report = register_import(document=document)
    assert report.counts["persons"].created == 607
    with django_assert_max_num_queries(30):
        again = register_import(document=document)
    assert not again.changed


DEEP = 100_000
NESTED_SHAPES = {
    "arrays at the top": "[" * DEEP + "]" * DEEP,
    "arrays in a section": '{"persons": ' + "[" * DEEP + "]" * DEEP + "}",
    "objects in a row": '{"persons": [' + '{"a": ' * DEEP + "1" + "}" * DEEP + "]}",
    "objects below the parser's limit": '{"persons": [' + '{"a": ' * 900 + "1" + "}" * 900 + "]}",
    "lists in a field": '{"agreements": [{"parties": ' + "[" * 50 + '"P-1"' + "]" * 50 + "}]}",
}


@pytest.mark.parametrize("shape", NESTED_SHAPES)
def test_a_deeply_nested_file_gets_a_clear_message_whatever_its_shape_X_4(tmp_path, shape, db):
    path = tmp_path / "register.json"
    path.write_text(NESTED_SHAPES[shape], encoding="utf-8")

    with pytest.raises(CommandError, match="nested more deeply than a register export"):
        call_command("import_register", str(path), stdout=StringIO(), stderr=StringIO())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_manage_py_import_register_on_deeply_nested_json_prints_no_traceback_X_4(tmp_path):
    path = tmp_path / "register.json"
    path.write_text(NESTED_SHAPES["arrays in a section"], encoding="utf-8")
    # The command keeps its refusal in the import history (STF-5): it runs on the test database.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "heka_portal.settings.test", "DATABASE_URL": _database_url()}

    result = subprocess.run(
        [sys.executable, "manage.py", "import_register", str(path), "--language", "en"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "nested more deeply than a register export" in result.stderr
