"""TEN-2: every resident views and updates their own phone, postal address and bank account; a new
bank account needs the password again and is announced by one e-mail in the person's language."""

import pytest
from django.core.cache import cache

from heka_portal.models import OutboxEmail
from tests.tenancy.pages import FUTURE, LOGIN, PASSWORD, REFUSED, WHO, Sees, check, login, visit

IBAN = "FI21 1234 5600 0007 85"
OTHER_IBAN = "FI49 5000 9420 0287 30"


@pytest.fixture(autouse=True)
def _forget_password_failures():
    """Failed password counts live in the cache, which outlives a test's database."""
    cache.clear()
    yield
    cache.clear()


def own(name: str) -> Sees:
    return Sees(
        contains=(name, 'name="phone"', 'name="bank-iban"', 'name="bank-password"'),
        lacks=("Maija Virtanen",) if name != "Maija Virtanen" else (),
    )


EXPECTED = {
    "main_tenant": own("Maija Virtanen"),
    "co_tenant": own("Matti Virtanen"),
    "family_member": own("Aino Virtanen"),
    "sublessee": own("Sami Alivuokralainen"),
    "guardian": own("Helena Holhooja"),
    "future_tenant": FUTURE,
    "former_tenant": REFUSED,
    "stranger": own("Veikko Vieras"),
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("who", WHO)
def test_every_resident_sees_only_their_own_contact_information_TEN_2(client, household, who):
    check(visit(client, household, who, "/profile/contact/"), household, EXPECTED[who])


def test_resident_updates_phone_and_address_TEN_2(client, household):
    login(client, household.sublessee)
    response = client.post(
        "/profile/contact/",
        {"phone": "+358 40 123 4567", "street_address": "Uusikatu 1 B 2", "postal_code": "00100", "city": "Helsinki"},
    )
    household.sublessee.refresh_from_db()
    assert response.status_code == 302
    assert (household.sublessee.phone, household.sublessee.street_address) == ("+358 40 123 4567", "Uusikatu 1 B 2")


def test_bad_phone_is_refused_and_nothing_changes_X_4(client, household):
    login(client, household.sublessee)
    client.cookies["django_language"] = "en"
    response = client.post("/profile/contact/", {"phone": "call me maybe", "street_address": "Uusikatu 1"})
    household.sublessee.refresh_from_db()
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_phone_error"' in body
    assert 'aria-describedby="id_phone_helptext id_phone_error"' in body
    assert 'value="Uusikatu 1"' in body
    assert household.sublessee.street_address == ""


def test_a_form_that_arrives_cut_short_changes_nothing_X_4(client, household):
    household.sublessee.phone = "040 111 2222"
    household.sublessee.save(update_fields=["phone"])
    login(client, household.sublessee)
    client.cookies["django_language"] = "en"
    response = client.post("/profile/contact/", {"street_address": "Uusikatu 1"})
    household.sublessee.refresh_from_db()
    assert response.status_code == 200
    assert "did not arrive whole" in response.content.decode()
    assert household.sublessee.phone == "040 111 2222"
    assert household.sublessee.street_address == ""


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_new_bank_account_needs_the_password_and_sends_one_email_in_the_persons_language_TEN_2(
    client, household, language, monkeypatch
):
    person = household.family_member
    person.preferred_language = language
    person.save()
    user = login(client, person, email="aino@example.com")

    response = client.post("/profile/contact/bank-account/", {"bank-iban": IBAN.lower(), "bank-password": PASSWORD})

    person.refresh_from_db()
    assert response.status_code == 302
    assert person.iban == "FI2112345600000785"
    [email] = OutboxEmail.objects.filter(template="notification").values()
    assert (email["to"], email["language"]) == (user.email, language)
    assert email["context"]["kind"] == "bank_account_changed"
    assert "FI2112345600000785" not in str(email["context"]), "the e-mail shows the number masked"
    assert "0785" in str(email["context"])


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"bank-iban": OTHER_IBAN, "bank-password": "wrong"}, "password", "The password is not correct."),
        ({"bank-iban": OTHER_IBAN, "bank-password": ""}, "password", "This field is required."),
        ({"bank-iban": "FI21 1234 5600 0007 86", "bank-password": PASSWORD}, "iban", "Enter a valid IBAN"),
    ],
)
def test_bank_account_is_not_changed_without_the_password_or_with_a_bad_iban_TEN_2(
    client, household, data, field, message, monkeypatch
):
    person = household.main_tenant
    person.iban = "FI2112345600000785"
    person.save()
    login(client, person)
    client.cookies["django_language"] = "en"

    response = client.post("/profile/contact/bank-account/", data)

    person.refresh_from_db()
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert f'id="id_bank-{field}_error"' in body
    assert person.iban == "FI2112345600000785"
    assert list(OutboxEmail.objects.filter(template="notification")) == []


def test_contact_page_shows_the_bank_account_masked(client, household):
    person = household.main_tenant
    person.iban = "FI2112345600000785"
    person.save()
    login(client, person)
    client.cookies["django_language"] = "en"
    body = client.get("/profile/contact/").content.decode()
    assert "ends with 0785" in body
    assert "FI2112345600000785" not in body


def test_bank_account_change_needs_post(client, household):
    login(client, household.main_tenant)
    assert client.get("/profile/contact/bank-account/").status_code == 405


def test_guessing_the_password_on_the_bank_account_form_stops_after_five_tries_TEN_2(client, household, monkeypatch):
    person = household.main_tenant
    login(client, person)
    client.cookies["django_language"] = "en"
    for _ in range(5):
        client.post("/profile/contact/bank-account/", {"bank-iban": OTHER_IBAN, "bank-password": "guess"})

    response = client.post("/profile/contact/bank-account/", {"bank-iban": OTHER_IBAN, "bank-password": PASSWORD})

    person.refresh_from_db()
    assert "Too many wrong passwords" in response.content.decode()
    assert person.iban == ""
    assert list(OutboxEmail.objects.filter(template="notification")) == []
