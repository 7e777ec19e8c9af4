"""Who may see and do what, decided in one place from the tenancy register.

`access_for(person, on=day)` returns the grants a person holds on a day. Every page asks this
module; none reads roles from the register on its own.

The rules (SPEC section 1):
- main tenant: a party to a signed agreement in force (start day and end day included);
- occupant / sublessee: an entry in the register of occupants in force;
- future tenant: a party to a signed agreement that starts later. Seed 002 (later and more
  specific than seed 000) lets them register and log in as soon as the agreement is signed, to
  see only the start date;
- guardian: holds the grants of each ward, labelled with the ward (acting with the ward's rights);
  a guardian of a ward who is a main tenant therefore uses every main-tenant function of the
  ward's agreement (TEN-10), and what they send names the ward; a guardian of an occupant ward
  holds an occupant's rights only;
- anyone else (former tenant, mere applicant, unsigned agreement) holds no grant and may not
  register or log in.
"""

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AgreementParty, Apartment, Building, Guardianship, Occupancy, Person, RentalAgreement


class Role(StrEnum):
    MAIN_TENANT = "main_tenant"
    OCCUPANT = "occupant"
    SUBLESSEE = "sublessee"
    FUTURE_TENANT = "future_tenant"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.MAIN_TENANT: _("Main tenant"),
    Role.OCCUPANT: _("Occupant"),
    Role.SUBLESSEE: _("Sublessee"),
    Role.FUTURE_TENANT: _("Future tenant"),
}

RESIDENT_ROLES = frozenset({Role.MAIN_TENANT, Role.OCCUPANT, Role.SUBLESSEE})


class Refusal(StrEnum):
    """Why a person holds no grant; the message is chosen from this (ACC-10)."""

    FORMER_RESIDENT = "former_resident"
    NOT_IN_REGISTER = "not_in_register"


@dataclass(frozen=True)
class Grant:
    role: Role
    holder: Person  # whose rights these are: the person, or their ward
    apartment: Apartment
    agreement: RentalAgreement | None = None
    via_guardian: bool = False

    @property
    def building(self) -> Building:
        return self.apartment.building


@dataclass(frozen=True)
class MainTenancy:
    """An agreement whose signatory functions the person may use, and whose rights they use: their
    own, or a ward's (`via_guardian`). What they send on a ward's agreement names the ward."""

    agreement: RentalAgreement
    holder: Person
    via_guardian: bool

    @property
    def on_behalf_of(self) -> Person | None:
        """The ward, when the person acts with a ward's rights; None when they act in their own name."""
        return self.holder if self.via_guardian else None


@dataclass(frozen=True)
class Access:
    person: Person
    on: date
    grants: tuple[Grant, ...] = field(default_factory=tuple)

    @property
    def may_log_in(self) -> bool:
        return bool(self.grants)

    @property
    def is_resident(self) -> bool:
        return any(grant.role in RESIDENT_ROLES for grant in self.grants)

    @property
    def is_future_only(self) -> bool:
        return bool(self.grants) and not self.is_resident

    @property
    def future_start(self) -> date | None:
        starts = [grant.agreement.starts_on for grant in self.grants if grant.role is Role.FUTURE_TENANT and grant.agreement]
        return min(starts) if starts else None

    def roles(self) -> set[Role]:
        return {grant.role for grant in self.grants}

    def resident_grants(self) -> list[Grant]:
        return [grant for grant in self.grants if grant.role in RESIDENT_ROLES]

    def main_tenancies(self) -> list["MainTenancy"]:
        """The agreements whose signatory functions (TEN-3..TEN-7, SRQ-5, BKG-*) this person may use,
        one entry per agreement, with whose rights they act.

        A guardian acts with the rights of a ward who is a main tenant (TEN-10). Where the person
        is also a party to that agreement in their own right, their own right wins: they act in
        their own name, and nothing they send is marked as sent for the ward.
        """
        found: dict[int, MainTenancy] = {}
        for grant in self.grants:
            if grant.role is not Role.MAIN_TENANT or grant.agreement is None:
                continue
            current = found.get(grant.agreement.pk)
            if current is None or (current.via_guardian and not grant.via_guardian):
                found[grant.agreement.pk] = MainTenancy(grant.agreement, grant.holder, grant.via_guardian)
        return list(found.values())

    def main_tenancy(self, agreement_pk: int) -> "MainTenancy | None":
        """The main tenancy of one agreement, if this person may act on it."""
        return next((tenancy for tenancy in self.main_tenancies() if tenancy.agreement.pk == agreement_pk), None)

    @property
    def is_main_tenant(self) -> bool:
        return any(grant.role is Role.MAIN_TENANT for grant in self.grants)

    def building_ids(self) -> set[int]:
        return {grant.apartment.building_id for grant in self.resident_grants()}

    def wards_only(self) -> list[Person]:
        """The wards of a person who holds no grant of their own, only a guardian's (TEN-10), by
        name; nobody for everyone else. Pages use it to name the ward instead of saying "you"."""
        if not self.grants or not all(grant.via_guardian for grant in self.grants):
            return []
        wards = {grant.holder.pk: grant.holder for grant in self.grants}
        return sorted(wards.values(), key=lambda ward: ward.full_name)

    def holders(self) -> list[Person]:
        """The person and the wards whose rights they act with, the person first."""
        holders = {self.person.pk: self.person}
        for grant in self.grants:
            holders.setdefault(grant.holder.pk, grant.holder)
        return list(holders.values())


def today() -> date:
    return timezone.localdate()


def _in_force(prefix: str, day: date) -> Q:
    return Q(**{f"{prefix}starts_on__lte": day}) & (Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": day}))


def access_for(person: Person, *, on: date | None = None) -> Access:
    """The grants `person` holds on the day `on` (today by default). Three queries."""
    day = on or today()
    wards = {
        link.ward.pk: link.ward
        for link in Guardianship.objects.filter(_in_force("", day), guardian=person).select_related("ward")
    }
    holders = {person.pk: person, **wards}

    grants: list[Grant] = []
    parties = (
        AgreementParty.objects.filter(
            person_id__in=holders,
            agreement__signed_on__lte=day,
        )
        .filter(Q(agreement__ends_on__isnull=True) | Q(agreement__ends_on__gte=day))
        .select_related("agreement__apartment__building__region")
        .order_by("agreement__starts_on", "agreement_id")
    )
    for link in parties:
        agreement = link.agreement
        role = Role.MAIN_TENANT if agreement.starts_on <= day else Role.FUTURE_TENANT
        grants.append(
            Grant(role, holders[link.person_id], agreement.apartment, agreement, via_guardian=link.person_id != person.pk)
        )

    occupancies = (
        Occupancy.objects.filter(_in_force("", day), person_id__in=holders)
        .select_related("apartment__building__region")
        .order_by("starts_on", "pk")
    )
    for occupancy in occupancies:
        role = Role.SUBLESSEE if occupancy.is_sublessee else Role.OCCUPANT
        grants.append(
            Grant(role, holders[occupancy.person_id], occupancy.apartment, via_guardian=occupancy.person_id != person.pk)
        )
    return Access(person=person, on=day, grants=tuple(grants))


def refusal_for(person: Person | None, *, on: date | None = None) -> Refusal:
    """Why someone without grants is refused: a former resident, or not found in the register."""
    day = on or today()
    if person is not None and (
        AgreementParty.objects.filter(person=person, agreement__starts_on__lte=day).exists()
        or Occupancy.objects.filter(person=person, starts_on__lte=day).exists()
    ):
        return Refusal.FORMER_RESIDENT
    return Refusal.NOT_IN_REGISTER
