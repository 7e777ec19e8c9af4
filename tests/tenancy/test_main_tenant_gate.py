"""The main-tenant gate, role by role and function by function (TEN-7, TEN-10, TEN-11, BKG-1,
BKG-7, SRQ-5, ACC-10).

Every main-tenant function answers through `tenancy.decorators.main_tenant_required`: a main
tenant, a co-tenant and a guardian of a ward who is a main tenant use it (the guardian with the
ward's rights, the page naming the ward); an occupant, a sublessee and a guardian of an occupant
ward get the one refusal page with 403; a future tenant the start date with 403; a former tenant the
register refusal with 403; a stranger (a main tenant elsewhere) a 404 for this agreement; an
anonymous visitor the login.
"""

import pytest

from accounts.models import User
from bookings.models import Reservation
from servicerequests.models import ServiceRequest
from servicerequests.selectors import main_tenant_homes_for
from tenancy.access import access_for
from tenancy.models import OccupantChangeNotice, TerminationNotice
from tests.factories.tenancy import AgreementPartyFactory, GuardianshipFactory, PersonFactory

REFUSAL_TEMPLATE = "tenancy/not_main_tenant.html"

# (URL, does it name the household's agreement) of every main-tenant function.
FUNCTIONS = {
    "economy": ("/economy/", False),
    "occupant_change_form": ("/economy/agreements/{agreement.pk}/occupant-changes/new/", True),
    "occupant_change_detail": ("/economy/occupant-changes/999999/", False),
    "termination_form": ("/economy/agreements/{agreement.pk}/terminate/", True),
    "termination_detail": ("/economy/terminations/999999/", False),
    "bookings": ("/bookings/", False),
    "booking_choose": ("/bookings/agreements/{agreement.pk}/new/", True),
    "booking_form": ("/bookings/agreements/{agreement.pk}/new/parking/", True),
    "booking_detail": ("/bookings/999999/", False),
    "booking_terminate": ("/bookings/999999/terminate/", False),
    "service_request_form": ("/requests/service/new/lease_transfer/", False),
    "service_requests": ("/requests/service/", False),
}
DETAIL_PAGES = {"occupant_change_detail", "termination_detail", "booking_detail", "booking_terminate"}

ROLES = [
    "main_tenant",
    "co_tenant",
    "guardian_of_main_tenant",
    "family_member",
    "sublessee",
    "guardian",  # of an occupant ward
    "future_tenant",
    "former_tenant",
    "stranger",
    "anonymous",
]


@pytest.fixture
def tenants(household):
    """The household, with a third party to its agreement: a ward whose guardian lives elsewhere."""
    household.tenant_ward = PersonFactory(first_names="Liisa", last_name="Alaikäinen")
    AgreementPartyFactory(agreement=household.agreement, person=household.tenant_ward)
    household.guardian_of_main_tenant = PersonFactory(first_names="Olli", last_name="Edunvalvoja")
    GuardianshipFactory(guardian=household.guardian_of_main_tenant, ward=household.tenant_ward)
    return household


def _visit(client, household, who: str, path: str, *, method: str = "get", data: dict | None = None):
    if who != "anonymous":
        user = User.objects.create_user(f"{who}@example.com", "Sal4sana!", person=getattr(household, who))
        client.force_login(user)
    client.cookies["django_language"] = "en"
    return getattr(client, method)(path.format(**vars(household)), data or {})


def _expected(who: str, function: str) -> str:
    names_agreement = FUNCTIONS[function][1]
    if who in ("main_tenant", "co_tenant", "guardian_of_main_tenant"):
        return "not found" if function in DETAIL_PAGES else "page"
    if who in ("family_member", "sublessee", "guardian"):
        return "refusal"
    if who == "stranger":
        return "not found" if names_agreement or function in DETAIL_PAGES else "page"
    return {"future_tenant": "future", "former_tenant": "not resident", "anonymous": "login"}[who]


def _templates(response) -> list[str]:
    return [template.name for template in response.templates if template.name]


@pytest.mark.parametrize("function", FUNCTIONS)
@pytest.mark.parametrize("who", ROLES)
def test_role_by_main_tenant_function_TEN_7_TEN_10_TEN_11_BKG_7_SRQ_5(client, tenants, who, function):
    response = _visit(client, tenants, who, FUNCTIONS[function][0])
    expected = _expected(who, function)
    body = response.content.decode()
    templates = _templates(response)
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
        return
    if expected != "not found":
        assert "no-store" in response["Cache-Control"], "personal pages are never stored (X-8)"
    if expected == "page":
        assert response.status_code == 200, body[:2000]
        assert REFUSAL_TEMPLATE not in templates
    elif expected == "refusal":
        assert response.status_code == 403
        assert templates[0] == REFUSAL_TEMPLATE, "one refusal page for every main-tenant function"
        assert "main tenants" in body
        assert tenants.agreement.number not in body
    elif expected == "future":
        assert response.status_code == 403
        assert templates[0] == "tenancy/future_tenant.html"
        assert "Your agreement starts on" in body
    elif expected == "not resident":
        assert response.status_code == 403
        assert templates[0] == "tenancy/not_resident.html"
        assert "contact customer service" in body
    else:
        assert response.status_code == 404


AGREEMENT_PAGES = ["occupant_change_form", "termination_form", "booking_choose", "booking_form"]


@pytest.mark.parametrize("function", AGREEMENT_PAGES)
def test_a_guardian_of_a_main_tenant_sees_the_wards_agreement_labelled_with_the_ward_TEN_10(client, tenants, function):
    body = _visit(client, tenants, "guardian_of_main_tenant", FUNCTIONS[function][0]).content.decode()
    assert "On behalf of Liisa Alaikäinen" in body


def test_every_place_agrees_on_the_guardians_main_tenancy_TEN_10(tenants):
    """The gate, the economy, the Booking section and the service-request homes read one answer."""
    access = access_for(tenants.guardian_of_main_tenant)
    [tenancy] = access.main_tenancies()
    assert (tenancy.agreement, tenancy.holder, tenancy.via_guardian) == (tenants.agreement, tenants.tenant_ward, True)
    assert tenancy.on_behalf_of == tenants.tenant_ward
    assert access.is_main_tenant
    [home] = main_tenant_homes_for(access)
    assert (home.apartment, home.holder, home.via_guardian, home.agreement) == (
        tenants.apartment,
        tenants.tenant_ward,
        True,
        tenants.agreement,
    )
    occupant_guardian = access_for(tenants.guardian)
    assert occupant_guardian.main_tenancies() == []
    assert not occupant_guardian.is_main_tenant
    assert main_tenant_homes_for(occupant_guardian) == []


def test_a_guardian_who_is_also_a_party_acts_in_their_own_name_TEN_10(tenants):
    """Own right wins over a ward's on the same agreement: one main tenancy, not marked for the ward."""
    AgreementPartyFactory(agreement=tenants.agreement, person=tenants.guardian_of_main_tenant)
    [tenancy] = access_for(tenants.guardian_of_main_tenant).main_tenancies()
    assert (tenancy.holder, tenancy.via_guardian, tenancy.on_behalf_of) == (tenants.guardian_of_main_tenant, False, None)
    [home] = main_tenant_homes_for(access_for(tenants.guardian_of_main_tenant))
    assert not home.via_guardian


def test_a_guardian_of_a_main_tenant_terminates_with_the_wards_rights_TEN_6_TEN_10(client, tenants, today):
    from tenancy.dates import termination_end_date

    response = _visit(
        client,
        tenants,
        "guardian_of_main_tenant",
        "/economy/agreements/{agreement.pk}/terminate/",
        method="post",
        data={"step": "send", "expected_end": termination_end_date(today).isoformat(), "forwarding_address": "", "message": ""},
    )
    notice = TerminationNotice.objects.get()
    assert response.status_code == 302
    assert (notice.submitted_by, notice.on_behalf_of) == (tenants.guardian_of_main_tenant, tenants.tenant_ward)


POSTS = {
    "termination": ("/economy/agreements/{agreement.pk}/terminate/", {"step": "send"}, TerminationNotice),
    "occupant_change": (
        "/economy/agreements/{agreement.pk}/occupant-changes/new/",
        {"kind": "moving_in", "occupant_name": "X", "moves_on": "2099-01-01"},
        OccupantChangeNotice,
    ),
    "booking": ("/bookings/agreements/{agreement.pk}/new/parking/", {"parking_space": "1"}, Reservation),
    "service_request": ("/requests/service/new/name_change/", {"new_last_name": "X", "changed_on": "2026-01-01"}, ServiceRequest),
}


@pytest.mark.parametrize("post", POSTS)
@pytest.mark.parametrize("who", ["family_member", "sublessee", "guardian", "future_tenant"])
def test_a_refused_role_changes_nothing_by_posting_TEN_7_SRQ_5_BKG_1(client, tenants, who, post):
    path, data, model = POSTS[post]
    response = _visit(client, tenants, who, path, method="post", data=data)
    assert response.status_code == 403
    assert not model._default_manager.exists()
