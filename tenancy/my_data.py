"""The readable "My data" page (X-10): the same export as the JSON file (tenancy.export), shown as
headed sections with labels and values in the reader's language, and the photos as one zip file.

The export stays the one source: a key an app adds to its `export_for_person` appears here too,
labelled from `LABELS` (a test requires every key to have a label) and, for coded values such as a
status, with the label of the model field's choice.
"""

import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from importlib import import_module
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

from .export import EXPORT_MODULE
from .models import Person

FILES_FUNCTION = "files_for_person"

LABELS: dict[str, Promise] = {
    # the parts of the export
    "tenancy": _("Tenancy"),
    "servicerequests": _("Requests to Heka"),
    "bookings": _("Booking"),
    "person": _("Your details"),
    "accounts": _("User accounts"),
    "agreements": _("Rental agreements"),
    "invoices": _("Invoices"),
    "payments": _("Payments"),
    "occupancies": _("Register of occupants"),
    "guardianships": _("Guardianships"),
    "occupant_change_notices": _("Notices of moving in or out"),
    "termination_notices": _("Notices of termination"),
    "bulletins_read": _("Bulletins you have read"),
    "personal_data_views_by_staff": _("When staff viewed your identity code or bank account"),
    "defect_notifications": _("Defect notifications"),
    "messages": _("Messages"),
    "service_requests": _("Service requests"),
    "drafts": _("Drafts kept for you"),
    "reservations": _("Booking requests and reservations"),
    "timeline": _("Handling"),
    "details": _("Details"),
    "data": _("What you had typed"),
    # fields
    "first_names": _("First names"),
    "last_name": _("Last name"),
    "birth_date": _("Birth date"),
    "identity_code": _("Personal identity code"),
    "preferred_language": _("Language"),
    "language": _("Language"),
    "email": _("E-mail"),
    "phone": _("Phone"),
    "street_address": _("Street address"),
    "postal_code": _("Postal code"),
    "city": _("City"),
    "bank_account": _("Bank account number"),
    "active": _("In use"),
    "joined": _("Created"),
    "last_login": _("Last login"),
    "number": _("Number"),
    "apartment": _("Apartment"),
    "signed_on": _("Signed on"),
    "starts_on": _("Starts on"),
    "ends_on": _("Ends on"),
    "monthly_rent": _("Monthly rent"),
    "deposit": _("Deposit"),
    "kind": _("Kind"),
    "period": _("Period"),
    "due_on": _("Due date"),
    "amount": _("Amount"),
    "reference_number": _("Reference number"),
    "paid_on": _("Paid on"),
    "moved_in_on": _("Moved in on"),
    "last_day": _("Last day"),
    "sublessee": _("Sublessee"),
    "role": _("Role"),
    "other_person": _("Other person"),
    "agreement": _("Agreement"),
    "change": _("Change"),
    "person_moving": _("Person moving"),
    "moves_on": _("Date of the move"),
    "status": _("Status"),
    "sent_at": _("Sent"),
    "notice_date": _("Notice given on"),
    "new_address": _("New address"),
    "message": _("Message"),
    "title": _("Title"),
    "published_at": _("Published"),
    "read_at": _("Read"),
    "what": _("What"),
    "at": _("When"),
    "on_behalf_of": _("On behalf of"),
    "text": _("Text"),
    "category": _("Category"),
    "location": _("Location"),
    "location_details": _("Location in more detail"),
    "description": _("Description"),
    "master_key_allowed": _("May enter with a master key"),
    "has_pets": _("Pets in the apartment"),
    "pets_details": _("About the pets"),
    "photos": _("Photos"),
    "subject": _("Subject"),
    "key_type": _("Key"),
    "key_count": _("Number of keys"),
    "type": _("Type"),
    "form": _("Form"),
    "saved_at": _("Saved"),
    "booked": _("Booked"),
    "electric_car": _("Electric car"),
    "disabled_parking_permit": _("Disabled parking permit"),
    "willing_to_take_another_time": _("Willing to take another day or time"),
    "wanted_start": _("Wanted start"),
    "requested_at": _("Requested"),
}
# Keys whose values are written in the export's own words (labels or typed text), not as keys.
FREE_FORM = frozenset({"details", "data"})
# Export keys that hold a model field's choice under another name.
CHOICE_FIELDS = {"change": "kind", "language": "preferred_language"}
ROLES = {"guardian": _("guardian"), "ward": _("ward")}
EXPORTING_APPS = ("tenancy", "servicerequests", "bookings", "accounts")


@dataclass
class Entry:
    """One label and either a value shown as text, or entries (a group), or items (a list)."""

    label: str
    text: str = ""
    entries: list["Entry"] = field(default_factory=list)
    items: list["Entry"] = field(default_factory=list)
    values: list[str] = field(default_factory=list)

    @property
    def is_group(self) -> bool:
        return bool(self.entries or self.items or self.values) or not self.text

    @property
    def blocks(self) -> list[tuple[str, list["Entry"]]]:
        """The entries in their order: runs of plain values as ("facts", entries), groups as ("group", [entry])."""
        blocks: list[tuple[str, list[Entry]]] = []
        for entry in self.entries:
            if entry.is_group:
                blocks.append(("group", [entry]))
            elif blocks and blocks[-1][0] == "facts":
                blocks[-1][1].append(entry)
            else:
                blocks.append(("facts", [entry]))
        return blocks


def _choice_labels() -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = {}
    for config in apps.get_app_configs():
        if config.label not in EXPORTING_APPS:
            continue
        for model in config.get_models():
            for model_field in model._meta.get_fields():
                for code, label in getattr(model_field, "flatchoices", None) or ():
                    labels.setdefault(model_field.name, {})[str(code)] = str(label)
    labels["role"] = {code: str(label) for code, label in ROLES.items()}
    return labels


def label_for(key: str) -> str:
    if key in LABELS:
        return str(LABELS[key])
    return key if " " in key or key[:1].isupper() else key.replace("_", " ").capitalize()


def _text(key: str, value: Any, choices: dict[str, dict[str, str]]) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):  # every amount of the export is in euros
        return f"{formats.number_format(value, 2, use_l10n=True)} €"
    text = str(value)
    coded = choices.get(CHOICE_FIELDS.get(key, key), {})
    return coded.get(text, text)


def _entry(key: str, value: Any, choices: dict[str, dict[str, str]], *, free_form: bool = False) -> Entry:
    label = key if free_form else label_for(key)
    inner_free = free_form or key in FREE_FORM
    if isinstance(value, dict):
        return Entry(label, entries=[_entry(k, v, choices, free_form=inner_free) for k, v in value.items()])
    if isinstance(value, list):
        if all(not isinstance(item, dict | list) for item in value):
            return Entry(label, values=[_text(key, item, choices) for item in value], text="" if value else "—")
        items = [
            Entry(f"{index}.", entries=[_entry(k, v, choices, free_form=inner_free) for k, v in item.items()])
            for index, item in enumerate(value, start=1)
            if isinstance(item, dict)
        ]
        return Entry(label, items=items)
    return Entry(label, text=_text(key, value, choices))


def readable(export: dict[str, Any]) -> list[Entry]:
    """The parts of the export as entries; the `exported_at` and `service` stamps are left to the page."""
    choices = _choice_labels()
    return [_entry(key, value, choices) for key, value in export.items() if key not in ("exported_at", "service")]


# -- the photo file ------------------------------------------------------------------------------


def files_for(person: Person) -> Iterator[tuple[str, FieldFile]]:
    """(name in the zip, stored file) of every file an app holds about the person, by app."""
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, EXPORT_MODULE):
            continue
        function = getattr(import_module(f"{config.name}.{EXPORT_MODULE}"), FILES_FUNCTION, None)
        if callable(function):
            yield from function(person)


def zip_of(files: Iterable[tuple[str, FieldFile]]) -> IO[bytes]:
    """A zip of the files in a temporary file (photos may be many MB: not held in memory); a file
    gone from storage is left out. Photos are already compressed, so they are stored as they are."""
    spool = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)  # noqa: SIM115 (returned)
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, stored in files:
            try:
                with stored.open("rb") as source, archive.open(name, "w") as target:
                    while chunk := source.read(1024 * 1024):
                        target.write(chunk)
            except FileNotFoundError:
                continue
    spool.seek(0)
    return spool
