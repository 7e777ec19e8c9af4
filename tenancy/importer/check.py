"""Checking the rows against each other and against the register as it is."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from tenancy import hetu as hetu_codes
from tenancy.models import (
    Apartment,
    Building,
    Invoice,
    Person,
    RegionOffice,
    RentalAgreement,
)

from .rows import FORMAT, SECTIONS, ApartmentKey, Reader, Row, RowError, fetch_by, present
from .sections import READERS


@dataclass
class Interval:
    number: str
    starts_on: date
    ends_on: date | None
    row: Row | None = None  # None for an agreement only in the register


class Check:
    """Reads every section, then checks the rows against each other and against the register."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        self.rows: dict[str, list[Row]] = {name: [] for name in SECTIONS}
        # The register as it is, by natural key.
        self.regions: dict[str, RegionOffice] = {}
        self.buildings: dict[str, Building] = {}
        self.apartments: dict[ApartmentKey, Apartment] = {}
        self.persons: dict[str, Person] = {}
        self.persons_by_hash: dict[str, Person] = {}
        self.agreements: dict[str, RentalAgreement] = {}
        self.agreement_intervals: dict[ApartmentKey, list[Interval]] = defaultdict(list)
        self.invoices: dict[str, Invoice] = {}
        self.doubtful_apartments: set[ApartmentKey] = set()

    def error(self, row: Row, name: str, message: str) -> None:
        row.valid = False
        self.errors.append(RowError(row.section, row.number, name, message, row.label))

    # -- reading

    def read(self, document: dict[str, Any]) -> None:
        for name in sorted(set(document) - {*SECTIONS, "format", "exported_at"}):
            self.errors.append(RowError(name, 0, "", _("Unknown section.")))
        if document.get("format", FORMAT) != FORMAT:
            self.errors.append(RowError("format", 0, "", _("Expected %(format)s.") % {"format": FORMAT}))
        for section in SECTIONS:
            raw_rows = document.get(section, [])
            if not isinstance(raw_rows, list):
                self.errors.append(RowError(section, 0, "", _("A section must be a list of rows.")))
                continue
            read_row = READERS[section]
            keys: dict[Any, int] = {}
            for number, raw in enumerate(raw_rows, start=1):
                reader = Reader(self.errors, section, number, raw)
                read_row(reader)
                row = reader.finish()
                self.rows[section].append(row)
                if row.key is None:
                    continue
                if row.key in keys:
                    self.error(row, "", _("The same row as row %(row)d of this section.") % {"row": keys[row.key]})
                else:
                    keys[row.key] = number

    # -- the register as it is

    def _refs(self, section: str, name: str) -> set[Any]:
        return {row.refs[name] for row in self.rows[section] if present(row.refs.get(name))}

    def _keys(self, section: str) -> set[Any]:
        return {row.key for row in self.rows[section] if row.key is not None}

    def fetch_register(self) -> None:
        region_names = self._keys("region_offices") | self._refs("buildings", "region")
        self.regions = {obj.name: obj for obj in fetch_by(RegionOffice.objects, "name", region_names)}

        apartment_refs = self._refs("agreements", "apartment") | self._refs("occupancies", "apartment")
        building_codes = self._keys("buildings") | self._refs("apartments", "building") | {ref[0] for ref in apartment_refs}
        self.buildings = {obj.code: obj for obj in fetch_by(Building.objects, "code", building_codes)}
        code_by_building_id = {obj.pk: code for code, obj in self.buildings.items()}
        for apartment in fetch_by(Apartment.objects, "building_id", code_by_building_id):
            self.apartments[(code_by_building_id[apartment.building_id], apartment.number)] = apartment

        person_ids = self._keys("persons") | self._refs("occupancies", "person")
        person_ids |= self._refs("guardianships", "guardian") | self._refs("guardianships", "ward")
        for parties in self._refs_lists("agreements", "parties"):
            person_ids.update(parties)
        self.persons = {obj.external_id: obj for obj in fetch_by(Person.objects, "external_id", person_ids)}
        # OPS-5: while keys rotate a person may be stored under an older key; found by any, keyed by the current.
        current = {
            stored: hetu_codes.lookup_hash(code)
            for code in self._refs("persons", "hetu")
            for stored in hetu_codes.lookup_hashes(code)
        }
        self.persons_by_hash = {current[obj.hetu_hash]: obj for obj in fetch_by(Person.objects, "hetu_hash", current)}

        numbers = self._keys("agreements") | self._refs("invoices", "agreement")
        self.agreements = {obj.number: obj for obj in fetch_by(RentalAgreement.objects, "number", numbers)}
        # Every agreement of the apartments the file touches, to find overlaps and uncovered occupancies.
        key_by_apartment_id = {self.apartments[key].pk: key for key in apartment_refs if key in self.apartments}
        file_numbers = self._keys("agreements")
        fields = ("number", "apartment_id", "starts_on", "ends_on")
        for agreement in fetch_by(RentalAgreement.objects.only(*fields), "apartment_id", key_by_apartment_id):
            if agreement.number not in file_numbers:
                interval = Interval(agreement.number, agreement.starts_on, agreement.ends_on)
                self.agreement_intervals[key_by_apartment_id[agreement.apartment_id]].append(interval)

        invoice_numbers = self._keys("invoices") | self._refs("payments", "invoice")
        self.invoices = {obj.number: obj for obj in fetch_by(Invoice.objects, "number", invoice_numbers)}

    def _refs_lists(self, section: str, name: str) -> list[list[str]]:
        return [row.refs[name] for row in self.rows[section] if present(row.refs.get(name))]

    # -- rows against each other and against the register

    def _unknown(self, section: str, name: str, known: set[Any] | Any, message: str) -> None:
        for row in self.rows[section]:
            value = row.refs.get(name)
            if present(value) and value not in known:
                shown = " ".join(value) if isinstance(value, tuple) else value
                self.error(row, name, message % {"key": shown})

    def cross_check(self) -> None:
        self._unknown(
            "buildings", "region", self.regions.keys() | self._keys("region_offices"), _("Unknown region office %(key)s.")
        )
        self._unknown("apartments", "building", self.buildings.keys() | self._keys("buildings"), _("Unknown building %(key)s."))
        apartments = self.apartments.keys() | self._keys("apartments")
        # The key reads "building code, apartment number", e.g. "KONT7 A 5".
        self._unknown("agreements", "apartment", apartments, _("Unknown apartment %(key)s."))
        self._unknown("occupancies", "apartment", apartments, _("Unknown apartment %(key)s."))

        self._check_persons()
        birth_dates: dict[str | None, date | None] = {key: person.birth_date for key, person in self.persons.items()}
        for row in self.rows["persons"]:
            if row.key is None:
                continue
            born = row.values.get("birth_date", birth_dates.get(row.key))
            if born is None and row.valid:
                self.error(row, "birth_date", _("A new person needs a personal identity code or a birth date."))
            # A person row with errors is known, but its dates are not trusted for further checks.
            birth_dates[row.key] = born if row.valid else None

        unknown_person = _("Unknown person %(key)s.")
        for row in self.rows["agreements"]:
            for key in row.refs["parties"] if present(row.refs["parties"]) else ():
                if key not in birth_dates:
                    self.error(row, "parties", unknown_person % {"key": key})
        for section, name in (("occupancies", "person"), ("guardianships", "guardian"), ("guardianships", "ward")):
            self._unknown(section, name, birth_dates, unknown_person)

        def born_after(row: Row, person_ref: str) -> bool:
            born, starts_on = birth_dates.get(row.refs[person_ref]), row.value("starts_on")
            return born is not None and present(starts_on) and starts_on < born

        for row in self.rows["occupancies"]:
            if born_after(row, "person"):
                self.error(row, "starts_on", _("The person moves in before they are born."))
        for row in self.rows["guardianships"]:
            if born_after(row, "ward"):
                self.error(row, "starts_on", _("The guardianship starts before the ward is born."))

        self._check_agreement_overlaps()
        self._check_occupancies_covered()

        agreements = self.agreements.keys() | self._keys("agreements")
        self._unknown("invoices", "agreement", agreements, _("Unknown rental agreement %(key)s."))
        self._unknown("payments", "invoice", self.invoices.keys() | self._keys("invoices"), _("Unknown invoice %(key)s."))

    def _check_persons(self) -> None:
        first_row_by_hash: dict[str, int] = {}
        for row in self.rows["persons"]:
            digest = row.refs.get("hetu_hash")
            if digest is None:
                continue
            if digest in first_row_by_hash:
                self.error(row, "hetu", _("The same personal identity code as row %(row)d.") % {"row": first_row_by_hash[digest]})
                continue
            first_row_by_hash[digest] = row.number
            holder = self.persons_by_hash.get(digest)
            if holder is None or row.key is None:
                continue
            match = self.persons.get(row.key)
            if match is None and holder.external_id is None:
                # A person entered by hand before the ERP knew them: the file links them to their ERP id.
                self.persons[row.key] = holder
            elif match is None or match.pk != holder.pk:
                self.error(
                    row,
                    "hetu",
                    _("The personal identity code belongs to another person in the register (ERP id %(id)s).")
                    % {"id": holder.external_id or "—"},
                )

    def _check_agreement_overlaps(self) -> None:
        intervals = self.agreement_intervals
        for row in self.rows["agreements"]:
            starts_on, ends_on, apartment = row.value("starts_on"), row.value("ends_on"), row.refs["apartment"]
            if present(apartment) and not row.valid:
                # Its own errors are reported; the occupants of the apartment are not blamed for them.
                self.doubtful_apartments.add(apartment)
            if row.valid and present(starts_on, apartment):
                intervals[apartment].append(Interval(row.key or "?", starts_on, ends_on if present(ends_on) else None, row))
        for (building, number), found in intervals.items():
            furthest: Interval | None = None
            for interval in sorted(found, key=lambda item: (item.starts_on, item.number)):
                if furthest is not None and (furthest.ends_on is None or interval.starts_on <= furthest.ends_on):
                    report_on, other = (interval, furthest) if interval.row is not None else (furthest, interval)
                    if report_on.row is not None:
                        message = _("Overlaps agreement %(other)s (%(start)s to %(end)s) of the same apartment %(apartment)s.")
                        self.error(
                            report_on.row,
                            "starts_on",
                            message
                            % {
                                "other": other.number,
                                "start": other.starts_on,
                                "end": other.ends_on or "…",
                                "apartment": f"{building} {number}",
                            },
                        )
                if furthest is None or (
                    furthest.ends_on is not None and (interval.ends_on is None or interval.ends_on > furthest.ends_on)
                ):
                    furthest = interval

    def _check_occupancies_covered(self) -> None:
        apartments = self.apartments.keys() | self._keys("apartments")
        for row in self.rows["occupancies"]:
            starts_on, ends_on, apartment = row.value("starts_on"), row.value("ends_on"), row.refs["apartment"]
            if not present(starts_on, apartment) or apartment not in apartments or apartment in self.doubtful_apartments:
                continue
            covered = any(
                (interval.ends_on is None or interval.ends_on >= starts_on)
                and (not present(ends_on) or interval.starts_on <= ends_on)
                for interval in self.agreement_intervals.get(apartment, ())
            )
            if not covered:
                self.error(row, "starts_on", _("No rental agreement of the apartment covers this period."))
