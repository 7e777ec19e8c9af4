"""TEN-8: building information and the rescue plan, only of the person's own building(s); the plan
is served through an access check as an attachment with nosniff (X-8)."""

import pytest

from tests.factories.documents import add_rescue_plan
from tests.tenancy.pages import FUTURE, LOGIN, NOT_FOUND, REFUSED, WHO, Sees, check, visit

PLAN = b"%PDF-1.4 rescue plan"


@pytest.fixture
def plans(household, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}}}
    for building in (household.building, household.stranger_agreement.apartment.building):
        building.information = f"Sauna vuorot: {building.code}"
        building.save()
        add_rescue_plan(building, PLAN)
    return household


OWN = Sees(contains=("{building.name}", "Sauna vuorot: {building.code}", 'href="/building/{building.pk}/rescue-plan/"'))

LIST_EXPECTED = {
    "main_tenant": OWN,
    "co_tenant": OWN,
    "family_member": OWN,
    "sublessee": OWN,
    "guardian": OWN,
    "future_tenant": FUTURE,
    "former_tenant": REFUSED,
    "stranger": Sees(
        contains=("{stranger_agreement.apartment.building.name}",), lacks=("{building.name}", "Sauna vuorot: {building.code}")
    ),
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("who", WHO)
def test_building_page_shows_only_ones_own_building_TEN_8(client, plans, who):
    check(visit(client, plans, who, "/building/"), plans, LIST_EXPECTED[who])


DETAIL_EXPECTED = {**LIST_EXPECTED, "stranger": NOT_FOUND}


@pytest.mark.parametrize("who", WHO)
def test_another_building_is_not_found_TEN_8(client, plans, who):
    check(visit(client, plans, who, "/building/{building.pk}/"), plans, DETAIL_EXPECTED[who])


ATTACHMENT = Sees(
    headers={"Content-Disposition": "attachment", "X-Content-Type-Options": "nosniff", "Content-Type": "application/pdf"}
)
PLAN_EXPECTED = {
    "main_tenant": ATTACHMENT,
    "co_tenant": ATTACHMENT,
    "family_member": ATTACHMENT,
    "sublessee": ATTACHMENT,
    "guardian": ATTACHMENT,
    "future_tenant": FUTURE,
    "former_tenant": REFUSED,
    "stranger": NOT_FOUND,
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("who", WHO)
def test_rescue_plan_is_an_access_checked_attachment_TEN_8_X_8(client, plans, who):
    response = visit(client, plans, who, "/building/{building.pk}/rescue-plan/")
    check(response, plans, PLAN_EXPECTED[who])
    if PLAN_EXPECTED[who] is ATTACHMENT:
        assert b"".join(response.streaming_content) == PLAN
        assert f"rescue-plan-{plans.building.code}.pdf" in response["Content-Disposition"]


def test_building_without_a_plan_says_so_and_the_plan_link_is_404(client, household):
    from tests.tenancy.pages import login

    login(client, household.main_tenant)
    client.cookies["django_language"] = "en"
    assert "not yet available" in client.get("/building/").content.decode()
    assert client.get(f"/building/{household.building.pk}/rescue-plan/").status_code == 404
