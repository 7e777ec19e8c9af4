"""Reading each section's rows: the fields, their types and the checks within one row."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import iso11649

from tenancy import hetu as hetu_codes
from tenancy.models import (
    Apartment,
    Building,
    Invoice,
    Payment,
    Person,
    RegionOffice,
    RentalAgreement,
)
from tenancy.validators import normalize_iban

from .rows import MISSING, Reader, finnish_reference_ok, keep, model_field, present


def set_key(reader: Reader, key: Any, label: str) -> None:
    if present(*(key if isinstance(key, tuple) else (key,))):
        reader.row.key, reader.row.label = key, label


def read_region_offices(r: Reader) -> None:
    name = r.text("name", model_field(RegionOffice, "name"), required=True)
    set_key(r, name, str(name))
    keep(
        r.row,
        name=name,
        street_address=r.text("street_address", model_field(RegionOffice, "street_address"), required=True),
        postal_code=r.text("postal_code", model_field(RegionOffice, "postal_code"), required=True),
        city=r.text("city", model_field(RegionOffice, "city")) or "Helsinki",
        phone=r.text("phone", model_field(RegionOffice, "phone"), required=True),
        email=r.email("email", model_field(RegionOffice, "email"), required=True),
        opening_hours=r.text("opening_hours", model_field(RegionOffice, "opening_hours")),
        opening_hours_sv=r.text("opening_hours_sv", model_field(RegionOffice, "opening_hours_sv")),
        opening_hours_en=r.text("opening_hours_en", model_field(RegionOffice, "opening_hours_en")),
    )


def read_buildings(r: Reader) -> None:
    code = r.text("code", model_field(Building, "code"), required=True)
    set_key(r, code, str(code))
    r.row.refs["region"] = r.text("region", model_field(RegionOffice, "name"), required=True)
    keep(
        r.row,
        code=code,
        name=r.text("name", model_field(Building, "name"), required=True),
        street_address=r.text("street_address", model_field(Building, "street_address"), required=True),
        postal_code=r.text("postal_code", model_field(Building, "postal_code"), required=True),
        city=r.text("city", model_field(Building, "city")) or "Helsinki",
    )
    # Content editors keep the information text in the admin; the file overwrites it only when it has the key.
    for name in ("information", "information_sv", "information_en"):
        if name in r.raw:
            keep(r.row, **{name: r.text(name, model_field(Building, name))})
        r.asked.add(name)


def read_apartment_ref(r: Reader, building_field: str, number_field: str) -> Any:
    building = r.text(building_field, model_field(Building, "code"), required=True)
    number = r.text(number_field, model_field(Apartment, "number"), required=True)
    return (building, number) if present(building, number) else MISSING


def read_apartments(r: Reader) -> None:
    key = read_apartment_ref(r, "building", "number")
    if present(key):
        set_key(r, key, f"{key[0]} {key[1]}")
        r.row.refs["building"] = key[0]
        r.row.values["number"] = key[1]
    keep(
        r.row,
        rooms=r.text("rooms", model_field(Apartment, "rooms")),
        area_m2=r.amount("area_m2", model_field(Apartment, "area_m2"), minimum=Decimal(0)),
    )


def read_persons(r: Reader) -> None:
    external_id = r.text("external_id", model_field(Person, "external_id"), required=True)
    set_key(r, external_id, str(external_id))
    code = r.text("hetu")
    if code:
        try:
            code = hetu_codes.normalize(code)
        except ValidationError:
            # The value itself is never repeated: it is a personal identity code, even when mistyped.
            r.error("hetu", _("Not a valid Finnish personal identity code (the check character does not match)."))
            code = None
    birth_date = r.day("birth_date")
    if code:
        if present(birth_date) and birth_date != hetu_codes.birth_date(code):
            r.error("birth_date", _("Does not agree with the personal identity code."))
        birth_date = hetu_codes.birth_date(code)
        r.row.refs["hetu"] = code
        r.row.refs["hetu_hash"] = hetu_codes.lookup_hash(code)
    if present(birth_date) and birth_date > timezone.localdate():
        r.error("birth_date", _("The birth date is in the future."))
    keep(
        r.row,
        external_id=external_id,
        first_names=r.text("first_names", model_field(Person, "first_names"), required=True),
        last_name=r.text("last_name", model_field(Person, "last_name"), required=True),
        birth_date=birth_date if present(birth_date) else MISSING,
    )
    # Residents keep their contact details and bank account in the portal (TEN-2): a key the
    # file leaves out is left as it is in the register.
    for name in ("preferred_language", "email", "phone", "street_address", "postal_code", "city", "iban"):
        if name not in r.raw:
            continue
        if name == "preferred_language":
            value = r.choice(name, model_field(Person, name).choices, default="fi")
        elif name == "email":
            value = r.email(name, model_field(Person, name))
        else:
            value = r.text(name, model_field(Person, name))
        if name == "iban" and value:
            try:
                value = normalize_iban(value)
            except ValidationError:
                # Not repeated either: a bank account number is personal data.
                r.error("iban", _("Not a valid IBAN bank account number."))
                value = MISSING
        keep(r.row, **{name: value})


def read_agreements(r: Reader) -> None:
    number = r.text("number", model_field(RentalAgreement, "number"), required=True)
    set_key(r, number, str(number))
    r.row.refs["apartment"] = read_apartment_ref(r, "building", "apartment")
    r.row.refs["parties"] = r.keys("parties")
    signed_on, starts_on = r.day("signed_on"), r.day("starts_on", required=True)
    ends_on, terminated_on = r.day("ends_on"), r.day("terminated_on")
    if present(starts_on, ends_on) and ends_on < starts_on:
        r.error("ends_on", _("The agreement ends before it starts."))
    if present(starts_on, signed_on) and signed_on > starts_on:
        r.error("signed_on", _("The agreement is signed after it starts."))
    if present(terminated_on):
        if signed_on is None:
            r.error("terminated_on", _("An agreement that is not signed cannot be terminated."))
        elif present(signed_on) and terminated_on < signed_on:
            r.error("terminated_on", _("Notice is given before the agreement is signed."))
        if ends_on is None:
            r.error("ends_on", _("A terminated agreement needs the day it ends."))
        elif present(ends_on) and terminated_on > ends_on:
            r.error("terminated_on", _("Notice is given after the agreement has ended."))
    keep(
        r.row,
        number=number,
        signed_on=signed_on,
        starts_on=starts_on,
        ends_on=ends_on,
        terminated_on=terminated_on,
        rent=r.amount("rent", model_field(RentalAgreement, "rent"), required=True, minimum=Decimal(0)),
        deposit=r.amount("deposit", model_field(RentalAgreement, "deposit"), minimum=Decimal(0)) or Decimal(0),
    )


def read_occupancies(r: Reader) -> None:
    person = r.text("person", model_field(Person, "external_id"), required=True)
    apartment = read_apartment_ref(r, "building", "apartment")
    starts_on, ends_on = r.day("starts_on", required=True), r.day("ends_on")
    if present(person, apartment, starts_on):
        set_key(r, (person, apartment, starts_on), f"{person}, {apartment[0]} {apartment[1]}, {starts_on}")
    if present(starts_on, ends_on) and ends_on < starts_on:
        r.error("ends_on", _("The last day is before the day of moving in."))
    r.row.refs.update(person=person, apartment=apartment)
    keep(r.row, starts_on=starts_on, ends_on=ends_on, is_sublessee=r.flag("is_sublessee"))


def read_guardianships(r: Reader) -> None:
    guardian = r.text("guardian", model_field(Person, "external_id"), required=True)
    ward = r.text("ward", model_field(Person, "external_id"), required=True)
    starts_on, ends_on = r.day("starts_on", required=True), r.day("ends_on")
    if present(guardian, ward, starts_on):
        set_key(r, (guardian, ward, starts_on), f"{guardian} → {ward}, {starts_on}")
    if present(guardian) and guardian == ward:
        r.error("ward", _("A person cannot be their own guardian."))
    if present(starts_on, ends_on) and ends_on < starts_on:
        r.error("ends_on", _("The guardianship ends before it starts."))
    r.row.refs.update(guardian=guardian, ward=ward)
    keep(r.row, starts_on=starts_on, ends_on=ends_on)


def read_invoices(r: Reader) -> None:
    number = r.text("number", model_field(Invoice, "number"), required=True)
    set_key(r, number, str(number))
    r.row.refs["agreement"] = r.text("agreement", model_field(RentalAgreement, "number"), required=True)
    reference = r.text("reference_number", model_field(Invoice, "reference_number"), required=True)
    if present(reference):
        reference = reference.replace(" ", "").upper()
        if not (finnish_reference_ok(reference) or iso11649.is_valid(reference)):
            r.error("reference_number", _("Not a valid Finnish or RF creditor reference (check digit)."))
    keep(
        r.row,
        number=number,
        kind=r.choice("kind", Invoice.Kind.choices, default=Invoice.Kind.RENT),
        period=r.text("period", model_field(Invoice, "period")),
        due_on=r.day("due_on", required=True),
        amount=r.amount("amount", model_field(Invoice, "amount"), required=True),
        reference_number=reference,
    )


def read_payments(r: Reader) -> None:
    invoice = r.text("invoice", model_field(Invoice, "number"), required=True)
    r.row.label = str(invoice) if present(invoice) else ""
    r.row.refs["invoice"] = invoice
    keep(
        r.row,
        paid_on=r.day("paid_on", required=True),
        amount=r.amount("amount", model_field(Payment, "amount"), required=True, minimum=Decimal("0.01")),
    )


READERS = {
    "region_offices": read_region_offices,
    "buildings": read_buildings,
    "apartments": read_apartments,
    "persons": read_persons,
    "agreements": read_agreements,
    "occupancies": read_occupancies,
    "guardianships": read_guardianships,
    "invoices": read_invoices,
    "payments": read_payments,
}
