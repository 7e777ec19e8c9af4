"""Writing a checked file: upserts by natural key, in bulk."""

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from tenancy.access_cache import register_changed
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

from .check import Check
from .rows import BATCH, Row, SectionCount, chunks, fetch_by


class Writer:
    def __init__(self, check: Check, counts: dict[str, SectionCount]) -> None:
        self.check = check
        self.rows = check.rows
        self.counts = counts

    def write(self) -> None:
        check = self.check
        regions = self._upsert("region_offices", RegionOffice, check.regions)
        region_ids = {name: obj.pk for name, obj in {**check.regions, **regions}.items()}

        for row in self.rows["buildings"]:
            row.values["region_id"] = region_ids[row.refs["region"]]
        buildings = {**check.buildings, **self._upsert("buildings", Building, check.buildings)}

        for row in self.rows["apartments"]:
            row.values["building_id"] = buildings[row.refs["building"]].pk
        apartments = {**check.apartments, **self._upsert("apartments", Apartment, check.apartments)}

        persons = {**check.persons, **self._upsert("persons", Person, check.persons, also_set=_person_hetu)}
        person_ids = {key: obj.pk for key, obj in persons.items()}

        for row in self.rows["agreements"]:
            row.values["apartment_id"] = apartments[row.refs["apartment"]].pk
        agreements = {**check.agreements, **self._upsert("agreements", RentalAgreement, check.agreements)}
        self._write_parties(agreements, person_ids)

        existing_occupancies = {}
        for occupancy in fetch_by(
            Occupancy.objects, "person_id", {person_ids[row.refs["person"]] for row in self.rows["occupancies"]}
        ):
            existing_occupancies[(occupancy.person_id, occupancy.apartment_id, occupancy.starts_on)] = occupancy
        for row in self.rows["occupancies"]:
            row.values.update(person_id=person_ids[row.refs["person"]], apartment_id=apartments[row.refs["apartment"]].pk)
            row.key = (row.values["person_id"], row.values["apartment_id"], row.values["starts_on"])
        self._upsert("occupancies", Occupancy, existing_occupancies)

        existing_guardianships = {}
        for link in fetch_by(
            Guardianship.objects, "ward_id", {person_ids[row.refs["ward"]] for row in self.rows["guardianships"]}
        ):
            existing_guardianships[(link.guardian_id, link.ward_id, link.starts_on)] = link
        for row in self.rows["guardianships"]:
            row.values.update(guardian_id=person_ids[row.refs["guardian"]], ward_id=person_ids[row.refs["ward"]])
            row.key = (row.values["guardian_id"], row.values["ward_id"], row.values["starts_on"])
        self._upsert("guardianships", Guardianship, existing_guardianships)

        for row in self.rows["invoices"]:
            row.values["agreement_id"] = agreements[row.refs["agreement"]].pk
        invoices = {**check.invoices, **self._upsert("invoices", Invoice, check.invoices)}
        self._write_payments(invoices)
        # PRF-1: bulk writes send no signal; kept access decisions end when the import commits.
        register_changed()

    def _upsert(
        self,
        section: str,
        model: type[Any],
        existing: dict[Any, Any],
        *,
        also_set: Callable[[Any, Row], list[str]] | None = None,
    ) -> dict[Any, Any]:
        count = self.counts[section]
        written: dict[Any, Any] = {}
        to_create, to_update, changed_fields = [], [], set()
        for row in self.rows[section]:
            obj = existing.get(row.key)
            if obj is None:
                obj = model(**row.values)
                if also_set:
                    also_set(obj, row)
                to_create.append(obj)
            else:
                changed = [name for name, value in row.values.items() if getattr(obj, name) != value]
                if "ends_on" in changed and obj.ends_on is None:
                    count.ended += 1
                for name in changed:
                    setattr(obj, name, row.values[name])
                if also_set:
                    changed += also_set(obj, row)
                if changed:
                    to_update.append(obj)
                    changed_fields.update(changed)
                else:
                    count.unchanged += 1
            written[row.key] = obj
        model.objects.bulk_create(to_create, batch_size=BATCH)
        if to_update:
            model.objects.bulk_update(to_update, sorted(changed_fields), batch_size=BATCH)
        count.created += len(to_create)
        count.updated += len(to_update)
        return written

    def _write_parties(self, agreements: dict[str, RentalAgreement], person_ids: dict[str, int]) -> None:
        count = self.counts["agreement_parties"]
        wanted = {agreements[row.key].pk: {person_ids[key] for key in row.refs["parties"]} for row in self.rows["agreements"]}
        current: dict[int, dict[int, int]] = defaultdict(dict)
        for link in fetch_by(AgreementParty.objects, "agreement_id", wanted):
            current[link.agreement_id][link.person_id] = link.pk
        to_create, to_remove = [], []
        for agreement_id, people in wanted.items():
            have = current[agreement_id]
            to_create += [AgreementParty(agreement_id=agreement_id, person_id=pk) for pk in people - have.keys()]
            to_remove += [link_pk for person_id, link_pk in have.items() if person_id not in people]
            count.unchanged += len(people & have.keys())
        for chunk in chunks(to_remove):
            AgreementParty.objects.filter(pk__in=chunk).delete()
        AgreementParty.objects.bulk_create(to_create, batch_size=BATCH)
        count.created += len(to_create)
        count.removed += len(to_remove)

    def _write_payments(self, invoices: dict[str, Invoice]) -> None:
        """The payments the file lists for an invoice it names are all of that invoice's payments."""
        count = self.counts["payments"]
        named = {row.key for row in self.rows["invoices"]} | {row.refs["invoice"] for row in self.rows["payments"]}
        wanted: dict[int, Counter[tuple[date, Decimal]]] = {invoices[number].pk: Counter() for number in named}
        for row in self.rows["payments"]:
            wanted[invoices[row.refs["invoice"]].pk][(row.values["paid_on"], row.values["amount"])] += 1
        current: dict[int, dict[tuple[date, Decimal], list[int]]] = defaultdict(lambda: defaultdict(list))
        for payment in fetch_by(Payment.objects.order_by("pk"), "invoice_id", wanted):
            current[payment.invoice_id][(payment.paid_on, payment.amount)].append(payment.pk)
        to_create, to_remove = [], []
        for invoice_id, payments in wanted.items():
            have = current[invoice_id]
            for key in payments.keys() | have.keys():
                listed, stored = payments[key], have.get(key, [])
                count.unchanged += min(listed, len(stored))
                to_create += [Payment(invoice_id=invoice_id, paid_on=key[0], amount=key[1]) for _i in range(listed - len(stored))]
                to_remove += stored[listed:]
        for chunk in chunks(to_remove):
            Payment.objects.filter(pk__in=chunk).delete()
        Payment.objects.bulk_create(to_create, batch_size=BATCH)
        count.created += len(to_create)
        count.removed += len(to_remove)


def _person_hetu(person: Person, row: Row) -> list[str]:
    """Set the identity code through `Person.set_hetu` when it is new or changed.

    The encrypted copy differs at each encryption, so an unchanged code is recognised by its hash
    and left alone; otherwise every import would rewrite every person.
    """
    code = row.refs.get("hetu")
    if code is None or person.hetu_hash == row.refs["hetu_hash"]:
        return []
    person.set_hetu(code)
    return ["hetu_hash", "hetu_encrypted", "birth_date"]
