"""The notification list (NTF-2): each person sees their own, marks them read by POST (404 for
anyone else's), and the count of unread ones is in the navigation and on the dashboard."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.kinds import Kind
from notifications.models import Notification
from notifications.services import About, notify
from tests.tenancy.pages import FUTURE, LOGIN, NOT_FOUND, REFUSED, WHO, Sees, check, login, visit


def _tell(person, n: int = 1, kind: str = Kind.APPLICATION_VALID) -> Notification:
    return notify(recipient=person, kind=kind, about=About(reference=f"H-{n}"), params={}, key=f"test-{person.pk}-{n}")


@pytest.fixture
def told(household):
    """One notification for each person of the household; the page shows only the visitor's own."""
    for who in WHO[:-1]:
        _tell(getattr(household, who), n=1)
    return household


LIST = {
    "main_tenant": Sees(200, ("Your housing application is now valid", "H-1", "1 unread")),
    "co_tenant": Sees(200, ("Your housing application is now valid", "1 unread")),
    "family_member": Sees(200, ("Your housing application is now valid",)),
    "sublessee": Sees(200, ("Your housing application is now valid",)),
    "guardian": Sees(200, ("Your housing application is now valid",)),
    "future_tenant": FUTURE,
    "former_tenant": REFUSED,
    "stranger": Sees(200, ("Your housing application is now valid",)),
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("who", WHO)
def test_notification_list_shows_each_person_only_their_own_NTF_2(client, told, who):
    body = check(visit(client, told, who, "/notifications/"), told, LIST[who])
    if LIST[who].status == 200:
        assert body.count('<h2 class="notification-title">') == 1
        assert body.count('class="notification notification-unread"') == 1


@pytest.mark.parametrize("who", ["co_tenant", "sublessee", "guardian", "stranger", "anonymous"])
def test_nobody_else_can_mark_the_main_tenants_notification_read_NTF_2(client, told, who):
    mine = Notification.objects.get(recipient=told.main_tenant)
    response = visit(client, told, who, f"/notifications/{mine.pk}/read/", method="post")
    check(response, told, LOGIN if who == "anonymous" else NOT_FOUND)
    mine.refresh_from_db()
    assert mine.read_at is None


def test_marking_read_is_post_only_and_idempotent_NTF_2(client, household):
    notification = _tell(household.main_tenant)
    login(client, household.main_tenant)
    assert client.get(f"/notifications/{notification.pk}/read/").status_code == 405
    assert client.post(f"/notifications/{notification.pk}/read/").status_code == 302
    notification.refresh_from_db()
    first_read = notification.read_at
    assert first_read is not None
    assert client.post(f"/notifications/{notification.pk}/read/").status_code == 302
    notification.refresh_from_db()
    assert notification.read_at == first_read, "a double click changes nothing"


def test_mark_all_read_touches_only_the_visitors_own_NTF_2(client, household):
    for n in range(3):
        _tell(household.main_tenant, n)
    theirs = _tell(household.co_tenant, 9)
    login(client, household.main_tenant)
    assert client.get("/notifications/read-all/").status_code == 405
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(recipient=household.main_tenant, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_unread_count_in_both_menus_and_on_the_dashboard_in_one_query_NTF_2(client, household):
    for n in range(2):
        _tell(household.main_tenant, n)
    login(client, household.main_tenant)
    client.cookies["django_language"] = "en"
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/dashboard/").content.decode()
    assert body.count('<span class="badge">2 unread</span>') == 2, "the phone menu and the desktop menu"
    assert "You have 2 unread notifications." in body
    counts = [q["sql"] for q in queries if "notifications_notification" in q["sql"] and "COUNT" in q["sql"].upper()]
    assert len(counts) == 1, "one for the menus and the dashboard panel"
    client.post("/notifications/read-all/")
    assert "unread" not in client.get("/notifications/").content.decode()
