"""PRF-2: a page does not rewrite the session; the idle timeout (ACC-6) still holds, renewed by the
time of the last activity, written at most once a minute; the absolute lifetime (OPS-7) too."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from heka_portal.ops.sessions import ACTIVITY_KEY, SESSION_KEY

PASSWORD = "Vanha-Sala1"


@pytest.fixture
def resident_client(client, household):
    User.objects.create_user("maija@example.com", PASSWORD, person=household.main_tenant, language="en")
    client.cookies["django_language"] = "en"
    assert client.post("/accounts/login/", {"login": "maija@example.com", "password": PASSWORD}).status_code == 302
    return client


def session_writes(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in queries if "django_session" in query["sql"] and not query["sql"].startswith("SELECT")]


def row(client) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


@pytest.mark.parametrize("path", ["/dashboard/", "/economy/", "/requests/defects/", "/accounts/profile/"])
def test_a_plain_get_does_not_write_the_session_PRF_2(resident_client, path):
    resident_client.get("/dashboard/")  # the first page after login writes the activity
    before = row(resident_client)

    assert session_writes(resident_client, path) == []
    assert row(resident_client).expire_date == before.expire_date


def test_the_activity_is_written_once_a_minute_and_renews_the_idle_timeout_PRF_2_ACC_6(resident_client):
    session = resident_client.session
    session[ACTIVITY_KEY] = int(time.time()) - 61
    session.save()
    Session.objects.filter(session_key=session.session_key).update(expire_date=timezone.now() + timedelta(minutes=1))

    writes = session_writes(resident_client, "/dashboard/")

    assert len(writes) == 1
    assert writes[0].startswith('UPDATE "django_session"')
    left = row(resident_client).expire_date - timezone.now()
    assert timedelta(seconds=settings.SESSION_COOKIE_AGE - 60) < left <= timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs(resident_client.session[ACTIVITY_KEY] - time.time()) < 5
    assert session_writes(resident_client, "/dashboard/") == [], "not again within the minute"


def test_a_session_left_idle_ends_PRF_2_ACC_6(resident_client):
    resident_client.get("/dashboard/")
    Session.objects.filter(session_key=resident_client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    response = resident_client.get("/dashboard/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_absolute_lifetime_still_ends_a_busy_session_PRF_2_OPS_7(resident_client, settings):
    settings.HEKA_SESSION_ABSOLUTE_SECONDS = 3600
    session = resident_client.session
    session[SESSION_KEY] = time.time() - 3601
    session[ACTIVITY_KEY] = int(time.time())
    session.save()

    response = resident_client.get("/dashboard/")

    assert response.status_code == 302
    assert "_auth_user_id" not in resident_client.session


def test_a_cookie_naming_no_session_gets_no_session_row_PRF_2(client, db):
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
    count = Session.objects.count()

    for _ in range(3):
        assert client.get("/").status_code == 200

    assert Session.objects.count() == count
