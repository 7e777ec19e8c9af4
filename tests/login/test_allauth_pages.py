"""Every page allauth serves renders in the portal's layout (X-2, X-4)."""

import pytest
from allauth.account.models import EmailAddress

from tests.login.conftest import log_in


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/password/reset/key/done/",
        "/accounts/password/reset/key/1-nonsense/",
        "/accounts/inactive/",
    ],
)
def test_anonymous_allauth_pages_use_the_portal_layout(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="site-header"' in body
    assert body.count("<h1") == 1


@pytest.mark.parametrize(
    "path",
    ["/accounts/logout/", "/accounts/password/change/", "/accounts/email/", "/accounts/reauthenticate/"],
)
def test_signed_in_allauth_pages_use_the_portal_layout(client, resident, path):
    log_in(client, "maija.virtanen@example.com")
    response = client.get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="site-header"' in body
    assert body.count("<h1") == 1


def test_signup_is_closed_and_points_to_identification_ACC_1(client, db):
    body = client.get("/accounts/signup/").content.decode()
    assert "Register as user" in body
    assert "<form" not in body.split('id="main"')[1]


def test_password_change_follows_policy_P6_ACC_2(client, resident):
    log_in(client, "maija.virtanen@example.com")
    body = client.post(
        "/accounts/password/change/", {"oldpassword": "Vanha-Sala1", "password1": "abcdefg1", "password2": "abcdefg1"}
    ).content.decode()
    assert "must contain a capital letter" in body
    assert "must contain a special character" in body


def test_user_name_cannot_be_changed_ACC_8(client, resident):
    log_in(client, "maija.virtanen@example.com")
    assert "Your user name cannot be changed." in client.get("/accounts/email/").content.decode()

    client.post("/accounts/email/", {"action_add": "", "email": "new.address@example.com"})

    assert not EmailAddress.objects.filter(email="new.address@example.com").exists()
    resident.refresh_from_db()
    assert resident.email == "maija.virtanen@example.com"
