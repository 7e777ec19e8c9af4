"""The activation link: 24 hours, once, confirmed with the e-mail address and password (ACC-3)."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import User
from accounts.tokens import activation_link
from tenancy.models import AgreementParty

from .conftest import STRONG_PASSWORD, last_activation_path


def _link_made_hours_ago(monkeypatch, user, hours: float) -> str:
    link = activation_link({"user_id": user.pk}, issued_at=timezone.now() - datetime.timedelta(hours=hours))
    return link.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_activation_confirms_with_email_and_password_logs_in_and_goes_to_dashboard_ACC_3(register, english, household):
    register(household.main_tenant, "maija@example.com")
    path = last_activation_path()

    opened = english.get(path)
    assert opened.status_code == 302
    assert opened["Location"] == "/accounts/activate/confirm/"
    page = english.get("/accounts/activate/confirm/")
    assert page.status_code == 200
    assert "Confirm your registration" in page.content.decode()
    key_before = english.session.session_key

    confirmed = english.post("/accounts/activate/confirm/", {"email": "maija@example.com", "password": STRONG_PASSWORD})

    assert confirmed.status_code == 302
    assert confirmed["Location"] == "/dashboard/"
    user = User.objects.get(email="maija@example.com")
    assert user.is_active
    assert user.registration.activated_at is not None
    assert english.session.session_key != key_before
    assert int(english.session["_auth_user_id"]) == user.pk
    dashboard = english.get("/dashboard/")
    assert dashboard.status_code == 200
    assert "Your account is now active" in dashboard.content.decode()


def test_the_token_leaves_the_address_bar_ACC_3(register, english, household):
    register(household.main_tenant, "maija@example.com")
    page = english.get(last_activation_path(), follow=True)
    assert page.redirect_chain[-1][0] == "/accounts/activate/confirm/"
    assert "no-store" in page["Cache-Control"]


@pytest.mark.parametrize(
    ("email", "password"),
    [("maija@example.com", "Wrong!pass1"), ("other@example.com", STRONG_PASSWORD)],
)
def test_wrong_email_or_password_does_not_activate_ACC_3(register, english, household, email, password):
    register(household.main_tenant, "maija@example.com")
    english.get(last_activation_path())

    response = english.post("/accounts/activate/confirm/", {"email": email, "password": password})

    body = response.content.decode()
    assert response.status_code == 400
    assert "is not the one you chose when you registered" in body
    assert password not in body
    assert not User.objects.get(email="maija@example.com").is_active
    assert "_auth_user_id" not in english.session


def test_activation_link_used_twice_says_so_and_offers_login_ACC_3(register, activate, household):
    register(household.main_tenant, "maija@example.com")
    path = last_activation_path()
    assert activate(path, "maija@example.com").status_code == 302

    other_browser = Client()
    other_browser.cookies["django_language"] = "en"
    again = other_browser.get(path)

    body = again.content.decode()
    assert again.status_code == 410
    assert "This activation link has already been used" in body
    assert 'href="/accounts/login/"' in body
    assert 'action="/accounts/activate/new/"' in body


def test_confirm_page_cannot_be_posted_twice_ACC_3(register, english, household):
    register(household.main_tenant, "maija@example.com")
    english.get(last_activation_path())
    data = {"email": "maija@example.com", "password": STRONG_PASSWORD}
    assert english.post("/accounts/activate/confirm/", data).status_code == 302
    second = english.post("/accounts/activate/confirm/", data)
    assert second.status_code == 410


def test_activation_link_after_24_hours_is_expired_and_a_new_link_is_offered_ACC_3(
    register, english, household, monkeypatch, django_capture_on_commit_callbacks
):
    register(household.main_tenant, "maija@example.com")
    user = User.objects.get(email="maija@example.com")
    old_path = _link_made_hours_ago(monkeypatch, user, 24.05)

    response = english.get(old_path)

    body = response.content.decode()
    assert response.status_code == 410
    assert "This activation link has expired" in body
    assert "Your registration is kept" in body
    assert 'action="/accounts/activate/new/"' in body
    user.refresh_from_db()
    assert not user.is_active
    assert user.check_password(STRONG_PASSWORD)

    # Nothing is lost: the new link activates the same registration with the same password.
    with django_capture_on_commit_callbacks(execute=True):
        answer = english.post("/accounts/activate/new/", {"email": "maija@example.com"})
    assert answer.status_code == 200
    assert len(mail.outbox) == 2
    english.get(last_activation_path())
    confirmed = english.post("/accounts/activate/confirm/", {"email": "maija@example.com", "password": STRONG_PASSWORD})
    assert confirmed["Location"] == "/dashboard/"


def test_activation_link_is_valid_just_before_24_hours_ACC_3(register, english, household, monkeypatch):
    """A link made 23.9 hours ago still opens the confirmation and activates the account."""
    register(household.main_tenant, "maija@example.com")
    path = _link_made_hours_ago(monkeypatch, User.objects.get(email="maija@example.com"), 23.9)

    opened = english.get(path)

    assert opened.status_code == 302
    assert opened["Location"] == "/accounts/activate/confirm/"
    assert 'name="password"' in english.get(opened["Location"]).content.decode()
    confirmed = english.post("/accounts/activate/confirm/", {"email": "maija@example.com", "password": STRONG_PASSWORD})
    assert confirmed["Location"] == "/dashboard/"
    assert User.objects.get(email="maija@example.com").is_active


def test_a_tampered_link_gets_a_clear_page_ACC_3(register, english, household):
    register(household.main_tenant, "maija@example.com")
    path = last_activation_path()
    response = english.get(path[:-3] + "xx/")
    assert response.status_code == 410
    assert "This activation link does not work" in response.content.decode()


def test_confirm_page_without_a_link_gets_a_clear_page_ACC_3(english, db):
    response = english.get("/accounts/activate/confirm/")
    assert response.status_code == 410
    assert "Get a new activation link" in response.content.decode()


def _comparable(response, email: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode().replace(email, "X"))


def test_new_link_answer_is_the_same_for_unknown_and_active_addresses_ACC_3(
    english, household, django_capture_on_commit_callbacks
):
    User.objects.create_user("active@example.com", STRONG_PASSWORD, person=household.main_tenant)
    with django_capture_on_commit_callbacks(execute=True):
        unknown = english.post("/accounts/activate/new/", {"email": "nobody@example.com"})
        active = english.post("/accounts/activate/new/", {"email": "active@example.com"})
    assert unknown.status_code == active.status_code == 200
    assert _comparable(unknown, "nobody@example.com") == _comparable(active, "active@example.com")
    assert not mail.outbox


def test_activation_link_requests_are_rate_limited_ACC_12(register, english, household, django_capture_on_commit_callbacks):
    register(household.main_tenant, "maija@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        answers = [english.post("/accounts/activate/new/", {"email": "maija@example.com"}) for _ in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert "Too many attempts. Please try again after" in answers[-1].content.decode()
    assert len(mail.outbox) == 1 + 3


def test_activation_link_requests_are_limited_per_client_address_ACC_12(english, db):
    answers = [english.post("/accounts/activate/new/", {"email": f"a{n}@example.com"}) for n in range(11)]
    assert answers[-2].status_code == 200
    assert answers[-1].status_code == 429
    assert "Too many attempts. Please try again after" in answers[-1].content.decode()


def test_password_guesses_on_the_confirm_page_are_limited_ACC_12(register, english, household):
    register(household.main_tenant, "maija@example.com")
    english.get(last_activation_path())
    for _ in range(5):
        english.post("/accounts/activate/confirm/", {"email": "maija@example.com", "password": "Wrong!pass1"})

    blocked = english.post("/accounts/activate/confirm/", {"email": "maija@example.com", "password": STRONG_PASSWORD})

    assert blocked.status_code == 429
    assert "try again after" in blocked.content.decode()
    assert not User.objects.get(email="maija@example.com").is_active


def test_activation_is_refused_when_the_tenancy_ended_meanwhile_ACC_10(register, activate, household):
    register(household.main_tenant, "maija@example.com")
    path = last_activation_path()
    AgreementParty.objects.filter(person=household.main_tenant).delete()

    response = activate(path, "maija@example.com")

    assert response.status_code == 403
    assert "contact customer service" in response.content.decode()
    assert not User.objects.get(email="maija@example.com").is_active


def test_activation_email_is_in_the_registrants_language_ACC_13(client, household, django_capture_on_commit_callbacks):
    from .conftest import identify

    client.cookies["django_language"] = "sv"
    identify(client, household.main_tenant)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/register/details/",
            {"email": "maija@example.com", "password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD},
        )
    assert mail.outbox[0].extra_headers["Content-Language"] == "sv"
    assert User.objects.get(email="maija@example.com").language == "sv"
