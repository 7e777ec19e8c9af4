"""An account made in the rental-application service is linked to its person once (ACC-9)."""

from typing import Any

import pytest

from accounts.models import User
from tests.factories.accounts import UserFactory

from .conftest import identify


@pytest.fixture
def application_account(db):
    return UserFactory(email="hakija@example.com", person=None)


def test_account_without_person_is_sent_to_strong_identification_ACC_9(english, application_account):
    english.force_login(application_account)

    response = english.get("/dashboard/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/link/"
    page = english.get("/accounts/link/").content.decode()
    assert "Identify once to use the Resident Portal" in page
    assert 'action="/accounts/link/identify/"' in page


def test_link_identification_uses_the_link_purpose_ACC_9(english, application_account, monkeypatch):
    started: dict[str, Any] = {}

    def fake_start(request, *, purpose, next_url):
        from django.http import HttpResponseRedirect

        started.update(purpose=purpose, next_url=next_url)
        return HttpResponseRedirect("/idp/")

    monkeypatch.setattr("accounts.views.start_identification", fake_start)
    english.force_login(application_account)
    english.post("/accounts/link/identify/")
    assert started == {"purpose": "link", "next_url": "/accounts/link/"}


def test_identified_resident_links_the_account_once_ACC_9(english, household, application_account):
    english.force_login(application_account)
    identify(english, household.family_member, purpose="link")

    page = english.get("/accounts/link/")
    assert "Link my account" in page.content.decode()
    linked = english.post("/accounts/link/confirm/")

    assert linked["Location"] == "/dashboard/"
    application_account.refresh_from_db()
    assert application_account.person == household.family_member
    assert english.get("/dashboard/").status_code == 200
    assert english.get("/accounts/link/")["Location"] == "/dashboard/"


def test_identity_for_registration_does_not_link_ACC_9(english, household, application_account):
    english.force_login(application_account)
    identify(english, household.family_member, purpose="register")
    english.post("/accounts/link/confirm/")
    application_account.refresh_from_db()
    assert application_account.person is None


def test_former_tenant_cannot_link_ACC_9_ACC_10(english, household, application_account):
    english.force_login(application_account)
    identify(english, household.former_tenant, purpose="link")

    response = english.get("/accounts/link/")

    assert response.status_code == 403
    assert "no longer a Heka resident" in response.content.decode()
    application_account.refresh_from_db()
    assert application_account.person is None


def test_person_with_an_active_account_cannot_link_a_second_ACC_9_ACC_11(english, household, application_account):
    UserFactory(email="maija@example.com", person=household.main_tenant)
    english.force_login(application_account)
    identify(english, household.main_tenant, purpose="link")

    response = english.get("/accounts/link/")

    assert "You already have an account" in response.content.decode()
    assert "m***a@example.com" in response.content.decode()
    assert english.post("/accounts/link/confirm/")["Location"] == "/accounts/link/"
    application_account.refresh_from_db()
    assert application_account.person is None
    assert User.objects.filter(person=household.main_tenant).count() == 1


def test_staff_without_person_is_not_sent_to_link_but_to_the_admin_ACC_9_STF_6(client, db):
    client.force_login(UserFactory(person=None, is_staff=True))
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
