"""SRQ-5: service requests are for main tenants, each type with its own fields; SRQ-4 applies."""

import pytest

from servicerequests.forms import SERVICE_FORMS
from servicerequests.models import ServiceRequest
from tests.tenancy.pages import FUTURE, LOGIN, NOT_FOUND, REFUSED, WHO, Sees, check, login, visit

TYPES = Sees(
    contains=("Report disruptive behaviour", "Lease transfer", "Notice of moving in or out", "Order an apartment inspection")
)
NOT_MAIN = Sees(403, contains=("can be sent by the main", "Report a defect"), lacks=("Lease transfer",))
LIST = {
    "main_tenant": Sees(contains=(*TYPES.contains, "Status: <strong>Received</strong>")),
    "co_tenant": Sees(contains=(*TYPES.contains, "You have not sent any service requests.")),
    "family_member": NOT_MAIN,
    "sublessee": NOT_MAIN,
    "guardian": NOT_MAIN,
    "future_tenant": FUTURE,
    "former_tenant": REFUSED,
    "stranger": TYPES,
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("who", WHO)
def test_service_requests_are_offered_to_main_tenants_only_SRQ_5(client, household, sent, who):
    check(visit(client, household, who, "/requests/service/"), household, LIST[who])


FORM = dict.fromkeys(WHO, Sees(contains=('name="new_tenant_name"', 'name="transfer_on"'))) | {
    "family_member": NOT_MAIN,
    "sublessee": NOT_MAIN,
    "guardian": NOT_MAIN,
    "future_tenant": FUTURE,
    "former_tenant": REFUSED,
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("who", WHO)
def test_lease_transfer_form_is_for_main_tenants_SRQ_5(client, household, who):
    check(visit(client, household, who, "/requests/service/new/lease_transfer/"), household, FORM[who])


DETAIL = dict.fromkeys(WHO, NOT_FOUND) | {
    "main_tenant": Sees(contains=("Name change", "Maijan uusi nimi", "New last name")),
    "future_tenant": FUTURE,
    "former_tenant": REFUSED,
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("who", WHO)
def test_only_the_submitter_sees_a_service_request_SRQ_4(client, household, sent, who):
    check(visit(client, household, who, f"/requests/service/{sent.service_request.pk}/"), household, DETAIL[who])


VALID = {
    "disruptive_behaviour": {"source": "B 12", "occurred": "Joka yö klo 2", "description": "Kova musiikki"},
    "smoking": {"place": "balcony", "occurred": "Iltaisin"},
    "renovation": {"work": "Maalaus", "rooms": "Olohuone", "starts_on": "2099-01-01", "ends_on": "2099-01-10", "done_by": "self"},
    "lease_transfer": {
        "new_tenant_name": "Aino Virtanen",
        "new_tenant_birth_date": "2000-01-01",
        "relationship": "Tytär",
        "transfer_on": "2099-02-01",
        "reason": "Muutan pois",
    },
    "relinquishment": {"reason": "studies", "starts_on": "2099-01-01", "ends_on": "2099-06-30"},
    "name_change": {"new_last_name": "Korhonen", "changed_on": "2026-01-01"},
    "inspection": {"reason": "moving_out", "preferred_times": "Arkisin", "master_key_allowed": "no", "has_pets": "no"},
}


@pytest.mark.parametrize("type", sorted(SERVICE_FORMS))
def test_each_service_request_type_has_its_own_fields_and_is_sent_SRQ_5(client, household, type):
    assert set(VALID) == set(SERVICE_FORMS)
    login(client, household.co_tenant)
    client.cookies["django_language"] = "en"
    home = f"{household.apartment.pk}-{household.co_tenant.pk}"
    response = client.post(f"/requests/service/new/{type}/", {"home": home, **VALID[type]})
    assert response.status_code == 302, response.content.decode()[:3000]
    request = ServiceRequest.objects.get()
    assert (request.type, request.submitted_by, request.apartment) == (type, household.co_tenant, household.apartment)
    assert set(VALID[type]) <= set(request.details)
    page = client.get(response["Location"]).content.decode()
    for name in VALID[type]:
        assert str(SERVICE_FORMS[type].base_fields[name].label).replace("'", "&#x27;") in page


def test_renovation_in_the_past_or_ending_before_it_starts_is_refused_SRQ_5_X_4(client, household):
    login(client, household.main_tenant)
    client.cookies["django_language"] = "en"
    data = {**VALID["renovation"], "starts_on": "2020-01-10", "ends_on": "2020-01-01", "done_by": "contractor"}
    body = client.post("/requests/service/new/renovation/", data).content.decode()
    assert "The date cannot be in the past." in body
    assert "The end date must be on or after the start date." in body
    assert "Give the name of the contractor." in body
    assert not ServiceRequest.objects.exists()


def test_moving_notice_is_the_occupant_change_notice_of_the_agreement_SRQ_5_TEN_5(client, household):
    login(client, household.main_tenant)
    body = client.get("/requests/service/").content.decode()
    assert f'href="/economy/agreements/{household.agreement.pk}/occupant-changes/new/"' in body


def test_an_unknown_type_leads_back_to_the_list_not_to_an_error_SRQ_6(client, household):
    login(client, household.main_tenant)
    response = client.get("/requests/service/new/paper-form-2019/")
    assert response.status_code == 302
    assert response["Location"] == "/requests/service/"


def test_a_guardian_of_an_occupant_ward_may_not_send_service_requests_SRQ_5(client, household):
    login(client, household.guardian)
    response = client.post("/requests/service/new/name_change/", VALID["name_change"])
    assert response.status_code == 403
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_date_fields_keep_iso_dates_for_the_browser_date_picker_SRQ_5(language):
    """A date the form shows again (a kept draft) must reach `<input type="date">` as ISO, or the
    picker shows it empty in Finnish and Swedish."""
    from datetime import date

    from django.utils import translation

    from servicerequests.forms.service import NameChangeForm

    with translation.override(language):
        form = NameChangeForm(homes=[], initial={"changed_on": date(2026, 12, 24)})
        assert 'value="2026-12-24"' in str(form["changed_on"])
