"""TEN-1 the dashboard: what each person may do today, their homes, new bulletins (TEN-9);
a guardian sees the ward labelled (TEN-10); a future tenant only the start date (TEN-11)."""

import pytest

from tests.factories.tenancy_pages import BulletinFactory
from tests.tenancy.pages import FUTURE_HOME, LOGIN, REFUSED, WHO, Sees, check, login, visit

MAIN_TENANT = Sees(
    contains=(
        "Your homes",
        "{apartment.address}",
        "Main tenant",
        'href="/economy/"',
        'href="/building/"',
        'href="/profile/my-data/"',
    ),
    lacks=("On behalf of",),
)
OCCUPANT = Sees(
    contains=(
        "Your homes",
        "{apartment.address}",
        'href="/building/"',
        'href="/profile/contact/"',
        "shown only to the signatories",
    ),
    lacks=('href="/economy/"',),
)

EXPECTED = {
    "main_tenant": MAIN_TENANT,
    "co_tenant": MAIN_TENANT,
    "family_member": Sees(contains=(*OCCUPANT.contains, "Occupant"), lacks=OCCUPANT.lacks),
    "sublessee": Sees(contains=(*OCCUPANT.contains, "Sublessee"), lacks=OCCUPANT.lacks),
    "guardian": Sees(contains=(*OCCUPANT.contains, "On behalf of Eero Virtanen"), lacks=OCCUPANT.lacks),
    "future_tenant": FUTURE_HOME,
    "former_tenant": REFUSED,
    "stranger": Sees(contains=("Your homes", 'href="/economy/"'), lacks=("{apartment.address}",)),
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("who", WHO)
def test_dashboard_shows_what_each_person_may_do_TEN_1(client, household, who):
    check(visit(client, household, who, "/dashboard/"), household, EXPECTED[who])


def test_dashboard_lists_new_bulletins_and_drops_read_ones_TEN_1_TEN_9(client, household):
    unread = BulletinFactory.create(title="Vesikatko", title_en="Water cut", body_en="On Thursday.")
    read = BulletinFactory.create(title="Pihatalkoot", title_en="Yard work day", body_en="Saturday.")
    user = login(client, household.main_tenant)
    client.cookies["django_language"] = "en"
    client.get(f"/bulletins/{read.pk}/")

    body = client.get("/dashboard/").content.decode()

    assert user.person == household.main_tenant
    assert f'href="/bulletins/{unread.pk}/"' in body
    assert "Water cut" in body
    assert "Yard work day" not in body


def test_guardian_of_a_main_tenant_sees_the_wards_home_and_economy_link_TEN_10(client, household):
    from tests.factories.tenancy import AgreementPartyFactory, GuardianshipFactory, PersonFactory

    ward = PersonFactory(first_names="Liisa", last_name="Alaikäinen")
    AgreementPartyFactory(agreement=household.stranger_agreement, person=ward)
    guardian = PersonFactory(first_names="Olli", last_name="Edunvalvoja")
    GuardianshipFactory(guardian=guardian, ward=ward)
    login(client, guardian)
    client.cookies["django_language"] = "en"

    body = client.get("/dashboard/").content.decode()

    assert "On behalf of Liisa Alaikäinen" in body
    assert household.stranger_agreement.apartment.address in body
    assert 'href="/economy/"' in body
