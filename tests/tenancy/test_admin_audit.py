"""X-7, STF-3: staff see a person's full identity code only with the permission
tenancy.view_identity_code, one POST at a time; every view of an identity code or a full bank
account is logged (who, whose, when) without the value, and the value never reaches the logs."""

import logging

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection

from accounts.models import User
from tenancy.models import PersonalDataAccess
from tenancy.staff_groups import CONTENT_EDITOR, CUSTOMER_SERVICE, OFFICE_CLERK
from tests.factories.tenancy import PersonFactory

CODE = "010280-952L"
IBAN = "FI2112345600000785"


@pytest.fixture
def person(db):
    person = PersonFactory.create(first_names="Maija", last_name="Virtanen", hetu=CODE)
    person.iban = IBAN
    person.save()
    return person


def staff_in(client, group: str) -> User:
    call_command("setup_groups", stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"))  # noqa: SIM115
    user = User.objects.create_user(f"{group.replace(' ', '.').lower()}@heka.example", "Staff-pass-1!", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return user


def identity_code_url(person) -> str:
    return f"/admin/tenancy/person/{person.pk}/identity-code/"


def test_office_clerk_sees_the_identity_code_once_and_it_is_logged_without_the_value_X_7(client, person, caplog):
    clerk = staff_in(client, OFFICE_CLERK)
    change_page = client.get(f"/admin/tenancy/person/{person.pk}/change/").content.decode()
    assert "Show identity code" in change_page
    assert CODE not in change_page

    with caplog.at_level(logging.DEBUG):
        response = client.post(identity_code_url(person))

    assert response.status_code == 200
    assert CODE in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    logged = PersonalDataAccess.objects.filter(what=PersonalDataAccess.What.IDENTITY_CODE)
    [entry] = logged
    assert (entry.staff_user, entry.person) == (clerk, person)
    assert CODE not in caplog.text
    assert CODE.replace("-", "") not in caplog.text
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM tenancy_personaldataaccess")
        rows = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert CODE not in rows
    assert CODE[:6] not in rows


def test_viewing_the_full_bank_account_on_the_change_page_is_logged_X_7(client, person):
    clerk = staff_in(client, CUSTOMER_SERVICE)
    client.get(f"/admin/tenancy/person/{person.pk}/change/")
    [entry] = PersonalDataAccess.objects.all()
    assert (entry.staff_user, entry.person, entry.what) == (clerk, person, PersonalDataAccess.What.BANK_ACCOUNT)
    assert IBAN not in " ".join(str(getattr(entry, f.attname)) for f in entry._meta.fields)


def test_lists_show_identity_code_and_bank_account_masked_and_log_nothing_X_3(client, person):
    staff_in(client, CUSTOMER_SERVICE)
    body = client.get("/admin/tenancy/person/").content.decode()
    assert "010280-****" in body
    assert CODE not in body
    assert IBAN not in body
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize("group", [CUSTOMER_SERVICE, CONTENT_EDITOR])
def test_staff_without_the_permission_cannot_see_the_identity_code_STF_3(client, person, group):
    staff_in(client, group)
    if group == CUSTOMER_SERVICE:
        assert "Show identity code" not in client.get(f"/admin/tenancy/person/{person.pk}/change/").content.decode()
    response = client.post(identity_code_url(person))
    assert response.status_code == 403
    assert CODE not in response.content.decode()
    assert not PersonalDataAccess.objects.filter(what=PersonalDataAccess.What.IDENTITY_CODE).exists()


def test_identity_code_is_shown_only_for_a_post(client, person):
    staff_in(client, OFFICE_CLERK)
    assert client.get(identity_code_url(person)).status_code == 405
    assert not PersonalDataAccess.objects.exists()


def test_person_without_an_identity_code_gets_a_message_not_an_error(client, db):
    person = PersonFactory.create()
    person.hetu_hash, person.hetu_encrypted = None, ""
    person.save()
    staff_in(client, OFFICE_CLERK)
    response = client.post(identity_code_url(person), follow=True)
    assert "No identity code is recorded" in response.content.decode()
    assert not PersonalDataAccess.objects.exists()


def test_audit_log_is_read_only_X_7(client, person):
    superuser = User.objects.create_superuser("root@heka.example", "Root-pass-1!")
    PersonalDataAccess.objects.create(staff_user=superuser, person=person, what=PersonalDataAccess.What.IDENTITY_CODE)
    client.force_login(superuser)
    entry = PersonalDataAccess.objects.get()
    assert client.get("/admin/tenancy/personaldataaccess/").status_code == 200
    assert client.get("/admin/tenancy/personaldataaccess/add/").status_code == 403
    assert client.post(f"/admin/tenancy/personaldataaccess/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert PersonalDataAccess.objects.count() == 1


def test_bank_account_changed_by_staff_is_told_to_the_resident_TEN_2(
    client, person, mailoutbox, django_capture_on_commit_callbacks
):
    User.objects.create_user("maija@example.com", "Sal4sana!", person=person)
    staff = User.objects.create_superuser("boss@heka.example", "Staff-pass-1!")
    client.force_login(staff)
    data = {
        "first_names": person.first_names,
        "last_name": person.last_name,
        "hetu": "",
        "birth_date": person.birth_date.isoformat(),
        "preferred_language": "en",
        "email": person.email,
        "phone": "",
        "street_address": "",
        "postal_code": "",
        "city": "",
        "iban": "FI49 5000 9420 0287 30",
        "external_id": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/tenancy/person/{person.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    person.refresh_from_db()
    assert person.iban == "FI4950009420028730"
    assert [message.to for message in mailoutbox] == [["maija@example.com"]]
    assert "FI4950009420028730" not in mailoutbox[0].body.replace(" ", ""), "the notice shows the number masked"
