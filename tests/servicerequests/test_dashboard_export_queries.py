"""TEN-1 (the dashboard's requests panel), X-10 (the requests in "Download my data") and the
number of SQL queries of the request pages, which does not grow with the data."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from servicerequests import services
from servicerequests.models import Status
from servicerequests.selectors import dashboard_summary
from tenancy.staff_groups import BOOKING_HANDLER, CONTENT_EDITOR, CUSTOMER_SERVICE
from tests.factories.servicerequests import DefectFactory, MessageFactory, ReplyFactory, ServiceRequestFactory, StatusEntryFactory
from tests.servicerequests.test_staff_queues import staff_in
from tests.tenancy.pages import login


def test_dashboard_lists_open_requests_with_status_and_unread_replies_TEN_1(client, household, sent):
    services.request_change_status(request=sent.service_request, status=Status.DONE, staff_user=None)
    login(client, household.main_tenant)
    client.cookies["django_language"] = "en"

    body = client.get("/dashboard/").content.decode()

    assert "Your requests to Heka" in body
    assert f'href="/requests/defects/{sent.defect.pk}/"' in body
    assert f'href="/requests/messages/{sent.message.pk}/"' in body
    assert f'href="/requests/service/{sent.service_request.pk}/"' not in body, "a finished request is not open"
    assert "You have 1 unread reply from Heka." in body
    assert "Matin" not in body
    assert "Eeron" not in body


def test_dashboard_summary_counts_only_the_persons_own_requests_TEN_1_SRQ_4(household, sent):
    summary = dashboard_summary(person=household.co_tenant)
    assert [item.pk for item in summary.open_requests] == [sent.spouse_message.pk, sent.spouse_defect.pk]
    assert (summary.open_count, summary.unread_replies) == (2, 0)


def test_download_holds_the_persons_requests_and_none_of_the_co_tenants_X_10(client, household, sent):
    login(client, household.main_tenant)
    raw = client.get("/profile/data/").content.decode()
    data = json.loads(raw)["servicerequests"]
    assert [defect["description"] for defect in data["defect_notifications"]] == ["Maijan hana vuotaa"]
    assert data["defect_notifications"][0]["photos"] == [f"/requests/defects/{sent.defect.pk}/photos/{sent.photo.pk}/"]
    assert [message["subject"] for message in data["messages"]] == ["Maijan viesti"]
    assert data["messages"][0]["timeline"][-1]["text"] == "Vastaus Maijalle"
    assert len(data["service_requests"]) == 1
    assert "Matin" not in raw
    assert "Eeron ovi" not in raw


def add_data(household, count: int) -> None:
    person, apartment = household.main_tenant, household.apartment
    for _ in range(count):
        for factory in (DefectFactory, MessageFactory, ServiceRequestFactory):
            item = factory(submitted_by=person, apartment=apartment)
            ReplyFactory(request=item)
            StatusEntryFactory(request=item)
        # Others' requests weigh on the same tables.
        DefectFactory(submitted_by=household.co_tenant, apartment=apartment)


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


PAGES = [
    "/dashboard/",
    "/requests/defects/",
    "/requests/defects/new/",
    "/requests/defects/{sent.defect.pk}/",
    "/requests/messages/",
    "/requests/messages/new/",
    "/requests/messages/{sent.message.pk}/",
    "/requests/service/",
    "/requests/service/new/inspection/",
    "/requests/service/{sent.service_request.pk}/",
    "/profile/data/",
    "/profile/my-data/",
]


@pytest.mark.parametrize("path", PAGES)
def test_queries_per_request_page_do_not_grow_with_ten_times_the_data(client, household, sent, path):
    path = path.format(sent=sent)
    login(client, household.main_tenant)
    add_data(household, 2)
    for _ in range(3):
        ReplyFactory(request=sent.defect)
        ReplyFactory(request=sent.message)
    baseline = count_queries(client, path)

    add_data(household, 18)
    for _ in range(30):
        ReplyFactory(request=sent.defect)
        ReplyFactory(request=sent.message)

    assert count_queries(client, path) <= baseline


@pytest.mark.parametrize("model", ["defect", "message", "servicerequest"])
def test_staff_queue_queries_do_not_grow_with_the_data_STF_1(client, household, model):
    staff_in(client, CUSTOMER_SERVICE)
    add_data(household, 2)
    baseline = count_queries(client, f"/admin/servicerequests/{model}/")
    add_data(household, 18)
    assert count_queries(client, f"/admin/servicerequests/{model}/") <= baseline


def test_staff_groups_get_the_queues_with_least_privilege_STF_3(client, db):
    from tests.tenancy.test_setup_groups import perms

    staff_in(client, CUSTOMER_SERVICE)
    assert {"servicerequests.change_message", "servicerequests.view_defect"} <= perms(CUSTOMER_SERVICE)
    assert not any(permission.startswith("servicerequests.delete_") for permission in perms(CUSTOMER_SERVICE))
    for group in (BOOKING_HANDLER, CONTENT_EDITOR):
        assert not any(permission.startswith("servicerequests.") for permission in perms(group))


def test_staff_request_page_queries_do_not_grow_with_the_timeline_STF_1(client, household, sent):
    staff_in(client, CUSTOMER_SERVICE)
    path = f"/admin/servicerequests/defect/{sent.defect.pk}/change/"
    for _ in range(2):
        ReplyFactory(request=sent.defect)
        StatusEntryFactory(request=sent.defect)
    baseline = count_queries(client, path)
    for _ in range(10):
        ReplyFactory(request=sent.defect)
        StatusEntryFactory(request=sent.defect)
    assert count_queries(client, path) <= baseline
