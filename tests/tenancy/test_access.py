"""The role table of SPEC section 1, at the boundary dates, and what each role may use."""

from datetime import date

import pytest

from tenancy.access import Refusal, Role, access_for, refusal_for
from tests.factories.tenancy import (
    AgreementPartyFactory,
    ApartmentFactory,
    GuardianshipFactory,
    OccupancyFactory,
    PersonFactory,
    RentalAgreementFactory,
)

SIGNED = date(2025, 12, 1)
START = date(2026, 1, 1)
END = date(2026, 6, 30)

BEFORE_SIGNING = date(2025, 11, 30)
DAY_BEFORE_START = date(2025, 12, 31)
DAY_AFTER_END = date(2026, 7, 1)


def _main_tenant(apartment):
    person = PersonFactory.create()
    agreement = RentalAgreementFactory(apartment=apartment, signed_on=SIGNED, starts_on=START, ends_on=END)
    AgreementPartyFactory(agreement=agreement, person=person)
    return person


def _unsigned_party(apartment):
    person = PersonFactory.create()
    agreement = RentalAgreementFactory(apartment=apartment, signed_on=None, starts_on=START, ends_on=END)
    AgreementPartyFactory(agreement=agreement, person=person)
    return person


def _occupant(apartment, *, sublessee=False):
    person = PersonFactory.create()
    OccupancyFactory(person=person, apartment=apartment, starts_on=START, ends_on=END, is_sublessee=sublessee)
    return person


def _guardian_of_occupant(apartment):
    ward = _occupant(apartment)
    guardian = PersonFactory.create()
    GuardianshipFactory(guardian=guardian, ward=ward, starts_on=date(2020, 1, 1))
    return guardian


def _guardian_of_main_tenant(apartment):
    ward = _main_tenant(apartment)
    guardian = PersonFactory.create()
    GuardianshipFactory(guardian=guardian, ward=ward, starts_on=date(2020, 1, 1))
    return guardian


def _guardianship_ending(apartment):
    """The ward lives there for years; the guardianship itself runs START..END."""
    ward = PersonFactory.create()
    OccupancyFactory(person=ward, apartment=apartment, starts_on=date(2020, 1, 1))
    guardian = PersonFactory.create()
    GuardianshipFactory(guardian=guardian, ward=ward, starts_on=START, ends_on=END)
    return guardian


def _applicant(apartment):
    return PersonFactory.create()


MAKERS = {
    "main tenant": _main_tenant,
    "party to an unsigned agreement": _unsigned_party,
    "occupant": _occupant,
    "sublessee": lambda apartment: _occupant(apartment, sublessee=True),
    "guardian of an occupant": _guardian_of_occupant,
    "guardian of a main tenant": _guardian_of_main_tenant,
    "guardian whose guardianship runs START..END": _guardianship_ending,
    "applicant": _applicant,
}

NONE: set[Role] = set()

# role, {day: roles held that day}
TABLE = {
    "main tenant": {
        BEFORE_SIGNING: NONE,
        DAY_BEFORE_START: {Role.FUTURE_TENANT},
        START: {Role.MAIN_TENANT},
        END: {Role.MAIN_TENANT},
        DAY_AFTER_END: NONE,
    },
    "party to an unsigned agreement": {
        BEFORE_SIGNING: NONE,
        DAY_BEFORE_START: NONE,
        START: NONE,
        END: NONE,
        DAY_AFTER_END: NONE,
    },
    "occupant": {
        BEFORE_SIGNING: NONE,
        DAY_BEFORE_START: NONE,
        START: {Role.OCCUPANT},
        END: {Role.OCCUPANT},
        DAY_AFTER_END: NONE,
    },
    "sublessee": {
        BEFORE_SIGNING: NONE,
        DAY_BEFORE_START: NONE,
        START: {Role.SUBLESSEE},
        END: {Role.SUBLESSEE},
        DAY_AFTER_END: NONE,
    },
    "guardian of an occupant": {
        BEFORE_SIGNING: NONE,
        DAY_BEFORE_START: NONE,
        START: {Role.OCCUPANT},
        END: {Role.OCCUPANT},
        DAY_AFTER_END: NONE,
    },
    "guardian of a main tenant": {
        BEFORE_SIGNING: NONE,
        DAY_BEFORE_START: {Role.FUTURE_TENANT},
        START: {Role.MAIN_TENANT},
        END: {Role.MAIN_TENANT},
        DAY_AFTER_END: NONE,
    },
    "guardian whose guardianship runs START..END": {
        BEFORE_SIGNING: NONE,
        DAY_BEFORE_START: NONE,
        START: {Role.OCCUPANT},
        END: {Role.OCCUPANT},
        DAY_AFTER_END: NONE,
    },
    "applicant": {
        BEFORE_SIGNING: NONE,
        DAY_BEFORE_START: NONE,
        START: NONE,
        END: NONE,
        DAY_AFTER_END: NONE,
    },
}

CASES = [(role, day, expected) for role, days in TABLE.items() for day, expected in days.items()]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "day", "expected"), CASES, ids=[f"{r}-{d}" for r, d, _ in CASES])
def test_role_table_at_boundary_dates(role, day, expected):
    """SPEC section 1 role table (with seed 002 over seed 000 for signed agreements not yet started)."""
    person = MAKERS[role](ApartmentFactory())

    access = access_for(person, on=day)

    assert access.roles() == expected
    assert access.may_log_in == bool(expected)
    assert access.is_future_only == (expected == {Role.FUTURE_TENANT})


@pytest.mark.django_db
def test_guardian_acts_with_the_wards_rights_and_the_grant_names_the_ward_TEN_10():
    apartment = ApartmentFactory()
    ward = PersonFactory.create(first_names="Eero")
    agreement = RentalAgreementFactory.create(apartment=apartment, signed_on=SIGNED, starts_on=START)
    AgreementPartyFactory(agreement=agreement, person=ward)
    guardian = PersonFactory.create()
    GuardianshipFactory(guardian=guardian, ward=ward, starts_on=START)

    access = access_for(guardian, on=START)

    [grant] = access.grants
    assert grant.holder == ward
    assert grant.via_guardian
    assert [tenancy.agreement for tenancy in access.main_tenancies()] == [agreement]
    assert access.holders() == [guardian, ward]


@pytest.mark.django_db
def test_guardian_who_also_lives_elsewhere_holds_both_grants():
    guardian = _main_tenant(ApartmentFactory())
    ward = _occupant(ApartmentFactory())
    GuardianshipFactory(guardian=guardian, ward=ward, starts_on=START)

    access = access_for(guardian, on=START)

    assert sorted((g.role, g.via_guardian) for g in access.grants) == [(Role.MAIN_TENANT, False), (Role.OCCUPANT, True)]


def test_household_roles_today(household):
    """The shared fixture's people hold the roles its docstring promises."""
    h = household
    assert access_for(h.main_tenant).roles() == {Role.MAIN_TENANT}
    assert [tenancy.agreement for tenancy in access_for(h.co_tenant).main_tenancies()] == [h.agreement]
    assert access_for(h.family_member).roles() == {Role.OCCUPANT}
    assert access_for(h.sublessee).roles() == {Role.SUBLESSEE}
    assert access_for(h.guardian).roles() == {Role.OCCUPANT}
    assert access_for(h.future_tenant).is_future_only
    assert access_for(h.future_tenant).future_start == h.future_agreement.starts_on
    assert not access_for(h.former_tenant).may_log_in
    assert not access_for(h.applicant).may_log_in


def test_occupants_are_not_main_tenants_TEN_7(household):
    for person in (household.family_member, household.sublessee, household.guardian):
        access = access_for(person)
        assert access.is_resident
        assert not access.is_main_tenant
        assert access.main_tenancies() == []


def test_everyone_in_the_apartment_shares_the_building_but_not_the_stranger_TEN_8(household):
    building_ids = access_for(household.main_tenant).building_ids()
    assert building_ids == {household.building.pk}
    assert access_for(household.sublessee).building_ids() == building_ids
    assert access_for(household.stranger).building_ids().isdisjoint(building_ids)


def test_refusal_tells_a_former_resident_from_someone_not_in_the_register_ACC_10(household):
    assert refusal_for(household.former_tenant) is Refusal.FORMER_RESIDENT
    assert refusal_for(household.applicant) is Refusal.NOT_IN_REGISTER
    assert refusal_for(None) is Refusal.NOT_IN_REGISTER


def test_access_takes_three_queries_however_many_grants(household, django_assert_num_queries):
    with django_assert_num_queries(3):
        access_for(household.guardian)
    with django_assert_num_queries(3):
        access_for(household.main_tenant)
