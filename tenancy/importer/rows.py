"""Rows of the export as read, and the reading of one row's fields with an error for each bad one."""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator, validate_email
from django.db import models
from django.utils.translation import gettext as _

FORMAT = "heka-register/1"
SECTIONS = (
    "region_offices",
    "buildings",
    "apartments",
    "persons",
    "agreements",
    "occupancies",
    "guardianships",
    "invoices",
    "payments",
)
COUNTED = (*SECTIONS[:5], "agreement_parties", *SECTIONS[5:])
CHUNK = 1000
BATCH = 500

ApartmentKey = tuple[str, str]  # (building code, apartment number)


@dataclass(frozen=True)
class RowError:
    section: str
    row: int  # counted from 1 within the section; 0 for the file or the section as a whole
    field: str
    message: str
    key: str = ""

    def __str__(self) -> str:
        where = self.section
        if self.row:
            where = _("%(section)s row %(row)d") % {"section": self.section, "row": self.row}
        if self.key:
            where = f"{where} ({self.key})"
        return f"{where}, {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


def chunks(keys: Iterable[Any]) -> Iterator[list[Any]]:
    keys = list(keys)
    for start in range(0, len(keys), CHUNK):
        yield keys[start : start + CHUNK]


def fetch_by(queryset: models.QuerySet | models.Manager, lookup: str, keys: Iterable[Any]) -> Iterator[Any]:
    for chunk in chunks(keys):
        yield from queryset.filter(**{f"{lookup}__in": chunk})


class _Missing:
    """A value that could not be read; its error is recorded, and the row will not be written."""


MISSING: Any = _Missing()
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def finnish_reference_ok(value: str) -> bool:
    if not value.isdigit() or not 4 <= len(value) <= 20:
        return False
    weights = (7, 3, 1)
    total = sum(int(digit) * weights[i % 3] for i, digit in enumerate(reversed(value[:-1])))
    return (10 - total % 10) % 10 == int(value[-1])


@dataclass
class Row:
    section: str
    number: int
    key: Any = None
    label: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    refs: dict[str, Any] = field(default_factory=dict)
    valid: bool = True

    def value(self, name: str) -> Any:
        """What was read for `name`: None when nothing was."""
        return self.values.get(name)


class Reader:
    """Reads the fields of one row, recording an error for each bad one."""

    def __init__(self, errors: list[RowError], section: str, number: int, raw: object) -> None:
        self.errors = errors
        self.row = Row(section, number)
        self.raw = raw if isinstance(raw, dict) else {}
        self.asked: set[str] = set()
        if not isinstance(raw, dict):
            self.error("", _("Each row must be a JSON object with named fields."))

    def error(self, name: str, message: str) -> None:
        self.row.valid = False
        self.errors.append(RowError(self.row.section, self.row.number, name, message, self.row.label))

    def get(self, name: str, *, required: bool = False) -> Any:
        """The raw value; None when absent or empty, MISSING (after an error) when also required."""
        self.asked.add(name)
        value = self.raw.get(name)
        if value is None or value == "":
            if required:
                self.error(name, _("This field is required."))
                return MISSING
            return None
        return value

    def text(self, name: str, model_field: models.Field | None = None, *, required: bool = False) -> Any:
        value = self.get(name, required=required)
        if value is MISSING or value is None:
            return "" if value is None else MISSING
        if not isinstance(value, str):
            self.error(name, _("Must be text (in quotes)."))
            return MISSING
        value = value.strip()
        if not value and required:
            self.error(name, _("This field is required."))
            return MISSING
        limit = getattr(model_field, "max_length", None)
        if limit and len(value) > limit:
            self.error(name, _("At most %(limit)d characters.") % {"limit": limit})
            return MISSING
        return value

    def day(self, name: str, *, required: bool = False) -> Any:
        value = self.get(name, required=required)
        if value is MISSING or value is None:
            return value
        try:
            if not isinstance(value, str) or not _DATE.fullmatch(value):
                raise ValueError
            parsed = date.fromisoformat(value)
        except ValueError:
            self.error(name, _("Must be a date written YYYY-MM-DD."))
            return MISSING
        if not 1900 <= parsed.year <= 2100:
            self.error(name, _("The year %(year)d is not plausible.") % {"year": parsed.year})
            return MISSING
        return parsed

    def amount(
        self, name: str, model_field: models.DecimalField, *, required: bool = False, minimum: Decimal | None = None
    ) -> Any:
        value = self.get(name, required=required)
        if value is MISSING or value is None:
            return value
        try:
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                raise InvalidOperation
            parsed = Decimal(str(value).strip())
            if not parsed.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            self.error(name, _("Must be a number such as 850.00."))
            return MISSING
        try:
            DecimalValidator(model_field.max_digits, model_field.decimal_places)(parsed)
        except ValidationError as error:
            self.error(name, " ".join(error.messages))
            return MISSING
        if minimum is not None and parsed < minimum:
            self.error(name, _("Must be at least %(minimum)s.") % {"minimum": minimum})
            return MISSING
        return parsed

    def flag(self, name: str) -> Any:
        value = self.get(name)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.error(name, _("Must be true or false."))
            return MISSING
        return value

    def choice(self, name: str, choices: Iterable[tuple[str, Any]], *, default: str | None = None) -> Any:
        value = self.text(name)
        if value is MISSING or value == "":
            return default if default is not None else value
        allowed = [code for code, _label in choices]
        if value not in allowed:
            self.error(name, _("Must be one of: %(allowed)s.") % {"allowed": ", ".join(allowed)})
            return MISSING
        return value

    def email(self, name: str, model_field: models.Field, *, required: bool = False) -> Any:
        value = self.text(name, model_field, required=required)
        if value:
            try:
                validate_email(value)
            except ValidationError:
                self.error(name, _("Enter a valid e-mail address."))
                return MISSING
        return value

    def keys(self, name: str) -> Any:
        value = self.get(name, required=True)
        if value is MISSING:
            return MISSING
        if not isinstance(value, list) or not value or not all(isinstance(item, str) and item.strip() for item in value):
            self.error(name, _("Must be a list of one or more ERP person ids."))
            return MISSING
        keys = [item.strip() for item in value]
        if len(set(keys)) != len(keys):
            self.error(name, _("The same person is listed twice."))
            return MISSING
        return keys

    def finish(self) -> Row:
        for name in sorted(set(self.raw) - self.asked):
            self.error(name, _("Unknown field."))
        return self.row


def present(*values: Any) -> bool:
    """Whether every value was read without an error and is there."""
    return all(value is not MISSING and value is not None and value != "" for value in values)


def model_field(model: type[models.Model], name: str) -> Any:
    return model._meta.get_field(name)


def keep(row: Row, **values: Any) -> None:
    """Keep the values that were read without an error, as the model fields' new values."""
    for name, value in values.items():
        if value is not MISSING:
            row.values[name] = value


@dataclass
class SectionCount:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    # Of the updated rows: agreements, occupancies and guardianships that were open and now end.
    ended: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)
