"""The profile: the user name cannot be changed, and why (ACC-8, ACC-14); the language is editable."""

from accounts.models import User
from tests.factories.accounts import UserFactory


def test_profile_shows_the_unchangeable_user_name_and_explains_reregistration_ACC_8(english, household):
    user = UserFactory.create(email="maija@example.com", person=household.main_tenant)
    english.force_login(user)

    response = english.get("/accounts/profile/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "maija@example.com" in body
    assert "cannot be changed" in body
    assert "register again" in body
    assert 'name="email"' not in body
    assert "no-store" in response["Cache-Control"]


def test_language_preference_is_saved_for_the_account_and_person_ACC_8(english, household):
    user = UserFactory.create(email="maija@example.com", person=household.main_tenant, language="fi")
    english.force_login(user)

    response = english.post("/accounts/profile/language/", {"language": "sv"})

    assert response["Location"] == "/accounts/profile/"
    assert response.cookies["django_language"].value == "sv"
    user.refresh_from_db()
    household.main_tenant.refresh_from_db()
    assert user.language == household.main_tenant.preferred_language == "sv"


def test_unknown_language_is_refused_ACC_8(english, household):
    user = UserFactory.create(email="maija@example.com", person=household.main_tenant, language="fi")
    english.force_login(user)
    assert english.post("/accounts/profile/language/", {"language": "de"}).status_code == 400
    assert User.objects.get(pk=user.pk).language == "fi"


def test_profile_needs_login_ACC_8(client, db):
    assert client.get("/accounts/profile/")["Location"].startswith("/accounts/login/")


def test_former_tenant_session_loses_the_profile_ACC_10(english, household):
    english.force_login(UserFactory.create(person=household.former_tenant))
    response = english.get("/accounts/profile/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "contact customer service" in body
    assert household.former_tenant.last_name not in body
