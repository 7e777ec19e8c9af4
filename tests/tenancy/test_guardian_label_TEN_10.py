"""TEN-10: a guardian of a ward who is a main tenant sees the ward's agreement and acts with the
ward's rights; every page that shows or acts on the ward's tenancy names the ward."""

import pytest

from tenancy.dates import termination_end_date
from tenancy.models import TerminationNotice
from tests.factories.tenancy import AgreementPartyFactory, GuardianshipFactory, PersonFactory
from tests.tenancy.pages import login

LABEL = "On behalf of Liisa Alaikäinen"


@pytest.fixture
def ward_tenant(household):
    """Liisa, a minor, signed the stranger's agreement; Olli is her guardian and lives nowhere in the register."""
    household.ward_tenant = PersonFactory(first_names="Liisa", last_name="Alaikäinen")
    AgreementPartyFactory(agreement=household.stranger_agreement, person=household.ward_tenant)
    household.ward_guardian = PersonFactory(first_names="Olli", last_name="Edunvalvoja")
    GuardianshipFactory(guardian=household.ward_guardian, ward=household.ward_tenant)
    return household


PAGES = [
    "/dashboard/",
    "/economy/",
    "/economy/agreements/{stranger_agreement.pk}/terminate/",
    "/economy/agreements/{stranger_agreement.pk}/occupant-changes/new/",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_of_the_wards_tenancy_names_the_ward_TEN_10(client, ward_tenant, path):
    login(client, ward_tenant.ward_guardian)
    client.cookies["django_language"] = "en"

    response = client.get(path.format(**vars(ward_tenant)))

    assert response.status_code == 200
    assert LABEL in response.content.decode()


def test_guardian_terminates_the_wards_agreement_on_the_wards_behalf_TEN_10_TEN_6(client, ward_tenant, today):
    login(client, ward_tenant.ward_guardian)
    client.cookies["django_language"] = "en"
    url = f"/economy/agreements/{ward_tenant.stranger_agreement.pk}/terminate/"
    data = {"forwarding_address": "Uusikatu 1, 00100 Helsinki", "message": ""}

    review = client.post(url, {**data, "step": "review"})
    assert review.status_code == 200
    assert LABEL in review.content.decode()
    response = client.post(url, {**data, "step": "send", "expected_end": termination_end_date(today).isoformat()})

    notice = TerminationNotice.objects.get()
    assert response.status_code == 302
    assert (notice.agreement, notice.submitted_by, notice.on_behalf_of) == (
        ward_tenant.stranger_agreement,
        ward_tenant.ward_guardian,
        ward_tenant.ward_tenant,
    )
    assert LABEL in client.get(response["Location"]).content.decode()


def test_guardian_of_an_occupant_ward_sees_the_wards_building_but_not_an_agreement_TEN_10_TEN_7(client, household):
    login(client, household.guardian)
    client.cookies["django_language"] = "en"
    building = client.get("/building/").content.decode()
    assert household.building.name in building
    assert f"On behalf of {household.ward.full_name}" in building
    economy = client.get("/economy/").content.decode()
    assert "shown only to the signatories" in economy
    assert household.agreement.number not in economy


def test_own_building_carries_no_ward_label_TEN_10(client, household):
    login(client, household.main_tenant)
    client.cookies["django_language"] = "en"
    assert "On behalf of" not in client.get("/building/").content.decode()
