"""STF-3, ACC-1: the identity code decides whom strong identification finds, so only staff who may
see identity codes may set one; customer service fixes contact details but cannot re-point a person."""

import pytest

from tenancy import hetu
from tenancy.staff_groups import CONTENT_EDITOR, CUSTOMER_SERVICE, OFFICE_CLERK
from tests.factories.tenancy import PersonFactory

from .test_admin_audit import staff_in

CODE = "010280-952L"
OTHER_CODE = "131052-308T"


@pytest.fixture
def person(db):
    return PersonFactory(first_names="Maija", last_name="Virtanen", hetu=CODE)


def _change(client, person, **extra):
    data = {
        "first_names": person.first_names,
        "last_name": person.last_name,
        "birth_date": person.birth_date.isoformat(),
        "preferred_language": person.preferred_language,
        "email": person.email or "",
        "phone": "040 123 4567",
        "street_address": "",
        "postal_code": "",
        "city": "",
        "iban": "",
        "external_id": person.external_id or "",
        **extra,
    }
    return client.post(f"/admin/tenancy/person/{person.pk}/change/", data)


def test_customer_service_cannot_set_an_identity_code_STF_3(client, person):
    staff_in(client, CUSTOMER_SERVICE)
    page = client.get(f"/admin/tenancy/person/{person.pk}/change/").content.decode()
    assert 'name="hetu"' not in page

    response = _change(client, person, hetu=OTHER_CODE)

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "040 123 4567"
    assert person.hetu_hash == hetu.lookup_hash(CODE)


def test_office_clerk_sets_an_identity_code_STF_3(client, person):
    staff_in(client, OFFICE_CLERK)
    assert 'name="hetu"' in client.get(f"/admin/tenancy/person/{person.pk}/change/").content.decode()

    response = _change(client, person, hetu=OTHER_CODE, birth_date="1952-10-13")

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.hetu_hash == hetu.lookup_hash(OTHER_CODE)


def test_staff_find_a_person_by_the_whole_identity_code_with_a_post_STF_3_X_7(client, person):
    staff_in(client, CUSTOMER_SERVICE)
    changelist = client.get("/admin/tenancy/person/").content.decode()
    assert "/admin/tenancy/person/find-by-identity-code/" in changelist

    found = client.post("/admin/tenancy/person/find-by-identity-code/", {"code": CODE.lower()})
    missing = client.post("/admin/tenancy/person/find-by-identity-code/", {"code": OTHER_CODE})
    partial = client.post("/admin/tenancy/person/find-by-identity-code/", {"code": "010280"})

    assert found.status_code == 302
    assert found["Location"] == f"/admin/tenancy/person/{person.pk}/change/"
    for response in (missing, partial):
        assert response["Location"] == "/admin/tenancy/person/"
        assert CODE not in response["Location"]
    assert client.get("/admin/tenancy/person/find-by-identity-code/").status_code == 405


def test_identity_code_typed_into_the_search_finds_nobody_and_says_where_to_look_X_7(client, person):
    staff_in(client, CUSTOMER_SERVICE)
    page = client.get("/admin/tenancy/person/", {"q": CODE}).content.decode()
    assert "Virtanen" not in page.split('id="result_list"')[-1]
    assert "Find by identity code" in page


def test_finding_by_identity_code_needs_the_permission_to_see_persons_STF_3(client, person):
    staff_in(client, CONTENT_EDITOR)
    assert client.post("/admin/tenancy/person/find-by-identity-code/", {"code": CODE}).status_code == 403
