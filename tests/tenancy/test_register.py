"""The register stores no identity code in clear and the admin never lists one (X-3, STF-3)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tenancy import hetu
from tenancy.validators import mask_iban, normalize_iban
from tests.factories.tenancy import PersonFactory

CODE = "010280-952L"


def test_identity_code_is_validated_with_its_checksum_X_3():
    assert hetu.normalize(" 010280-952l ") == CODE
    for bad in ["010280-952K", "320180-952L", "010280952L", "", "abc"]:
        with pytest.raises(ValidationError):
            hetu.normalize(bad)


def test_birth_date_is_read_from_the_code_in_every_century():
    assert str(hetu.birth_date("010280-952L")) == "1980-02-01"
    assert str(hetu.birth_date("010105A998X")) == "2005-01-01"
    assert str(hetu.birth_date("311299-999E")) == "1999-12-31"


@pytest.mark.django_db
def test_database_holds_no_identity_code_in_clear_X_3():
    person = PersonFactory.create(hetu=CODE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM tenancy_person WHERE id = %s", [person.pk])
        row = cursor.fetchone()
    raw = " ".join(str(value) for value in row)
    assert CODE not in raw
    assert CODE.replace("-", "") not in raw
    assert person.hetu_hash == hetu.lookup_hash(CODE)
    assert hetu.decrypt(person.hetu_encrypted) == CODE


def test_lookup_hash_is_keyed(settings):
    first = hetu.lookup_hash(CODE)
    settings.HETU_HASH_KEY = b"b3RoZXIta2V5LW90aGVyLWtleS1vdGhlci1rZXktMzI="
    assert hetu.lookup_hash(CODE) != first


def test_iban_is_checked_and_masked_X_3():
    assert normalize_iban("fi21 1234 5600 0007 85") == "FI2112345600000785"
    with pytest.raises(ValidationError):
        normalize_iban("FI21 1234 5600 0007 86")
    assert mask_iban("FI2112345600000785") == "FI…0785"


@pytest.fixture
def admin_client_with_person(db, admin_client):
    PersonFactory.create(first_names="Maija", last_name="Virtanen", hetu=CODE, iban="FI2112345600000785")
    return admin_client


def test_admin_person_list_masks_identity_code_and_iban_STF_3(admin_client_with_person):
    response = admin_client_with_person.get("/admin/tenancy/person/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Virtanen" in body
    assert "010280-****" in body
    assert CODE not in body
    assert "FI2112345600000785" not in body
    assert "FI…0785" in body


@pytest.mark.parametrize(("term", "found"), [(CODE, False), ("010280", False), ("952L", False), ("Virtanen", True)])
def test_admin_search_does_not_take_identity_codes_STF_3_X_7(admin_client_with_person, term, found):
    """The search is a GET whose words go into the address: identity codes are found by a POST."""
    response = admin_client_with_person.get("/admin/tenancy/person/", {"q": term})
    assert ("Virtanen" in response.content.decode().split('id="result_list"')[-1]) is found


def test_admin_sets_identity_code_without_showing_it(admin_client, db):
    person = PersonFactory.create(last_name="Korhonen")
    page = admin_client.get(f"/admin/tenancy/person/{person.pk}/change/").content.decode()
    assert hetu.decrypt(person.hetu_encrypted) not in page
