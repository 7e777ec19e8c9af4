"""P6 at electronic registration (ACC-2), P8 at office registration (ACC-5): each failed rule is named."""

import pytest

from accounts.models import User
from tests.factories.accounts import OfficeIdentificationFactory

from .conftest import identify

P6_MESSAGES = {
    "length": "The password must be at least 6 characters long.",
    "upper": "The password must contain a capital letter.",
    "lower": "The password must contain a lower-case letter.",
    "digit": "The password must contain a digit.",
    "special": "The password must contain a special character",
}
P8_MESSAGES = {
    "length": "The password must be at least 8 characters long.",
    "upper": "The password must contain a capital letter.",
    "special": "The password must contain a special character",
}


def _post_electronic(client, person, password):
    identify(client, person)
    return client.post(
        "/accounts/register/details/", {"email": "maija@example.com", "password1": password, "password2": password}
    )


@pytest.mark.parametrize(
    ("password", "failed"),
    [
        ("Ab1!x", "length"),
        ("kesa4!ilta", "upper"),
        ("KESA4!ILTA", "lower"),
        ("Kesa!ilta", "digit"),
        ("Kesa4ilta", "special"),
    ],
)
def test_p6_names_the_one_rule_that_failed_ACC_2(english, household, password, failed):
    response = _post_electronic(english, household.main_tenant, password)

    body = response.content.decode()
    assert response.status_code == 400
    assert P6_MESSAGES[failed] in body
    for rule, message in P6_MESSAGES.items():
        if rule != failed:
            assert message not in body, rule
    assert not User.objects.filter(email="maija@example.com").exists()


def test_p6_names_every_rule_that_failed_at_once_ACC_2(english, household):
    body = _post_electronic(english, household.main_tenant, "abc").content.decode()
    for rule in ("length", "upper", "digit", "special"):
        assert P6_MESSAGES[rule] in body


def test_p6_accepts_a_password_meeting_every_rule_ACC_2(english, household):
    """Six characters with a capital, a lower-case letter, a digit and a special character: the
    account is made with that password (inactive until activated), and no rule is named."""
    response = _post_electronic(english, household.main_tenant, "Ab1!xy")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/register/sent/"
    user = User.objects.get(email="maija@example.com")
    assert (user.person, user.is_active) == (household.main_tenant, False)
    assert user.check_password("Ab1!xy")
    page = english.get(response["Location"]).content.decode()
    for message in P6_MESSAGES.values():
        assert message not in page


def _post_office(client, identification, password):
    client.post("/accounts/register/office/", {"email": identification.email})
    return client.post("/accounts/register/office/password/", {"password1": password, "password2": password})


@pytest.mark.parametrize(
    ("password", "failed"),
    [
        ("Sauna!x", "length"),
        ("saunatonttu!", "upper"),
        ("Saunatonttu", "special"),
    ],
)
def test_p8_names_the_one_rule_that_failed_ACC_5(english, household, password, failed):
    identification = OfficeIdentificationFactory(person=household.main_tenant)

    response = _post_office(english, identification, password)

    body = response.content.decode()
    assert response.status_code == 400
    assert P8_MESSAGES[failed] in body
    for rule, message in P8_MESSAGES.items():
        if rule != failed:
            assert message not in body, rule
    assert not User.objects.filter(person=household.main_tenant).exists()


def test_p8_needs_no_digit_or_lower_case_but_p6_does_ACC_5(english, household):
    """ACC-5: 'SAUNATONTTU!' meets P8 but not P6."""
    identification = OfficeIdentificationFactory(person=household.main_tenant)
    response = _post_office(english, identification, "SAUNATONTTU!")
    assert response.status_code == 302
    assert User.objects.filter(email=identification.email, is_active=False).exists()

    p6 = _post_electronic(english, household.co_tenant, "SAUNATONTTU!").content.decode()
    assert P6_MESSAGES["lower"] in p6
    assert P6_MESSAGES["digit"] in p6


def test_six_characters_are_too_few_for_p8_ACC_5(english, household):
    identification = OfficeIdentificationFactory(person=household.main_tenant)
    body = _post_office(english, identification, "Ab1!xy").content.decode()
    assert P8_MESSAGES["length"] in body


def test_common_passwords_are_refused_too_X_9(english, household):
    body = _post_electronic(english, household.main_tenant, "Password1!").content.decode()
    assert "This password is too common." in body
