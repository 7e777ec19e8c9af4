"""The example of docs/register-import.md imports cleanly, into an empty register and into the
database of a fresh `bin/demo`, and a second import changes nothing (STF-2)."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tenancy.importer import register_import
from tenancy.models import Building, RegionOffice, RentalAgreement

DOC = Path(__file__).resolve().parents[2] / "docs" / "register-import.md"


def documented_example() -> dict:
    text = DOC.read_text(encoding="utf-8")
    example = re.search(r"## Example.*?```json\n(.*?)```", text, re.DOTALL)
    assert example, "docs/register-import.md has no JSON example"
    return json.loads(example.group(1))


@pytest.fixture
def demo(settings, tmp_path, db):
    settings.HEKA_DEV_IDP_ENABLED = True
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}}}
    call_command("demo_data", stdout=StringIO())


def _snapshot() -> list:
    return [
        list(RegionOffice.objects.order_by("pk").values()),
        list(Building.objects.order_by("pk").values()),
        list(RentalAgreement.objects.order_by("pk").values()),
    ]


@pytest.mark.django_db
def test_documented_example_imports_into_an_empty_register_STF_2():
    report = register_import(document=documented_example())
    assert [str(error) for error in report.errors] == []
    assert report.changed
    assert not register_import(document=documented_example()).changed


def test_documented_example_imports_into_a_fresh_demo_without_changing_the_demo_STF_2(demo, tmp_path):
    before = _snapshot()
    path = tmp_path / "register.json"
    path.write_text(json.dumps(documented_example()), encoding="utf-8")

    out = StringIO()
    call_command("import_register", str(path), "--language", "en", stdout=out, stderr=StringIO())

    assert "The register was updated." in out.getvalue()
    after = _snapshot()
    for old_rows, new_rows in zip(before, after, strict=True):
        assert new_rows[: len(old_rows)] == old_rows, "the example changed rows of the demo"
    office = RegionOffice.objects.get(name="Heka Pohjoinen")
    assert (office.opening_hours, office.opening_hours_sv, office.opening_hours_en) == (
        "ma-to 9-15",
        "mån-tors 9-15",
        "Mon-Thu 9-15",
    )
