"""The application service's sign-in and limits must not weaken the portal's login protection (ACC-12)."""

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import User
from applications import services
from tests.factories.tenancy import PersonFactory

from .flow import kalle_with_email

PASSWORD = "Uusi-salasana1"


@pytest.fixture
def kalle(db):
    return User.objects.create_user("kalle@example.com", PASSWORD, person=PersonFactory())


@pytest.fixture
def office_identified(submit, db):
    """An applicant who gave kalle@example.com at the advisory office (APP-5)."""
    clerk = User.objects.create_user("clerk@heka.example", "x", is_staff=True)
    applicant = submit(co_applicants=[kalle_with_email("")]).applicants.get(first_names="Kalle")
    services.office_identification_record(
        applicant=applicant,
        document_type="passport",
        identity_code="010469-999W",
        office="Työpajankatu 8",
        clerk=clerk,
        identified_at=timezone.now(),
        email="kalle@example.com",
    )
    mail.outbox.clear()


def _ask_username(client, email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/applications/username/", {"email": email})


def _sign_in(client, email, password, address):
    return client.post("/applications/sign-in/", {"email": email, "password": password}, REMOTE_ADDR=address)


def test_sign_in_failures_are_limited_per_account_across_client_addresses_ACC_12(client, kalle):
    for n in range(5):
        _sign_in(client, "kalle@example.com", "wrong", f"10.0.0.{n + 1}")

    response = _sign_in(client, "kalle@example.com", PASSWORD, "10.0.0.99")

    assert "Too many attempts" in response.content.decode()
    assert response.status_code == 200


def test_sign_in_failures_count_towards_the_resident_login_limit_ACC_12(client, kalle):
    for n in range(5):
        _sign_in(client, "kalle@example.com", "wrong", f"10.0.1.{n + 1}")

    response = client.post("/accounts/login/", {"login": "kalle@example.com", "password": PASSWORD}, REMOTE_ADDR="10.0.1.99")

    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts." in response.content.decode()


def test_sign_in_failures_are_limited_per_client_address_ACC_12(client, kalle):
    for n in range(20):
        _sign_in(client, f"guess{n}@example.com", "wrong", "10.0.2.7")

    response = _sign_in(client, "kalle@example.com", PASSWORD, "10.0.2.7")

    assert "Too many attempts" in response.content.decode()


def test_limits_behind_a_proxy_count_each_client_not_the_proxy_APP_6_ACC_12(
    client, settings, office_identified, django_capture_on_commit_callbacks
):
    """Behind a proxy every request comes from the proxy's address; one client must not use up
    everybody's "Create username" requests."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(6):
        client.defaults["HTTP_X_FORWARDED_FOR"] = f"192.0.2.{n + 1}"
        _ask_username(client, "someone.else@example.com", django_capture_on_commit_callbacks)

    client.defaults["HTTP_X_FORWARDED_FOR"] = "198.51.100.1"
    _ask_username(client, "kalle@example.com", django_capture_on_commit_callbacks)

    assert [message.to for message in mail.outbox] == [["kalle@example.com"]]
