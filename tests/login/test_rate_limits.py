"""Brute-force limits on login and password reset, with a message that says when to try again (ACC-12)."""

import re
import time

import pytest
from allauth.core.internal import ratelimit

from accounts import lockout
from heka_portal.models import OutboxEmail
from tests.login.conftest import log_in


class Clock:
    """Moves the rate limits' clock without touching the rest of the process."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(ratelimit, "time", clock)
    monkeypatch.setattr(lockout, "time", clock)
    return clock


def _fail(client, email: str, ip: str):
    return log_in(client, email, "Wrong-Pass1", REMOTE_ADDR=ip)


def test_failed_logins_are_limited_per_account_and_the_message_says_when_ACC_12(client, resident, clock):
    for n in range(5):
        _fail(client, "maija.virtanen@example.com", f"10.0.0.{n + 1}")

    # Even the right password from yet another address is refused while the account is locked.
    response = log_in(client, "maija.virtanen@example.com", REMOTE_ADDR="10.0.0.99")

    body = response.content.decode()
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts." in body
    assert re.search(r"You can try again in 15 minutes, at \d", body)

    clock.now += 15 * 60 + 1
    assert log_in(client, "maija.virtanen@example.com", REMOTE_ADDR="10.0.0.99").status_code == 302


def test_lockout_message_counts_down_ACC_12(client, resident, clock):
    for _ in range(5):
        _fail(client, "maija.virtanen@example.com", "10.0.0.1")
    clock.now += 10 * 60
    body = _fail(client, "maija.virtanen@example.com", "10.0.0.2").content.decode()
    assert "You can try again in 5 minutes" in body


def test_failed_logins_are_limited_per_client_address_ACC_12(client, resident, clock):
    for n in range(20):
        _fail(client, f"guess{n}@example.com", "10.0.0.7")

    refused = log_in(client, "maija.virtanen@example.com", REMOTE_ADDR="10.0.0.7")
    assert "Too many failed login attempts." in refused.content.decode()
    assert "_auth_user_id" not in client.session

    # Another client address is not affected.
    assert log_in(client, "maija.virtanen@example.com", REMOTE_ADDR="10.0.0.8").status_code == 302


def test_successful_login_does_not_count_as_a_failure_ACC_12(client, resident):
    for _ in range(6):
        assert log_in(client.__class__(), "maija.virtanen@example.com", REMOTE_ADDR="10.0.0.1").status_code == 302
    # Four failures after six successes: still under the five allowed, so the right password works.
    for n in range(4):
        _fail(client.__class__(), "maija.virtanen@example.com", f"10.0.0.{n + 2}")
    fresh = client.__class__()
    assert log_in(fresh, "maija.virtanen@example.com", REMOTE_ADDR="10.0.0.9").status_code == 302
    assert fresh.session["_auth_user_id"] == str(resident.pk)


def test_too_many_login_requests_get_a_page_saying_when_to_retry_ACC_12(client, db, clock):
    for n in range(30):
        client.post("/accounts/login/", {"login": f"x{n}@example.com", "password": "x"}, REMOTE_ADDR="10.0.1.1")

    response = client.post("/accounts/login/", {"login": "y@example.com", "password": "x"}, REMOTE_ADDR="10.0.1.1")

    body = response.content.decode()
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "There have been too many login attempts from this address." in body
    assert "You can try again in 1 minute" in body
    assert response.templates[0].name == "account/too_many_requests.html"


def test_password_reset_requests_are_limited_per_address_ACC_12(
    client, resident, mailoutbox, clock, django_capture_on_commit_callbacks
):
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/accounts/password/reset/", {"email": "maija.virtanen@example.com"}, REMOTE_ADDR="10.0.2.1")
        assert response.status_code == 302

    response = client.post("/accounts/password/reset/", {"email": "maija.virtanen@example.com"}, REMOTE_ADDR="10.0.2.2")

    assert response.status_code == 429
    assert "You have asked for too many password reset links in a short time." in response.content.decode()
    assert "You can try again in 15 minutes" in response.content.decode()
    assert len(mailoutbox) == 3


def test_password_reset_requests_are_limited_per_client_address_ACC_12(client, resident, clock, mailoutbox):
    """Ten reset requests from one address in 15 minutes; the eleventh is refused, says when to try
    again, and sends nothing, even for an address that has an account; another client is not affected."""
    for n in range(10):
        assert client.post("/accounts/password/reset/", {"email": f"r{n}@example.com"}, REMOTE_ADDR="10.0.3.1").status_code == 302
    outbox_before = OutboxEmail.objects.count()

    response = client.post("/accounts/password/reset/", {"email": "maija.virtanen@example.com"}, REMOTE_ADDR="10.0.3.1")

    body = response.content.decode()
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    assert "You can try again in 15 minutes" in body
    assert OutboxEmail.objects.count() == outbox_before, "no reset e-mail for the refused request"
    assert not OutboxEmail.objects.filter(to="maija.virtanen@example.com").exists()
    other = client.post("/accounts/password/reset/", {"email": "maija.virtanen@example.com"}, REMOTE_ADDR="10.0.3.2")
    assert other.status_code == 302


def test_new_password_attempts_are_limited_per_client_address_ACC_12(client, db, clock):
    for _ in range(20):
        client.post("/accounts/password/reset/key/1-set-password/", {"password1": "x", "password2": "x"}, REMOTE_ADDR="10.0.4.1")
    response = client.post(
        "/accounts/password/reset/key/1-set-password/", {"password1": "x", "password2": "x"}, REMOTE_ADDR="10.0.4.1"
    )
    assert response.status_code == 429
    assert "There have been too many attempts to set a new password" in response.content.decode()
