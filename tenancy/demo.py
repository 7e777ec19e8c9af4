"""A small, believable register for a laptop (`manage.py demo_data`, run by bin/demo).

The test persons of the development identity provider each hold a different role of SPEC section 1,
so that every kind of resident can be tried by identifying as them. The register part is an ERP
export built for today and loaded with the register import, which makes a second run change
nothing (and a run on a later day move the dates along). Nothing here is used in production.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.devidp import test_persons as suomifi_test_persons
from accounts.devidp.persons import TEST_PERSONS, TestPerson
from accounts.models import User

from .importer import register_import
from .models import Building, Bulletin, Person, RegionOffice
from .staff_groups import BOOKING_HANDLER, CONTENT_EDITOR, CUSTOMER_SERVICE, OFFICE_CLERK

# P6 (ACC-2): capital, lower-case, digit and special character; not a common password.
DEMO_PASSWORD = "Demo-salasana1!"  # noqa: S105 - a documented password for local demo data only
STAFF_EMAIL = "staff@heka.example"
CUSTOMER_SERVICE_EMAIL = "asiakaspalvelu@heka.example"
# STF-8: one ready login per staff group of STF-3 (`manage.py setup_groups`), with what it is for.
STAFF_LOGINS: tuple[tuple[str, str, str], ...] = (
    (CUSTOMER_SERVICE_EMAIL, CUSTOMER_SERVICE, "queues of defects, messages and service requests; replies; notices"),
    (
        "toimisto@heka.example",
        OFFICE_CLERK,
        "office identifications (registration and applications), the tenancy register and its import from the ERP file",
    ),
    ("varaukset@heka.example", BOOKING_HANDLER, "sauna slots, parking spaces, booking requests and the allocation"),
    (
        "sisallot@heka.example",
        CONTENT_EDITOR,
        "resident bulletins, building information and the document archive (rescue plans, house rules, agreement documents)",
    ),
)


@dataclass(frozen=True)
class DemoRole:
    """What a development identity provider's test person is in the demo register."""

    key: str  # TestPerson.key
    external_id: str | None
    role: str
    login: str = ""  # the e-mail address of a ready account; empty: register through identification
    language: str = "fi"


DEMO_ROLES: tuple[DemoRole, ...] = (
    DemoRole("010280-9662", "DEMO-0001", "main tenant (co-tenant with Kalle Johannes Korhonen), Kontulankaari 7 A 5",
             "anna.aaltonen@example.com"),
    DemoRole("010469-957J", "DEMO-0002", "main tenant (co-tenant with Anna Maria Aaltonen); no account yet: register"),
    DemoRole("010675-964X", "DEMO-0003", "occupant (family member) in Kontulankaari 7 A 5, not a party to the agreement",
             "liisa.makinen@example.com"),
    DemoRole("260991-971U", "DEMO-0004", "sublessee in Helmi Koskinen's apartment, Meri-Rastilan tie 3 B 12",
             "oskari.nieminen@example.com", "en"),
    DemoRole("020365-926B", "DEMO-0005", "guardian of Ella Virtanen (a minor occupant of Kannelmäentie 12 C 3)",
             "sirkka-liisa.lehtonen@example.com", "sv"),
    DemoRole("150385-9013", "DEMO-0006", "future tenant: agreement signed, starts on the 1st of next month",
             "mikael.hamalainen@example.com", "sv"),
    DemoRole("071298-912W", "DEMO-0007", "former tenant: agreement ended; may not register or log in"),
    DemoRole("230477-9342", "DEMO-0008", "housing applicant only, no agreement; may not register or log in"),
    DemoRole("170952-9487", "DEMO-0009", "main tenant alone, with an overdue rent; no account yet: register"),
    DemoRole("eidas-de", None, "foreign eIDAS identity: not found in the register, refused"),
)  # fmt: skip

# People of the register who are not test persons: the ward and her father.
_OTHERS = {
    "DEMO-0101": {"hetu": "120778-931J", "first_names": "Timo Juhani", "last_name": "Virtanen"},
    "DEMO-0102": {"hetu": "120514A932E", "first_names": "Ella", "last_name": "Virtanen"},
}


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def reference_number(base: str) -> str:
    """A Finnish reference number: `base` and its check digit (weights 7, 3, 1 from the right)."""
    weights = (7, 3, 1)
    total = sum(int(digit) * weights[index % 3] for index, digit in enumerate(reversed(base)))
    return f"{base}{(10 - total % 10) % 10}"


def register_document(today: date) -> dict[str, Any]:
    """The demo register as an ERP export, with dates counted from `today`."""
    month = today.replace(day=1)
    invoices, payments = _invoices_and_payments(month)
    document: dict[str, Any] = {
        "format": "heka-register/1",
        "region_offices": [dict(office) for office in _REGION_OFFICES],
        "buildings": [
            _building(
                "KONT7",
                "Kontulankaari 7",
                "00940",
                "Heka Itä",
                "Kontula",
                ("pe klo 17-21", "fre kl. 17-21", "Fri 17-21"),
                ("B-rapun kellarissa", "i källaren i trappa B", "in the basement of staircase B"),
            ),
            _building(
                "MRT3",
                "Meri-Rastilan tie 3",
                "00980",
                "Heka Itä",
                "Vuosaari",
                ("ke ja la klo 16-21", "ons och lör kl. 16-21", "Wed and Sat 16-21"),
                ("talon päädyssä", "vid husets gavel", "at the end of the building"),
            ),
            _building(
                "KANN12",
                "Kannelmäentie 12",
                "00420",
                "Heka Länsi",
                "Kannelmäki",
                ("to klo 17-22", "tors kl. 17-22", "Thu 17-22"),
                ("A-rapun vieressä", "bredvid trappa A", "next to staircase A"),
            ),
        ],
        "apartments": [dict(apartment) for apartment in _APARTMENTS],
        "persons": _persons(),
        "agreements": _agreements(month),
        "occupancies": _occupancies(month),
        "guardianships": [{"guardian": "DEMO-0005", "ward": "DEMO-0102", "starts_on": "2014-05-12"}],
        "invoices": invoices,
        "payments": payments,
    }
    # SFI-6: Suomi.fi's published test persons have their own homes in the register.
    for section, rows in suomifi_test_persons.register_rows(today).items():
        document[section] += rows
    return document


_REGION_OFFICES = [
    {
        "name": "Heka Itä",
        "street_address": "Kontulankaari 1",
        "postal_code": "00940",
        "phone": "09 310 13001",
        "email": "ita@heka.example",
        "opening_hours": "ma-to 9-15, pe 9-12",
        "opening_hours_sv": "mån-tors 9-15, fre 9-12",
        "opening_hours_en": "Mon-Thu 9-15, Fri 9-12",
    },
    {
        "name": "Heka Länsi",
        "street_address": "Kannelmäentie 3",
        "postal_code": "00420",
        "phone": "09 310 13002",
        "email": "lansi@heka.example",
        "opening_hours": "ma-to 9-15",
        "opening_hours_sv": "mån-tors 9-15",
        "opening_hours_en": "Mon-Thu 9-15",
    },
]
_APARTMENTS = [
    {"building": "KONT7", "number": "A 5", "rooms": "3h+k", "area_m2": "71.5"},
    {"building": "KONT7", "number": "B 8", "rooms": "1h+kk", "area_m2": "32.0"},
    {"building": "MRT3", "number": "B 12", "rooms": "2h+k", "area_m2": "54.0"},
    {"building": "KANN12", "number": "A 2", "rooms": "2h+kk", "area_m2": "48.5"},
    {"building": "KANN12", "number": "C 3", "rooms": "3h+k", "area_m2": "68.0"},
]


def _persons() -> list[dict[str, Any]]:
    """The test persons of the development identity provider who are in the register, and the others."""
    test_persons: dict[str, TestPerson] = {person.key: person for person in TEST_PERSONS}
    persons = [
        {
            "external_id": role.external_id,
            "hetu": test_persons[role.key].hetu,
            "first_names": test_persons[role.key].first_names,
            "last_name": test_persons[role.key].last_name,
            "preferred_language": role.language,
            "email": role.login,
        }
        for role in DEMO_ROLES
        if role.external_id and role.key in test_persons
    ]
    return persons + [{"external_id": key, **values} for key, values in _OTHERS.items()]


# When each demo agreement started, in months before the current one.
_SHARED_START, _HELMI_START, _VIRTANEN_START, _FORMER_START = -37, -181, -60, -50


def _agreements(month: date) -> list[dict[str, Any]]:
    return [
        _agreement("V-2023-1041", "KONT7", "A 5", add_months(month, _SHARED_START), "912.40", ["DEMO-0001", "DEMO-0002"]),
        _agreement("V-2011-0388", "MRT3", "B 12", add_months(month, _HELMI_START), "688.10", ["DEMO-0009"]),
        _agreement("V-2021-0772", "KANN12", "C 3", add_months(month, _VIRTANEN_START), "804.00", ["DEMO-0101"]),
        _agreement("V-2026-1530", "KANN12", "A 2", add_months(month, 1), "745.60", ["DEMO-0006"], signed_on=month),
        {
            **_agreement("V-2022-0415", "KONT7", "B 8", add_months(month, _FORMER_START), "561.00", ["DEMO-0007"]),
            # Notice in a month ends the agreement at the end of the next month (TEN-6).
            "terminated_on": (add_months(month, -3) + timedelta(days=9)).isoformat(),
            "ends_on": (add_months(month, -1) - timedelta(days=1)).isoformat(),
        },
    ]


def _occupancies(month: date) -> list[dict[str, Any]]:
    return [
        {
            "person": "DEMO-0003",
            "building": "KONT7",
            "apartment": "A 5",
            "starts_on": add_months(month, _SHARED_START).isoformat(),
        },
        {
            "person": "DEMO-0004",
            "building": "MRT3",
            "apartment": "B 12",
            "starts_on": add_months(month, -8).isoformat(),
            "is_sublessee": True,
        },
        {
            "person": "DEMO-0102",
            "building": "KANN12",
            "apartment": "C 3",
            "starts_on": add_months(month, _VIRTANEN_START).isoformat(),
        },
    ]


def _invoices_and_payments(month: date) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rent is due on the 2nd; a tenant who pays pays the day before. Helmi Koskinen's last month
    is unpaid, and the Aaltonen-Korhonen household has a paid water invoice too."""
    invoices: list[dict[str, Any]] = []
    payments: list[dict[str, Any]] = []
    for number, rent, months, unpaid in (
        ("V-2023-1041", "912.40", (-2, -1, 0), {0}),
        ("V-2011-0388", "688.10", (-2, -1, 0), {-1, 0}),
        ("V-2021-0772", "804.00", (-1, 0), set()),
        ("V-2022-0415", "561.00", (-3, -2), set()),
    ):
        for offset in months:
            due_on = add_months(month, offset) + timedelta(days=1)
            invoice_number = f"L-{number[2:6]}{number[7:]}-{due_on:%Y%m}"
            invoices.append(
                {
                    "number": invoice_number,
                    "agreement": number,
                    "kind": "rent",
                    "period": f"{due_on.month}/{due_on.year}",
                    "due_on": due_on.isoformat(),
                    "amount": rent,
                    "reference_number": reference_number(f"{number[2:6]}{number[7:]}{due_on:%y%m}"),
                }
            )
            if offset not in unpaid:
                payments.append({"invoice": invoice_number, "paid_on": (due_on - timedelta(days=1)).isoformat(), "amount": rent})
    water_due = add_months(month, -1) + timedelta(days=14)
    invoices.append(
        {
            "number": f"L-20231041-W{water_due:%Y%m}",
            "agreement": "V-2023-1041",
            "kind": "water",
            "period": f"{add_months(water_due, -3):%m}-{add_months(water_due, -1):%m/%Y}",
            "due_on": water_due.isoformat(),
            "amount": "84.00",
            "reference_number": reference_number(f"20231041{water_due:%y%m}9"),
        }
    )
    payments.append({"invoice": invoices[-1]["number"], "paid_on": water_due.isoformat(), "amount": "84.00"})
    return invoices, payments


def _agreement(number: str, building: str, apartment: str, starts_on: date, rent: str, parties: list[str], *,
               signed_on: date | None = None) -> dict[str, Any]:  # fmt: skip
    rent_amount = Decimal(rent)
    return {
        "number": number,
        "building": building,
        "apartment": apartment,
        "signed_on": (signed_on or starts_on - timedelta(days=17)).isoformat(),
        "starts_on": starts_on.isoformat(),
        "rent": rent,
        "deposit": str(rent_amount * 2),
        "parties": parties,
    }


def _building(code: str, street: str, postal_code: str, region: str, district: str, sauna: tuple[str, str, str],
              waste: tuple[str, str, str]) -> dict[str, Any]:  # fmt: skip
    """A building row with its information for residents in Finnish, Swedish and English."""
    return {
        "code": code,
        "name": street,
        "street_address": street,
        "postal_code": postal_code,
        "region": region,
        "information": (
            f"{street}, {district}.\n\n"
            "Huoltoyhtiö: Kiinteistöhuolto Esimerkki Oy, puh. 09 123 4567 (arkisin 7-15). "
            "Kiireelliset viat muina aikoina: Hekan päivystys 09 5767 3100.\n"
            f"Yhteissauna: {sauna[0]}. Jätekatos: {waste[0]}.\n"
            "Saunavuorot ja autopaikat haetaan asukasportaalissa."
        ),
        "information_sv": (
            f"{street}, {district}.\n\n"
            "Fastighetsskötsel: Kiinteistöhuolto Esimerkki Oy, tfn 09 123 4567 (vardagar 7-15). "
            "Brådskande fel andra tider: Hekas jour 09 5767 3100.\n"
            f"Gemensam bastu: {sauna[1]}. Sopskjul: {waste[1]}.\n"
            "Bastuturer och bilplatser söker du på boendesidan."
        ),
        "information_en": (
            f"{street}, {district}.\n\n"
            "Property maintenance: Kiinteistöhuolto Esimerkki Oy, tel. 09 123 4567 (weekdays 7-15). "
            "Urgent defects at other times: Heka's on-call service 09 5767 3100.\n"
            f"Shared sauna: {sauna[2]}. Waste shelter: {waste[2]}.\n"
            "Sauna slots and parking spaces are booked in the Resident Portal."
        ),
    }


_BULLETINS: tuple[dict[str, Any], ...] = (
    {
        "title": "Tervetuloa asukasportaaliin",
        "body": "Asukasportaalissa näet vuokrasopimuksesi ja laskusi, teet vikailmoituksia ja varaat saunavuoroja.",
        "title_sv": "Välkommen till Hekas boendesida",
        "body_sv": "På boendesidan ser du ditt hyresavtal och dina fakturor, gör felanmälningar och bokar bastuturer.",
        "title_en": "Welcome to the Resident Portal",
        "body_en": "In the Resident Portal you see your rental agreement and invoices, report defects and book sauna slots.",
        "audience": Bulletin.Audience.EVERYONE,
    },
    {
        "title": "Heka Idän aluetoimiston aukioloajat joulun aikaan",
        "body": "Heka Idän aluetoimisto on suljettu 24.-26.12. Kiireellisissä vikatilanteissa soita huoltoyhtiön päivystykseen.",
        "title_sv": "Heka Östs regionbyrå under julen",
        "body_sv": "Regionbyrån Heka Öst är stängd 24-26.12. Ring fastighetsskötselns jour om det är ett brådskande fel.",
        "audience": Bulletin.Audience.REGIONS,
        "regions": ["Heka Itä"],
    },
    {
        "title": "Vesikatko Kannelmäentie 12:ssa",
        "body": "Talossa on vesikatko ensi tiistaina klo 9-12 putkiston huollon vuoksi. Varaathan vettä etukäteen.",
        "title_en": "Water cut at Kannelmäentie 12",
        "body_en": "The water is cut next Tuesday from 9 to 12 for pipe maintenance. Please keep some water in advance.",
        "audience": Bulletin.Audience.BUILDINGS,
        "buildings": ["KANN12"],
    },
)


def _bulletins(now: Any) -> int:
    added = 0
    for days_ago, spec in enumerate(_BULLETINS):
        values = {key: value for key, value in spec.items() if key not in ("regions", "buildings")}
        bulletin, created = Bulletin.objects.get_or_create(
            title=values.pop("title"), defaults={**values, "published_at": now - timedelta(days=2 * days_ago + 1)}
        )
        if created:
            bulletin.regions.set(RegionOffice.objects.filter(name__in=spec.get("regions", [])))
            bulletin.buildings.set(Building.objects.filter(code__in=spec.get("buildings", [])))
            added += 1
    return added


def _accounts() -> list[str]:
    """Ready accounts for some test persons; the others register through identification."""
    made = []
    persons = {person.external_id: person for person in Person.objects.filter(external_id__startswith="DEMO-")}
    for role in DEMO_ROLES:
        person = persons.get(role.external_id or "")
        if not role.login or person is None:
            continue
        if User.objects.filter(email__iexact=role.login).exists() or person.accounts.filter(is_active=True).exists():
            continue
        User.objects.create_user(role.login, DEMO_PASSWORD, person=person, language=role.language)
        made.append(role.login)
    if not User.objects.filter(email__iexact=STAFF_EMAIL).exists():
        User.objects.create_superuser(STAFF_EMAIL, DEMO_PASSWORD, language="fi")
        made.append(STAFF_EMAIL)
    for email, group, _work in STAFF_LOGINS:
        clerk = User.objects.filter(email__iexact=email).first()
        if clerk is None:
            clerk = User.objects.create_user(email, DEMO_PASSWORD, is_staff=True, language="fi")
            made.append(email)
        clerk.groups.add(Group.objects.get(name=group))
    return made


@dataclass
class DemoResult:
    register_changed: bool
    bulletins: int
    accounts: list[str]


@transaction.atomic
def demo_populate(*, today: date | None = None) -> DemoResult:
    """Fill the register, bulletins and accounts; a second run adds nothing (the rescue plans are
    the documents app's demo data).

    The staff groups must exist (`manage.py setup_groups`).
    """
    today = today or timezone.localdate()
    report = register_import(document=register_document(today))
    if report.errors:
        raise ValueError("The demo register does not pass the import checks: " + "; ".join(map(str, report.errors)))
    return DemoResult(
        register_changed=report.changed,
        bulletins=_bulletins(timezone.now()),
        accounts=_accounts(),
    )


def people_table() -> list[tuple[str, str, str]]:
    """(test person as the development identity provider names them, role, e-mail login) rows."""
    names = {person.key: f"{person.first_names} {person.last_name}" for person in TEST_PERSONS}
    rows = [(names.get(role.key, role.key), role.role, role.login or "—") for role in DEMO_ROLES]
    rows += suomifi_test_persons.people_rows()
    rows.append(("(staff) superuser", "all of the admin", STAFF_EMAIL))
    rows += [(f"(staff) {group.lower()}", f"admin, {group} group: {work}", email) for email, group, work in STAFF_LOGINS]
    return rows


def people_markdown() -> str:
    lines = [
        "# Demo people",
        "",
        "`bin/demo` (`manage.py demo_data`) fills the database with a small register in which each test person",
        "of the development identity provider holds a different role. Identify as them at the development",
        'identity provider ("Register as user" → "Identify yourself"), or log in with a ready account.',
        f"Every account's password is **{DEMO_PASSWORD}**.",
        "",
        "| Test person | Role | E-mail login |",
        "|---|---|---|",
    ]
    lines += [f"| {name} | {role} | {login} |" for name, role, login in people_table()]
    lines += [
        "",
        "Generated by `manage.py demo_data --markdown docs/demo-people.md`.",
        "",
    ]
    return "\n".join(lines)
