"""Suomi.fi's published test persons have their places in the demo register (SFI-6), so that what
passes at the development identity provider passes in Suomi.fi's test environment."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.devidp.persons import SUOMIFI_TEST_PERSONS
from tenancy import hetu
from tenancy.access import Refusal, Role, access_for, refusal_for
from tenancy.demo import people_table
from tenancy.models import Person


def _person(code: str) -> Person | None:
    return Person.objects.filter(hetu_hash=hetu.lookup_hash(code)).first()


def _resident(code: str) -> Person:
    return Person.objects.get(hetu_hash=hetu.lookup_hash(code))


@pytest.fixture
def demo_register(db, settings, tmp_path):
    settings.HEKA_DEV_IDP_ENABLED = True
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}}}
    call_command("demo_data", stdout=StringIO())


def test_suomifi_test_persons_hold_their_roles_in_the_demo_register_SFI_6(demo_register):
    """SFI-6: Tessa Testilä and Joni Kristian Kivi share an agreement, Anna-Liisa Milka Sallinen
    lives with them, Kukka-Maaria Haapakoski-Henriksson and Ilmari Folke Huhtiistinen (address
    information blocked) rent alone, Valtter Niila Grönholm (deceased) is a former tenant and
    Minerva Marttila (lives abroad) is not in the register."""
    tessa, joni = access_for(_resident("010280-952L")), access_for(_resident("010469-999W"))
    assert tessa.roles() == joni.roles() == {Role.MAIN_TENANT}
    assert tessa.main_tenancies()[0].agreement == joni.main_tenancies()[0].agreement
    assert access_for(_resident("010675-9981")).roles() == {Role.OCCUPANT}
    assert access_for(_resident("261298-998X")).roles() == {Role.MAIN_TENANT}
    assert access_for(_resident("260991-999R")).roles() == {Role.MAIN_TENANT}
    assert refusal_for(_person("020365-999P")) is Refusal.FORMER_RESIDENT
    assert _person("040265-9985") is None
    names = {(person.first_names, person.last_name) for person in Person.objects.filter(external_id__startswith="SUOMIFI-")}
    assert {(person.first_names, person.last_name) for person in SUOMIFI_TEST_PERSONS if person.hetu != "040265-9985"} == names


def test_the_demo_table_names_the_suomifi_test_persons_SFI_6():
    """SFI-6: the demo people table (README, bin/demo) lists them with their codes and roles."""
    rows = {name: role for name, role, _ in people_table()}
    assert "Tessa Testilä (Suomi.fi test person 010280-952L)" in rows
    assert "address information blocked" in rows["Ilmari Folke Huhtiistinen (Suomi.fi test person 260991-999R)"]
