"""A new e-mail address: register again; at activation the old account is deactivated (ACC-14)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from accounts.models import User
from tenancy.models import TerminationNotice
from tests.factories.accounts import UserFactory

from .conftest import STRONG_PASSWORD, last_activation_path


@pytest.fixture
def old_account(household):
    return UserFactory(email="maija.old@example.com", person=household.main_tenant)


def test_new_address_registration_deactivates_the_old_account_and_keeps_history_ACC_14(
    register, activate, english, household, old_account, today
):
    notice = TerminationNotice.objects.create(
        agreement=household.agreement,
        submitted_by=household.main_tenant,
        notice_date=today - timedelta(days=3),
        ends_on=today + timedelta(days=40),
    )
    old_browser = Client()
    old_browser.force_login(old_account)
    assert old_browser.get("/dashboard/").status_code == 200

    form = register(household.main_tenant, "maija.new@example.com", new_address="1")
    assert form.status_code == 302
    old_account.refresh_from_db()
    assert old_account.is_active, "the old account works until the new one is activated"

    assert activate(last_activation_path(), "maija.new@example.com").status_code == 302

    old_account.refresh_from_db()
    new_account = User.objects.get(email="maija.new@example.com")
    assert not old_account.is_active
    assert new_account.is_active
    assert new_account.person == old_account.person == household.main_tenant
    assert User.objects.filter(person=household.main_tenant, is_active=True).get() == new_account
    # History belongs to the person, so the new account shows it.
    page = english.get(f"/economy/terminations/{notice.pk}/")
    assert page.status_code == 200
    # The old account's open session ends at its next request.
    assert old_browser.get("/dashboard/").status_code == 302


def test_the_new_address_form_explains_what_happens_to_the_old_account_ACC_14(english, household, old_account):
    from .conftest import identify

    identify(english, household.main_tenant)
    body = english.get("/accounts/register/details/?new_address=1").content.decode()
    assert "your current account m***d@example.com stops working" in body
    assert 'name="new_address"' in body


def test_old_account_can_no_longer_log_in_after_the_new_one_is_activated_ACC_14(register, activate, household, old_account):
    register(household.main_tenant, "maija.new@example.com", new_address="1")
    activate(last_activation_path(), "maija.new@example.com")
    assert not Client().login(email="maija.old@example.com", password="Sal4sana!x")
    assert Client().login(email="maija.new@example.com", password=STRONG_PASSWORD)


def test_database_allows_only_one_active_account_per_person_ACC_11(household, old_account):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("second@example.com", STRONG_PASSWORD, person=household.main_tenant)


@pytest.mark.postgres
def test_activation_keeps_one_active_account_per_person_on_postgresql_ACC_14(register, activate, household, old_account):
    register(household.main_tenant, "maija.new@example.com", new_address="1")
    assert activate(last_activation_path(), "maija.new@example.com").status_code == 302
    assert User.objects.filter(person=household.main_tenant, is_active=True).count() == 1
