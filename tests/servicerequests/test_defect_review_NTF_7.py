"""NTF-7: for 14 days after a defect is marked done its sender may confirm the repair, or reopen
the notification with a reason; either way rate the handling. POST only, the sender's own defects
only (404 for anyone else's), once however often clicked, refused after the 14 days. A reopened
defect is back at the top of the staff queue with its reason, count and rating."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from servicerequests import services
from servicerequests.models import Defect, ResidentRequest, Status, TimelineEntry
from servicerequests.models.base import QueueRank
from tenancy.staff_groups import CUSTOMER_SERVICE
from tests.factories.servicerequests import DefectFactory
from tests.servicerequests.test_staff_queues import staff_in
from tests.tenancy.pages import FUTURE, LOGIN, NOT_FOUND, REFUSED, WHO, check, login, visit


def _done(defect: Defect, *, days_ago: float = 1) -> Defect:
    services.request_change_status(request=defect, status=Status.DONE, staff_user=None)
    ResidentRequest.objects.filter(pk=defect.pk).update(done_at=timezone.now() - timedelta(days=days_ago))
    defect.refresh_from_db()
    return defect


@pytest.fixture
def done(household, sent):
    """The main tenant's defect and the guardian's defect for the ward, both marked done yesterday."""
    _done(sent.defect)
    _done(sent.ward_defect)
    return sent


def _as(client, person) -> None:
    login(client, person)
    client.cookies["django_language"] = "en"


# Who may confirm the main tenant's defect: only the main tenant, who sent it (SRQ-4).
CONFIRM_OTHERS = dict.fromkeys(WHO, NOT_FOUND) | {"future_tenant": FUTURE, "former_tenant": REFUSED, "anonymous": LOGIN}


@pytest.mark.parametrize("action", ["confirm", "reopen"])
@pytest.mark.parametrize("who", [who for who in WHO if who != "main_tenant"])
def test_only_the_sender_may_confirm_or_reopen_a_defect_NTF_7(client, household, done, who, action):
    data = {"reopen-reason": "Vuotaa yhä", "reopen-rating": "2", "confirm-rating": "4"}

    check(
        visit(client, household, who, f"/requests/defects/{done.defect.pk}/{action}/", method="post", data=data),
        household,
        CONFIRM_OTHERS[who],
    )

    defect = Defect.objects.get(pk=done.defect.pk)
    assert (defect.status, defect.confirmed_at, defect.rating, defect.reopened_count) == (Status.DONE, None, None, 0)


def test_guardian_confirms_the_defect_sent_for_the_ward_NTF_7(client, household, done):
    _as(client, household.guardian)

    response = client.post(f"/requests/defects/{done.ward_defect.pk}/confirm/", {"confirm-rating": "5"})

    assert response.status_code == 302
    defect = Defect.objects.get(pk=done.ward_defect.pk)
    assert defect.confirmed_at is not None
    assert defect.rating == 5


@pytest.mark.parametrize("action", ["confirm", "reopen"])
def test_confirm_and_reopen_are_post_only_NTF_7(client, household, done, action):
    _as(client, household.main_tenant)

    response = client.get(f"/requests/defects/{done.defect.pk}/{action}/")

    assert response.status_code == 405
    assert Defect.objects.get(pk=done.defect.pk).status == Status.DONE


def test_sender_confirms_the_repair_with_a_rating_once_however_often_clicked_NTF_7(client, household, done):
    _as(client, household.main_tenant)
    url = f"/requests/defects/{done.defect.pk}/confirm/"

    first = client.post(url, {"confirm-rating": "4"}, follow=True)
    confirmed_at = Defect.objects.get(pk=done.defect.pk).confirmed_at
    second = client.post(url, {"confirm-rating": "1"}, follow=True)

    defect = Defect.objects.get(pk=done.defect.pk)
    assert "You confirmed that the defect has been repaired." in first.content.decode()
    assert "You have already confirmed this repair." in second.content.decode()
    assert defect.confirmed_at == confirmed_at
    assert defect.rating == 4
    assert defect.timeline.filter(kind=TimelineEntry.Kind.CONFIRMED).count() == 1
    assert "Your rating: 4 / 5." in second.content.decode()
    assert 'action="/requests/defects/' not in second.content.decode().split("timeline-heading")[1]


def test_confirming_without_a_rating_is_fine_NTF_7(client, household, done):
    _as(client, household.main_tenant)

    client.post(f"/requests/defects/{done.defect.pk}/confirm/", {})

    defect = Defect.objects.get(pk=done.defect.pk)
    assert defect.confirmed_at is not None
    assert defect.rating is None


def test_reopen_returns_the_defect_to_the_top_of_the_staff_queue_with_its_reason_NTF_7(client, household, done, today):
    older_overdue = DefectFactory.create(due_on=today - timedelta(days=10), created_at=timezone.now() - timedelta(days=20))
    _as(client, household.main_tenant)
    url = f"/requests/defects/{done.defect.pk}/reopen/"

    first = client.post(url, {"reopen-reason": "Hana vuotaa yhä", "reopen-rating": "2"}, follow=True)
    second = client.post(url, {"reopen-reason": "Hana vuotaa yhä", "reopen-rating": "2"}, follow=True)

    defect = Defect.objects.get(pk=done.defect.pk)
    assert "The defect notification was reopened." in first.content.decode()
    assert "This defect notification has already been reopened." in second.content.decode()
    assert (defect.status, defect.reopened_count, defect.rating, defect.done_at) == (Status.RECEIVED, 1, 2, None)
    assert defect.queue_rank == QueueRank.REOPENED
    assert defect.due_on == today + timedelta(days=7)
    reopened = defect.timeline.get(kind=TimelineEntry.Kind.REOPENED)
    assert (reopened.status, reopened.text) == (Status.RECEIVED, "Hana vuotaa yhä")
    assert "Hana vuotaa yhä" in second.content.decode()

    staff_in(client, CUSTOMER_SERVICE)
    queue = client.get("/admin/servicerequests/defect/").content.decode()
    rows = list(dict.fromkeys(int(pk) for pk in re.findall(r"/admin/servicerequests/defect/(\d+)/change/", queue)))
    assert rows[0] == defect.pk
    assert rows.index(older_overdue.pk) > 0
    row = queue[queue.index(f"/admin/servicerequests/defect/{defect.pk}/change/") :].split("</tr>")[0]
    assert '<td class="field-reopened_count">1</td>' in row
    assert '<td class="field-rating">2</td>' in row
    detail = client.get(f"/admin/servicerequests/defect/{defect.pk}/change/").content.decode()
    assert "Hana vuotaa yhä" in detail
    assert "Times reopened" in detail


def test_reopen_needs_a_reason_and_changes_nothing_without_one_NTF_7(client, household, done):
    _as(client, household.main_tenant)

    response = client.post(f"/requests/defects/{done.defect.pk}/reopen/", {"reopen-reason": "   ", "reopen-rating": "3"})

    assert response.status_code == 200
    assert "Tell us what is still wrong, so that the repair can be finished." in response.content.decode()
    defect = Defect.objects.get(pk=done.defect.pk)
    assert (defect.status, defect.reopened_count, defect.rating) == (Status.DONE, 0, None)


@pytest.mark.parametrize("rating", ["0", "6", "viisi", "4.5"])
def test_a_rating_outside_1_to_5_is_refused_and_nothing_changes_NTF_7(client, household, done, rating):
    _as(client, household.main_tenant)

    response = client.post(f"/requests/defects/{done.defect.pk}/confirm/", {"confirm-rating": rating})

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    defect = Defect.objects.get(pk=done.defect.pk)
    assert (defect.confirmed_at, defect.rating) == (None, None)


@pytest.mark.parametrize("action", ["confirm", "reopen"])
def test_after_14_days_confirming_and_reopening_are_refused_with_a_clear_message_NTF_7(client, household, sent, action):
    _done(sent.defect, days_ago=14.01)
    _as(client, household.main_tenant)

    page = client.get(f"/requests/defects/{sent.defect.pk}/").content.decode()
    response = client.post(
        f"/requests/defects/{sent.defect.pk}/{action}/", {"reopen-reason": "Vuotaa", "confirm-rating": "3"}, follow=True
    )

    assert "Was the defect repaired?" not in page
    assert "The 14 days to confirm or reopen this defect notification have passed." in response.content.decode()
    defect = Defect.objects.get(pk=sent.defect.pk)
    assert (defect.status, defect.confirmed_at, defect.reopened_count) == (Status.DONE, None, 0)


def test_within_14_days_the_page_offers_confirm_and_reopen_NTF_7(client, household, sent):
    _as(client, household.main_tenant)
    before = client.get(f"/requests/defects/{sent.defect.pk}/").content.decode()
    _done(sent.defect, days_ago=13.9)

    after = client.get(f"/requests/defects/{sent.defect.pk}/").content.decode()

    assert "Was the defect repaired?" not in before
    assert "Was the defect repaired?" in after
    assert f'action="/requests/defects/{sent.defect.pk}/confirm/"' in after
    assert f'action="/requests/defects/{sent.defect.pk}/reopen/"' in after


def test_a_confirmed_defect_cannot_be_reopened_NTF_7(client, household, done):
    _as(client, household.main_tenant)
    client.post(f"/requests/defects/{done.defect.pk}/confirm/", {})

    response = client.post(f"/requests/defects/{done.defect.pk}/reopen/", {"reopen-reason": "Sittenkin vuotaa"}, follow=True)

    assert "You have already confirmed this repair." in response.content.decode()
    assert Defect.objects.get(pk=done.defect.pk).reopened_count == 0


def test_a_reopened_defect_marked_done_again_may_be_reviewed_again_NTF_7(household, done):
    services.defect_reopen(defect=done.defect, reason="Vuotaa yhä", rating=None)
    defect = Defect.objects.get(pk=done.defect.pk)
    services.request_change_status(request=defect, status=Status.DONE, staff_user=None)

    defect = Defect.objects.get(pk=done.defect.pk)
    assert defect.may_review
    assert defect.queue_rank == QueueRank.HANDLED
    assert services.defect_confirm(defect=defect, rating=5)
    assert Defect.objects.get(pk=defect.pk).reopened_count == 1
