"""Suomi.fi e-Identification's published test persons (SFI-6), and their place in the demo register.

Names and properties as Suomi.fi's "Test tools in the e-Identification test environment" lists
them for its test identifier (urn:oid:1.2.246.517.3002.110.999): what Suomi.fi's test
environment returns for these identity codes, the development identity provider returns too.
`register_rows(today)` gives each a role in the demo register (tenancy.demo adds the rows), so
that a server registered in Suomi.fi's test environment and a laptop behave alike.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class TestPerson:
    __test__ = False  # not a pytest test class

    key: str
    hetu: str | None
    first_names: str
    last_name: str
    # As the Population Information System has it: the calling name, if any, is givenName.
    calling_name: str = ""
    published_by_suomifi: bool = False
    # What Suomi.fi's table says about the person (shown on the development IdP's page).
    note: str | Promise = ""
    # VtjVerificationRequired: Suomi.fi's population-register check fails for a deceased person.
    deceased_on: datetime.date | None = None
    # Non-disclosure of address information (turvakielto): Suomi.fi sends no address attributes,
    # and the portal requests none anyway.
    address_blocked: bool = False
    # A foreign (eIDAS) identity: no identity code, the eIDAS minimum data set instead.
    date_of_birth: datetime.date | None = None

    @property
    def is_foreign(self) -> bool:
        return self.hetu is None

    @property
    def given_name(self) -> str:
        return self.calling_name or self.first_names.split(" ")[0]


SUOMIFI_TEST_PERSONS: tuple[TestPerson, ...] = (
    TestPerson("010280-952L", "010280-952L", "Tessa", "Testilä", published_by_suomifi=True, note=_("Finnish citizen")),
    TestPerson("010469-999W", "010469-999W", "Joni Kristian", "Kivi", published_by_suomifi=True, note=_("Finnish citizen")),
    TestPerson("010675-9981", "010675-9981", "Anna-Liisa Milka", "Sallinen", published_by_suomifi=True, note=_("e-mail address")),
    TestPerson(
        "261298-998X",
        "261298-998X",
        "Kukka-Maaria Jennika Etel",
        "Haapakoski-Henriksson",
        published_by_suomifi=True,
        note=_("permanent address"),
    ),
    TestPerson(
        "040265-9985",
        "040265-9985",
        "Minerva Alli Aniitta",
        "Marttila",
        published_by_suomifi=True,
        note=_("permanent address abroad"),
    ),
    TestPerson(
        "260991-999R",
        "260991-999R",
        "Ilmari Folke",
        "Huhtiistinen",
        published_by_suomifi=True,
        note=_("address information blocked"),
        address_blocked=True,
    ),
    TestPerson(
        "020365-999P",
        "020365-999P",
        "Valtter Niila",
        "Grönholm",
        published_by_suomifi=True,
        note=_("deceased 1.11.2010"),
        deceased_on=datetime.date(2010, 11, 1),
    ),
)

# (key, register id, role as the demo table describes it)
_ROLES = (
    ("010280-952L", "SUOMIFI-01",
     "main tenant (co-tenant with Joni Kristian Kivi), Kannelmäentie 12 B 6; no account yet: register"),
    ("010469-999W", "SUOMIFI-02", "main tenant (co-tenant with Tessa Testilä); no account yet: register"),
    ("010675-9981", "SUOMIFI-03", "occupant in Kannelmäentie 12 B 6, not a party to the agreement; no account yet: register"),
    ("261298-998X", "SUOMIFI-04", "main tenant alone, Meri-Rastilan tie 3 A 1; no account yet: register"),
    ("040265-9985", None, "lives abroad, not in the register: refused"),
    ("260991-999R", "SUOMIFI-06",
     "main tenant alone, Kontulankaari 7 C 11, address information blocked; no account yet: register"),
    ("020365-999P", "SUOMIFI-07", "deceased former tenant: the identification service refuses to identify him"),
)  # fmt: skip


def _month(day: datetime.date, months: int) -> datetime.date:
    index = day.month - 1 + months
    return datetime.date(day.year + index // 12, index % 12 + 1, 1)


def _agreement(number: str, building: str, apartment: str, starts_on: datetime.date, rent: str, parties: list[str]) -> dict:
    return {
        "number": number,
        "building": building,
        "apartment": apartment,
        "signed_on": (starts_on - datetime.timedelta(days=17)).isoformat(),
        "starts_on": starts_on.isoformat(),
        "rent": rent,
        "deposit": str(Decimal(rent) * 2),
        "parties": parties,
    }


def register_rows(today: datetime.date) -> dict[str, list[dict[str, Any]]]:
    """Rows in the demo register's format (tenancy.demo.register_document) for the test persons."""
    month = today.replace(day=1)
    people = {person.key: person for person in SUOMIFI_TEST_PERSONS}
    persons = [
        {
            "external_id": external_id,
            "hetu": people[key].hetu,
            "first_names": people[key].first_names,
            "last_name": people[key].last_name,
            "preferred_language": "sv" if key == "261298-998X" else "fi",
            "email": "",
        }
        for key, external_id, _ in _ROLES
        if external_id
    ]
    former = _agreement("V-2004-0311", "MRT3", "A 4", datetime.date(2004, 3, 1), "512.30", ["SUOMIFI-07"])
    former.update(terminated_on="2010-11-15", ends_on="2010-12-31")
    return {
        "apartments": [
            {"building": "KANN12", "number": "B 6", "rooms": "2h+k", "area_m2": "52.0"},
            {"building": "MRT3", "number": "A 1", "rooms": "3h+k", "area_m2": "70.0"},
            {"building": "MRT3", "number": "A 4", "rooms": "1h+k", "area_m2": "34.5"},
            {"building": "KONT7", "number": "C 11", "rooms": "1h+k", "area_m2": "36.5"},
        ],
        "persons": persons,
        "agreements": [
            _agreement("V-2019-2210", "KANN12", "B 6", _month(month, -80), "798.20", ["SUOMIFI-01", "SUOMIFI-02"]),
            _agreement("V-2024-0117", "MRT3", "A 1", _month(month, -20), "1021.90", ["SUOMIFI-04"]),
            _agreement("V-2016-0902", "KONT7", "C 11", _month(month, -110), "539.60", ["SUOMIFI-06"]),
            former,
        ],
        "occupancies": [
            {"person": "SUOMIFI-03", "building": "KANN12", "apartment": "B 6", "starts_on": _month(month, -30).isoformat()},
        ],
    }


def people_rows() -> list[tuple[str, str, str]]:
    """(name, role, e-mail login) rows of the demo people table."""
    people = {person.key: person for person in SUOMIFI_TEST_PERSONS}
    return [
        (f"{people[key].first_names} {people[key].last_name} (Suomi.fi test person {key})", role, "—") for key, _, role in _ROLES
    ]
