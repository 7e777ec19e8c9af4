"""`manage.py demo_data` (bin/demo): every test person of the development identity provider holds
the role the demo table promises, and a second run changes nothing."""

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.core.management import call_command

from accounts.devidp.persons import TEST_PERSONS
from accounts.models import User
from accounts.passwords import validate_password_policy
from tenancy import hetu
from tenancy.access import Refusal, Role, access_for, refusal_for
from tenancy.demo import (
    CUSTOMER_SERVICE_EMAIL,
    DEMO_PASSWORD,
    DEMO_ROLES,
    STAFF_EMAIL,
    add_months,
    people_markdown,
    register_document,
)
from tenancy.importer import register_import
from tenancy.models import Building, Bulletin, Invoice, Person, RentalAgreement
from tenancy.staff_groups import CUSTOMER_SERVICE

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture
def demo_settings(settings, tmp_path):
    settings.HEKA_DEV_IDP_ENABLED = True
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}}}
    return settings


def person(key: str) -> Person:
    """The register's person for a development identity provider test person, found by identity code."""
    code = next(test_person.hetu for test_person in TEST_PERSONS if test_person.key == key and test_person.hetu)
    return Person.objects.get(hetu_hash=hetu.lookup_hash(code))


def state() -> dict[str, object]:
    return {
        "persons": list(Person.objects.order_by("pk").values()),
        "agreements": list(RentalAgreement.objects.order_by("pk").values()),
        "invoices": list(Invoice.objects.order_by("pk").values()),
        "buildings": list(Building.objects.order_by("pk").values()),
        "bulletins": list(Bulletin.objects.order_by("pk").values_list("pk", "title")),
        "users": list(User.objects.order_by("pk").values_list("pk", "email", "password")),
    }


@pytest.mark.django_db
def test_demo_data_twice_on_an_empty_database_gives_each_test_person_their_role(demo_settings, today):
    out = StringIO()
    call_command("demo_data", stdout=out)
    first = state()
    call_command("demo_data", stdout=out)

    assert state() == first
    assert "Demo register already in place; 0 bulletin(s) and 0 account(s) added." in out.getvalue()

    anna, kalle = access_for(person("010280-9662")), access_for(person("010469-957J"))
    assert anna.roles() == kalle.roles() == {Role.MAIN_TENANT}
    assert anna.main_tenancies()[0].agreement == kalle.main_tenancies()[0].agreement  # co-tenants of one agreement
    assert access_for(person("010675-964X")).roles() == {Role.OCCUPANT}
    assert access_for(person("260991-971U")).roles() == {Role.SUBLESSEE}

    guardian = access_for(person("020365-926B"))
    assert [(grant.role, grant.via_guardian, grant.holder.first_names) for grant in guardian.grants] == [
        (Role.OCCUPANT, True, "Ella")
    ]
    assert guardian.grants[0].holder.age_on(today) < 18

    future = access_for(person("150385-9013"))
    assert future.roles() == {Role.FUTURE_TENANT}
    assert future.future_start == add_months(today.replace(day=1), 1)

    for key, refusal in (("071298-912W", Refusal.FORMER_RESIDENT), ("230477-9342", Refusal.NOT_IN_REGISTER)):
        assert not access_for(person(key)).grants
        assert refusal_for(person(key)) is refusal

    helmi = access_for(person("170952-9487"))
    assert helmi.roles() == {Role.MAIN_TENANT}
    unpaid = Invoice.objects.filter(
        agreement__in=[tenancy.agreement for tenancy in helmi.main_tenancies()], payments__isnull=True, due_on__lt=today
    )
    assert unpaid.exists()


@pytest.mark.django_db
def test_demo_accounts_log_in_with_the_documented_password_ACC_2(demo_settings):
    call_command("demo_data", stdout=StringIO())

    for role in DEMO_ROLES:
        if role.login:
            user = authenticate(username=role.login, password=DEMO_PASSWORD)
            assert user is not None, role.login
            assert user.person is not None
            assert user.person.external_id == role.external_id
            validate_password_policy(DEMO_PASSWORD, policy="P6", user=user)
    staff = authenticate(username=STAFF_EMAIL, password=DEMO_PASSWORD)
    assert staff is not None
    assert staff.is_superuser
    clerk = authenticate(username=CUSTOMER_SERVICE_EMAIL, password=DEMO_PASSWORD)
    assert clerk is not None
    assert clerk.is_staff
    assert not clerk.is_superuser
    assert list(clerk.groups.values_list("name", flat=True)) == [Group.objects.get(name=CUSTOMER_SERVICE).name]


@pytest.mark.django_db
def test_demo_buildings_have_information_and_a_rescue_plan_TEN_8(demo_settings):
    call_command("demo_data", stdout=StringIO())

    buildings = Building.objects.all()
    assert len(buildings) == 3
    assert {building.region.name for building in buildings} == {"Heka Itä", "Heka Länsi"}
    for building in buildings:
        assert building.information
        plan = building.documents.get(kind="rescue_plan")
        with plan.file.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"
    assert Bulletin.objects.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize("day", [date(2027, 1, 31), date(2028, 2, 29), date(2026, 12, 1), date(2027, 3, 31)])
def test_demo_register_passes_the_import_checks_on_any_day(day):
    report = register_import(document=register_document(day), dry_run=True)

    assert report.errors == []


def test_demo_people_table_in_docs_is_up_to_date():
    """docs/demo-people.md is made by `manage.py demo_data --markdown docs/demo-people.md`."""
    assert (DOCS / "demo-people.md").read_text(encoding="utf-8") == people_markdown()
