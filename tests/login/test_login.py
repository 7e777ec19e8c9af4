"""Logging in with e-mail and password, and the tenancy gate at login (ACC-6, ACC-10)."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from heka_portal.ops.sessions import ACTIVITY_KEY
from tests.login.conftest import PASSWORD, log_in


def test_login_with_email_and_password_rotates_the_session_ACC_6(client, resident):
    session = client.session
    session["visited"] = True
    session.save()
    anonymous_key = client.cookies[settings.SESSION_COOKIE_NAME].value

    response = log_in(client, "maija.virtanen@example.com")

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert client.session["_auth_user_id"] == str(resident.pk)
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != anonymous_key
    assert not Session.objects.filter(session_key=anonymous_key).exists()
    assert client.get("/dashboard/").status_code == 200


def test_login_ignores_the_case_of_the_address_ACC_6(client, resident):
    assert log_in(client, "Maija.Virtanen@EXAMPLE.com").status_code == 302
    assert client.session["_auth_user_id"] == str(resident.pk)


def test_wrong_password_is_refused_without_saying_which_part_was_wrong_ACC_6(client, resident):
    response = log_in(client, "maija.virtanen@example.com", "Wrong-Pass1")
    assert response.status_code == 200
    assert "The e-mail address or the password is not correct." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_idle_session_expires_ACC_6(client, resident):
    log_in(client, "maija.virtanen@example.com")
    session = Session.objects.get(session_key=client.session.session_key)
    left = session.expire_date - timezone.now()
    assert timedelta(seconds=settings.SESSION_COOKIE_AGE - 60) < left <= timedelta(seconds=settings.SESSION_COOKIE_AGE)

    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))

    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_request_renews_the_idle_timeout_ACC_6_PRF_2(client, resident):
    log_in(client, "maija.virtanen@example.com")
    # The last activity was written two minutes ago, and the session is a minute from its end.
    session = client.session
    session[ACTIVITY_KEY] = int(time.time()) - 120
    session.save()
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=timezone.now() + timedelta(minutes=1))
    assert client.get("/dashboard/").status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    assert session.expire_date - timezone.now() > timedelta(minutes=25)


@pytest.mark.parametrize(("who", "says"), [("former_tenant", "no longer a Heka resident"), ("applicant", "could not find you")])
def test_person_without_tenancy_is_refused_at_login_with_contacts_ACC_10(client, household, make_user, who, says):
    make_user(getattr(household, who), email="someone@example.com")

    response = log_in(client, "someone@example.com")

    body = response.content.decode()
    assert response.status_code == 403
    assert says in body
    assert settings.HEKA_CUSTOMER_SERVICE_PHONE in body
    assert settings.HEKA_CUSTOMER_SERVICE_EMAIL in body
    assert "_auth_user_id" not in client.session
    assert client.get("/dashboard/").status_code == 302


def test_future_tenant_logs_in_and_sees_only_the_start_date_TEN_11(client, household, make_user):
    make_user(household.future_tenant, email="tuuli@example.com")
    assert log_in(client, "tuuli@example.com").status_code == 302
    assert "Your agreement starts on" in client.get("/dashboard/").content.decode()


def test_guardian_logs_in_with_the_wards_rights_TEN_10(client, household, make_user):
    """The guardian has no home of their own: logged in, they see the ward's home, labelled with
    the ward, with the ward's role, and the ward's building; nothing of a main tenant."""
    guardian = make_user(household.guardian, email="helena@example.com")
    response = log_in(client, "helena@example.com")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(guardian.pk)

    dashboard = client.get(response["Location"])
    body = dashboard.content.decode()
    assert dashboard.status_code == 200
    assert f"On behalf of {household.ward.full_name}" in body
    assert household.apartment.address in body
    assert "Occupant" in body, "the ward's rights: an occupant's"
    assert 'href="/economy/"' not in body, "not a main tenant's functions"
    assert household.building.name in client.get("/building/").content.decode()
    assert client.get("/economy/").status_code == 403


def test_account_not_yet_linked_to_a_person_may_log_in_ACC_9(client, make_user):
    make_user(None, email="applicant-service@example.com")
    response = log_in(client, "applicant-service@example.com")
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_staff_account_logs_in_without_a_tenancy_ACC_10(client, household, make_user):
    clerk = make_user(household.former_tenant, email="clerk@heka.example", is_staff=True)
    assert log_in(client, "clerk@heka.example").status_code == 302
    assert client.session["_auth_user_id"] == str(clerk.pk)


def test_inactive_account_is_not_logged_in_ACC_3(client, resident):
    resident.is_active = False
    resident.save(update_fields=["is_active"])
    log_in(client, "maija.virtanen@example.com")
    assert "_auth_user_id" not in client.session


def test_tenancy_ending_during_a_session_loses_access_at_the_next_request_ACC_10(client, household, resident, today):
    assert log_in(client, "maija.virtanen@example.com").status_code == 302
    assert client.get("/dashboard/").status_code == 200

    household.agreement.ends_on = today - timedelta(days=1)
    household.agreement.save(update_fields=["ends_on"])

    response = client.get("/dashboard/")
    assert response.status_code == 403
    assert "no longer a Heka resident" in response.content.decode()
    assert log_in(client.__class__(), "maija.virtanen@example.com").status_code == 403


def test_login_page_offers_reset_and_registration(client, db):
    body = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password/reset/"' in body
    assert "Register as user" in body


def test_logout_ends_the_session(client, resident):
    log_in(client, "maija.virtanen@example.com")
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/dashboard/").status_code == 302


def test_password_is_never_shown_back(client, resident):
    body = log_in(client, "maija.virtanen@example.com", "Wrong-Pass1").content.decode()
    assert "Wrong-Pass1" not in body
    assert PASSWORD not in body


def test_applicant_refused_at_login_is_shown_the_way_to_the_applications_ACC_10(client, household, make_user):
    make_user(household.applicant, email="hanna@example.com")
    body = log_in(client, "hanna@example.com").content.decode()
    assert 'href="/applications/"' in body


def test_former_tenant_refused_at_login_is_not_sent_to_the_applications_ACC_10(client, household, make_user):
    make_user(household.former_tenant, email="ville@example.com")
    assert 'href="/applications/"' not in log_in(client, "ville@example.com").content.decode().split("<footer")[0]
