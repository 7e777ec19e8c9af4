"""TEN-5: a main tenant notifies customer service of someone moving in or out; only the submitter
sees the notice (TEN-7 for the others)."""

from datetime import timedelta

import pytest

from tenancy.models import OccupantChangeNotice
from tests.factories.tenancy_pages import OccupantChangeNoticeFactory
from tests.tenancy.pages import FUTURE, LOGIN, NOT_FOUND, REFUSED, WHO, Sees, check, login, visit

# TEN-7: the one refusal of the main-tenant functions, answered with 403.
EXPLANATION = Sees(403, contains=("shown only to the signatories",), lacks=("Notice of moving in or out",))

FORM_EXPECTED = {
    "main_tenant": Sees(contains=("Notice of moving in or out", "{apartment.address}", 'name="occupant_name"')),
    "co_tenant": Sees(contains=("Notice of moving in or out", 'name="occupant_name"')),
    "family_member": EXPLANATION,
    "sublessee": EXPLANATION,
    "guardian": EXPLANATION,
    "future_tenant": FUTURE,
    "former_tenant": REFUSED,
    "stranger": NOT_FOUND,
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("who", WHO)
def test_only_a_main_tenant_gets_the_occupant_change_form_TEN_5_TEN_7(client, household, who):
    response = visit(client, household, who, "/economy/agreements/{agreement.pk}/occupant-changes/new/")
    check(response, household, FORM_EXPECTED[who])


@pytest.fixture
def notice(household):
    household.notice = OccupantChangeNoticeFactory(
        agreement=household.agreement, submitted_by=household.main_tenant, occupant_name="Kalle Uusi"
    )
    return household


DETAIL_EXPECTED = {
    "main_tenant": Sees(contains=("Kalle Uusi", "Moving in", "Received")),
    # A co-tenant on the same agreement does not see the other's notice.
    "co_tenant": NOT_FOUND,
    "family_member": EXPLANATION,
    "sublessee": EXPLANATION,
    "guardian": EXPLANATION,
    "future_tenant": FUTURE,
    "former_tenant": REFUSED,
    "stranger": NOT_FOUND,
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("who", WHO)
def test_only_the_submitter_sees_an_occupant_change_notice_TEN_5(client, notice, who):
    response = visit(client, notice, who, "/economy/occupant-changes/{notice.pk}/")
    check(response, notice, DETAIL_EXPECTED[who])


def test_main_tenant_sends_a_notice_of_moving_in_TEN_5(client, household, today):
    login(client, household.main_tenant)
    client.cookies["django_language"] = "en"

    response = client.post(
        f"/economy/agreements/{household.agreement.pk}/occupant-changes/new/",
        {
            "kind": "moving_in",
            "occupant_name": "Kalle Uusi",
            "occupant_birth_date": "1990-05-05",
            "moves_on": (today + timedelta(days=14)).isoformat(),
            "details": "Puoliso muuttaa.",
        },
    )

    notice = OccupantChangeNotice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/economy/occupant-changes/{notice.pk}/"
    assert (notice.agreement, notice.submitted_by, notice.kind) == (household.agreement, household.main_tenant, "moving_in")
    assert notice.on_behalf_of is None
    economy = client.get("/economy/").content.decode()
    assert "Kalle Uusi" in economy
    login(client, household.co_tenant)
    assert "Kalle Uusi" not in client.get("/economy/").content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "moving_in", "occupant_name": "Kalle", "moves_on": "+14"}, "occupant_birth_date", "Give the birth date"),
        ({"kind": "moving_out", "occupant_name": "Kalle", "moves_on": "+800"}, "moves_on", "within a year"),
        ({"kind": "moving_out", "occupant_name": "Kalle", "moves_on": "31.31.2026"}, "moves_on", "Enter a valid date"),
        ({"kind": "sideways", "occupant_name": "Kalle", "moves_on": "+1"}, "kind", "Select a valid choice"),
        ({"kind": "moving_out", "occupant_name": "", "moves_on": "+1"}, "occupant_name", "This field is required"),
    ],
)
def test_bad_occupant_change_is_refused_with_the_field_named_and_nothing_saved_X_4(
    client, household, today, data, field, message
):
    if data["moves_on"].startswith("+"):
        data = {**data, "moves_on": (today + timedelta(days=int(data["moves_on"]))).isoformat()}
    login(client, household.main_tenant)
    client.cookies["django_language"] = "en"

    response = client.post(f"/economy/agreements/{household.agreement.pk}/occupant-changes/new/", data)

    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert f'id="id_{field}_error"' in body
    assert not OccupantChangeNotice.objects.exists()
    # what was typed stays in the form
    if data["occupant_name"]:
        assert 'value="Kalle"' in body


def test_guardian_of_a_main_tenant_sends_the_notice_on_behalf_of_the_ward_TEN_10(client, household, today):
    from tests.factories.tenancy import AgreementPartyFactory, GuardianshipFactory, PersonFactory

    ward = PersonFactory.create(first_names="Liisa", last_name="Alaikäinen")
    AgreementPartyFactory(agreement=household.stranger_agreement, person=ward)
    guardian = PersonFactory.create()
    GuardianshipFactory(guardian=guardian, ward=ward)
    login(client, guardian)
    client.cookies["django_language"] = "en"

    response = client.post(
        f"/economy/agreements/{household.stranger_agreement.pk}/occupant-changes/new/",
        {"kind": "moving_out", "occupant_name": "Kalle Lähtevä", "moves_on": today.isoformat()},
        follow=True,
    )

    notice = OccupantChangeNotice.objects.get()
    assert (notice.submitted_by, notice.on_behalf_of) == (guardian, ward)
    assert "On behalf of Liisa Alaikäinen" in response.content.decode()
