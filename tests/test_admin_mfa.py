"""X-9: staff reach the admin only through the rate-limited login and with a second factor."""

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.totp.internal.auth import app_settings as totp_settings

from accounts.models import User

PASSWORD = "Henkil0kunta!"


@pytest.fixture
def require_mfa(settings):
    settings.HEKA_ADMIN_REQUIRE_MFA = True


@pytest.fixture
def staff(db):
    return User.objects.create_user("clerk@heka.example", PASSWORD, is_staff=True, is_superuser=True)


def _current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // totp_settings.TOTP_PERIOD))


def test_admin_login_goes_through_the_rate_limited_login_X_9(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_staff_without_an_authenticator_must_set_one_up_X_9(client, staff, require_mfa):
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")


def test_password_alone_does_not_open_the_admin_X_9(client, staff, require_mfa):
    TOTP.activate(staff, generate_totp_secret())
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/")


def test_password_and_authenticator_code_open_the_admin_X_9(client, staff, require_mfa):
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    response = client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    response = client.post("/accounts/2fa/authenticate/", {"code": _current_code(secret)})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/admin/"  # STF-6: staff land in the admin
    assert client.get("/admin/").status_code == 200


def test_a_wrong_authenticator_code_is_refused_X_9(client, staff, require_mfa):
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    wrong = f"{(int(_current_code(secret)) + 1) % 10**6:06d}"
    response = client.post("/accounts/2fa/authenticate/", {"code": wrong})
    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302
