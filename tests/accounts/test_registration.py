"""Registration with strong electronic identification (ACC-1, ACC-2, ACC-10, ACC-11, ACC-14)."""

from typing import Any

import pytest
from django.conf import settings
from django.core import mail

from accounts.models import Registration, User
from heka_portal.models import OutboxEmail
from tests.factories.accounts import UserFactory
from tests.mail import html_part

from .conftest import STRONG_PASSWORD, identify, last_activation_path


def test_register_page_offers_electronic_and_office_identification_ACC_1(english, db):
    response = english.get("/accounts/register/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Identify yourself" in body
    assert 'href="/accounts/register/office/"' in body
    assert 'action="/accounts/register/identify/"' in body


def test_front_page_links_to_register_ACC_1(english, db):
    assert 'href="/accounts/register/"' in english.get("/").content.decode()


def test_identify_button_starts_strong_identification_for_registration_ACC_1(english, db, monkeypatch):
    started: dict[str, Any] = {}

    def fake_start(request, *, purpose, next_url):
        started.update(purpose=purpose, next_url=next_url)
        from django.http import HttpResponseRedirect

        return HttpResponseRedirect("/idp/")

    monkeypatch.setattr("accounts.views.start_identification", fake_start)
    assert english.get("/accounts/register/identify/").status_code == 405
    response = english.post("/accounts/register/identify/")
    assert response["Location"] == "/idp/"
    assert started == {"purpose": "register", "next_url": "/accounts/register/details/"}


def test_registration_creates_inactive_account_and_sends_activation_email_ACC_1(register, household):
    response = register(household.main_tenant, "maija@example.com")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/register/sent/"
    user = User.objects.get(email="maija@example.com")
    assert (user.is_active, user.person, user.language) == (False, household.main_tenant, "en")
    assert user.check_password(STRONG_PASSWORD)
    assert Registration.objects.get(user=user).method == Registration.Method.ELECTRONIC
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["maija@example.com"]
    assert "Activate your Heka Resident Portal account" in message.subject
    assert "/accounts/activate/" in message.body
    assert "/accounts/activate/" in html_part(message)


def test_sent_page_names_the_address_ACC_1(register, english, household):
    register(household.main_tenant, "maija@example.com")
    body = english.get("/accounts/register/sent/").content.decode()
    assert "maija@example.com" in body
    assert "24 hours" in body


def test_identification_is_used_once_ACC_1(register, english, household):
    register(household.main_tenant, "maija@example.com")
    assert "heka_identity" not in english.session
    again = english.post(
        "/accounts/register/details/",
        {"email": "other@example.com", "password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD},
    )
    assert again.status_code == 400
    assert not User.objects.filter(email="other@example.com").exists()


def test_activation_token_is_not_stored_in_the_outbox_X_6(register, household):
    register(household.main_tenant, "maija@example.com")
    row = OutboxEmail.objects.get()
    assert row.link_builder == "accounts_activation"
    assert row.link_args == {"user_id": User.objects.get(email="maija@example.com").pk}
    assert "activate" not in str(row.context)


@pytest.mark.parametrize("who", ["main_tenant", "co_tenant", "family_member", "sublessee", "guardian", "future_tenant"])
def test_current_residents_and_future_tenants_may_register_ACC_10(register, household, who):
    response = register(getattr(household, who), f"{who}@example.com")
    assert response.status_code == 302
    assert User.objects.filter(email=f"{who}@example.com", is_active=False).exists()


@pytest.mark.parametrize("who", ["former_tenant", "applicant"])
def test_former_tenant_and_applicant_are_refused_at_registration_nothing_created_ACC_10(english, household, who):
    person = getattr(household, who)
    identify(english, person)

    response = english.get("/accounts/register/details/")

    body = response.content.decode()
    assert response.status_code == 403
    assert "You cannot register for the Resident Portal" in body
    assert "contact customer service" in body
    assert settings.HEKA_CUSTOMER_SERVICE_PHONE in body
    assert "asiakaspalvelu@heka.example" in body
    if who == "former_tenant":
        assert "no longer a Heka resident" in body
    else:
        assert "could not find you among Heka's current residents" in body
    assert "heka_identity" not in english.session
    assert not User.objects.filter(person=person).exists()
    assert not mail.outbox


def test_person_not_in_register_is_refused_ACC_10(english, db):
    identify(english, None, hetu_hash="0" * 64)
    response = english.get("/accounts/register/details/")
    assert response.status_code == 403
    assert "could not find you" in response.content.decode()
    assert not User.objects.exists()


def test_refused_person_cannot_post_the_form_either_ACC_10(english, household):
    identify(english, household.former_tenant)
    response = english.post(
        "/accounts/register/details/",
        {"email": "ville@example.com", "password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD},
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="ville@example.com").exists()


def test_without_identification_the_form_is_not_shown_ACC_1(english, db):
    response = english.get("/accounts/register/details/")
    assert response.status_code == 200
    assert "Identify yourself" in response.content.decode()
    assert 'name="password1"' not in response.content.decode()


def test_identification_timeout_keeps_the_typed_address_X_4(english, household):
    response = english.post(
        "/accounts/register/details/",
        {"email": "maija@example.com", "password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD},
    )
    assert response.status_code == 400
    assert "the e-mail address you typed is kept" in response.content.decode()

    identify(english, household.main_tenant)
    form = english.get("/accounts/register/details/").content.decode()
    assert 'value="maija@example.com"' in form
    assert STRONG_PASSWORD not in form


def test_errors_keep_the_typed_address_but_never_the_password_X_4(register, household):
    response = register(household.main_tenant, "maija@example.com", password="short")
    body = response.content.decode()
    assert response.status_code == 400
    assert 'value="maija@example.com"' in body
    assert 'value="short"' not in body
    assert "Please correct the marked fields." in body
    assert 'id="id_password1_error"' in body
    assert not User.objects.filter(email="maija@example.com").exists()


def test_passwords_must_match_ACC_1(register, household):
    response = register(household.main_tenant, "maija@example.com", password2="Different!1x")
    assert response.status_code == 400
    assert "The two passwords are not the same." in response.content.decode()


def test_email_typed_with_different_case_is_one_user_name_ACC_1(register, activate, household):
    register(household.main_tenant, "  Maija.Virtanen@Example.COM ")
    user = User.objects.get()
    assert user.email == "maija.virtanen@example.com"

    confirmed = activate(last_activation_path(), "MAIJA.virtanen@EXAMPLE.com")
    assert confirmed.status_code == 302
    assert confirmed["Location"] == "/dashboard/"


def test_address_of_an_existing_account_in_other_case_is_refused_ACC_1(register, household):
    UserFactory(email="maija@example.com", person=household.co_tenant)
    response = register(household.main_tenant, "MAIJA@Example.com")
    assert response.status_code == 400
    assert "already the user name of an account" in response.content.decode()
    assert User.objects.filter(person=household.main_tenant).count() == 0


def test_registering_twice_for_one_hetu_shows_the_masked_account_ACC_11(english, household):
    UserFactory(email="maija.virtanen@example.com", person=household.main_tenant)
    identify(english, household.main_tenant)

    response = english.get("/accounts/register/details/")

    body = response.content.decode()
    assert "You already have an account" in body
    assert "m***n@example.com" in body
    assert "maija.virtanen@example.com" not in body
    assert 'href="/accounts/login/"' in body
    assert 'href="/accounts/password/reset/"' in body
    assert "/accounts/register/details/?new_address=1" in body
    assert 'name="password1"' not in body


def test_registering_twice_cannot_post_past_the_notice_without_choosing_a_new_address_ACC_11(register, household):
    UserFactory(email="maija@example.com", person=household.main_tenant)
    response = register(household.main_tenant, "maija2@example.com")
    assert "You already have an account" in response.content.decode()
    assert not User.objects.filter(email="maija2@example.com").exists()


def test_pending_registration_with_the_same_address_is_taken_over_ACC_1(register, english, household):
    register(household.main_tenant, "maija@example.com", password="First!pass1")
    first_link = last_activation_path()
    register(household.main_tenant, "maija@example.com", password="Second!pass2")

    user = User.objects.get(email="maija@example.com")
    assert user.check_password("Second!pass2")
    assert not user.is_active
    assert len(mail.outbox) == 2
    # The first e-mail's link belongs to the replaced registration.
    assert english.get(first_link).status_code == 410


def test_login_page_links_to_register_ACC_1(english, db):
    assert 'href="/accounts/register/"' in english.get("/accounts/login/").content.decode()


def test_applicant_refused_at_registration_is_shown_the_way_to_the_applications_ACC_10(english, household):
    identify(english, household.applicant)
    body = english.get("/accounts/register/details/").content.decode()
    assert 'href="/applications/"' in body


def test_the_account_holder_is_told_once_a_day_when_their_identity_starts_a_registration_NTF_3_ACC_11(english, household):
    from notifications.kinds import PROTECTIVE, Kind
    from notifications.models import Notification

    UserFactory(email="maija.virtanen@example.com", person=household.main_tenant)
    identify(english, household.main_tenant)

    english.get("/accounts/register/details/")
    english.get("/accounts/register/details/")

    [notice] = Notification.objects.filter(recipient=household.main_tenant, kind=Kind.NEW_IDENTITY_SIGN_IN)
    [email] = OutboxEmail.objects.filter(to="maija.virtanen@example.com", context__kind=Kind.NEW_IDENTITY_SIGN_IN)
    assert notice.params["on"] == email.context["params"]["on"]
    # Protective (NTF-3): it comes by e-mail whatever the preferences say.
    assert Kind.NEW_IDENTITY_SIGN_IN in PROTECTIVE
