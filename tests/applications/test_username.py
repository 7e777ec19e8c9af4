""" "Create username" for applicants identified at the advisory office (APP-6, ACC-9)."""

from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import User
from applications import services
from applications.models import UsernameLink
from heka_portal.models import OutboxEmail

from .flow import kalle_with_email

KALLE_CODE = "010469-999W"
PASSWORD = "Uusi-salasana1"


@pytest.fixture
def office_identified(submit, db):
    """Kalle has no e-mail in the application; at the office he gave kalle@example.com."""
    clerk = User.objects.create_user("clerk@heka.example", "x", is_staff=True)
    application = submit(co_applicants=[kalle_with_email("")])
    kalle = application.applicants.get(first_names="Kalle")
    services.office_identification_record(
        applicant=kalle,
        document_type="passport",
        identity_code=KALLE_CODE,
        office="Työpajankatu 8",
        clerk=clerk,
        identified_at=timezone.now(),
        email="Kalle@Example.com",
    )
    mail.outbox.clear()
    kalle.refresh_from_db()
    return kalle


def _request(client, email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/applications/username/", {"email": email})


def _link() -> str:
    return next(word for word in mail.outbox[-1].body.split() if "/applications/username/" in word)


def test_create_username_sends_a_password_link_and_creates_the_account_APP_6_ACC_9(
    client, office_identified, django_capture_on_commit_callbacks
):
    """APP-6: e-mail → Continue → e-mail with a link → password (P6) → an active account of the
    applicant's Person, which the Resident Portal can later link by identity code (ACC-9)."""
    page = client.get("/applications/username/").content.decode()
    assert "Continue" in page

    response = _request(client, "kalle@example.com", django_capture_on_commit_callbacks)

    assert response["Location"] == "/applications/username/sent/"
    assert [message.to for message in mail.outbox] == [["kalle@example.com"]]
    row = OutboxEmail.objects.get(template="applications_username")
    assert row.link_args == {"link_id": UsernameLink.objects.get().pk}
    assert not User.objects.filter(email="kalle@example.com").exists()

    link = _link().split("testserver")[1]
    form = client.get(link).content.decode()
    assert "kalle@example.com" in form
    created = client.post(link, {"password1": PASSWORD, "password2": PASSWORD})

    assert created["Location"] == "/applications/"
    user = User.objects.get(email="kalle@example.com")
    assert user.is_active
    assert user.person is not None
    assert user.person == office_identified.person
    assert user.person.hetu_hash is not None
    assert authenticate(username="kalle@example.com", password=PASSWORD) == user
    assert f"/applications/{office_identified.application_id}/" in client.get("/applications/").content.decode()


def test_create_username_with_an_e_mail_that_does_not_match_the_office_record_APP_6(
    client, office_identified, django_capture_on_commit_callbacks
):
    """APP-6: another address gets the same page, but no e-mail is sent and no account made."""
    matching = _request(Client(), "kalle@example.com", django_capture_on_commit_callbacks)
    mail.outbox.clear()
    UsernameLink.objects.all().delete()

    other = _request(client, "someone.else@example.com", django_capture_on_commit_callbacks)

    assert other["Location"] == matching["Location"] == "/applications/username/sent/"
    page = client.get(other["Location"]).content.decode()
    assert "check your spam folder" in page
    assert not mail.outbox
    assert not UsernameLink.objects.exists()
    assert not User.objects.filter(email="someone.else@example.com").exists()


def test_create_username_without_office_identification_does_nothing_APP_6(client, submit, django_capture_on_commit_callbacks):
    submit()  # anna@example.com applied but was never identified at the office
    mail.outbox.clear()
    _request(client, "anna@example.com", django_capture_on_commit_callbacks)
    assert not mail.outbox


def test_password_must_follow_policy_P6_APP_6_ACC_2(client, office_identified, django_capture_on_commit_callbacks):
    _request(client, "kalle@example.com", django_capture_on_commit_callbacks)
    link = _link().split("testserver")[1]

    response = client.post(link, {"password1": "abc", "password2": "abc"})

    page = response.content.decode()
    assert "at least 6 characters" in page
    assert "capital letter" in page
    assert "digit" in page
    assert not User.objects.filter(email="kalle@example.com").exists()
    mismatch = client.post(link, {"password1": PASSWORD, "password2": PASSWORD + "x"})
    assert "The passwords do not match." in mismatch.content.decode()


def test_password_link_is_single_use_and_expires_APP_6(client, office_identified, django_capture_on_commit_callbacks):
    _request(client, "kalle@example.com", django_capture_on_commit_callbacks)
    link = _link().split("testserver")[1]
    client.post(link, {"password1": PASSWORD, "password2": PASSWORD})

    reused = Client().get(link)
    assert reused.status_code == 410
    assert "This link has already been used" in reused.content.decode()

    UsernameLink.objects.update(used_at=None, expires_at=timezone.now() - timedelta(seconds=1))
    expired = Client().get(link)
    assert expired.status_code == 410
    assert "This link has expired" in expired.content.decode()


def test_username_is_not_created_twice_APP_6_ACC_11(client, office_identified, django_capture_on_commit_callbacks):
    User.objects.create_user("kalle@example.com", "Other-pass1")
    _request(client, "kalle@example.com", django_capture_on_commit_callbacks)
    link = _link().split("testserver")[1]

    response = client.post(link, {"password1": PASSWORD, "password2": PASSWORD})

    assert response.status_code == 409
    assert "You already have a user name" in response.content.decode()
    assert User.objects.filter(email="kalle@example.com").count() == 1


def test_applicant_signs_in_with_the_user_name_APP_6(client, office_identified):
    user = User.objects.create_user("kalle@example.com", PASSWORD, person=office_identified.person)
    wrong = client.post("/applications/sign-in/", {"email": "kalle@example.com", "password": "wrong"})
    assert "The e-mail address or the password is wrong." in wrong.content.decode()

    response = client.post("/applications/sign-in/", {"email": user.email, "password": PASSWORD})

    assert response["Location"] == "/applications/"
    application_id = office_identified.application_id
    page = client.get(f"/applications/{application_id}/").content.decode()
    assert "Identified at the advisory office" in page
    assert "_auth_user_id" not in client.session  # not a Resident Portal login (ACC-10)


def test_sign_in_attempts_are_limited_ACC_12(client, office_identified):
    for _ in range(5):
        client.post("/applications/sign-in/", {"email": "kalle@example.com", "password": "wrong"})
    response = client.post("/applications/sign-in/", {"email": "kalle@example.com", "password": PASSWORD})
    assert "Too many attempts" in response.content.decode()


def test_password_resembling_the_e_mail_is_refused_not_an_error_APP_6_X_4(
    client, office_identified, django_capture_on_commit_callbacks
):
    """The similarity check needs a real User to name the e-mail field; it once got a stand-in and gave a 500."""
    _request(client, "kalle@example.com", django_capture_on_commit_callbacks)
    link = _link().split("testserver")[1]

    response = client.post(link, {"password1": "Kalle@example.com1", "password2": "Kalle@example.com1"})

    assert response.status_code == 200
    assert "too similar to the e-mail address" in response.content.decode()
    assert not User.objects.filter(email="kalle@example.com").exists()


def test_username_requests_are_limited_per_client_address_and_the_page_does_not_tell_ACC_12_APP_6(
    client, office_identified, django_capture_on_commit_callbacks
):
    """Five requests an hour from one address send e-mail; the sixth sends nothing, on the same page."""
    answers = [_request(client, "kalle@example.com", django_capture_on_commit_callbacks) for _ in range(6)]
    assert len(mail.outbox) == 5
    assert {answer["Location"] for answer in answers} == {"/applications/username/sent/"}
    assert _request(Client(REMOTE_ADDR="10.9.9.9"), "kalle@example.com", django_capture_on_commit_callbacks).status_code == 302
    assert len(mail.outbox) == 6, "another client address has its own count"
