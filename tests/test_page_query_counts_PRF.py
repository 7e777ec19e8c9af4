"""The number of SQL queries of every resident page, pinned (PRF-1, PRF-2, PRF-4): the session and
the user (2), then only the page's own queries; the access decision is read from the register
(the person and three queries) only when none is kept, and a plain GET writes no session.

A page that needs one more query changes its number here, on purpose."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.servicerequests import DefectFactory, MessageFactory, ReplyFactory, ServiceRequestFactory
from tests.tenancy.pages import login

# The page, and its queries once the access decision is kept. Each counts the unread notifications
# once for the navigation (NTF-2); the dashboard also reads the current outages (NTF-8) and the
# profile the e-mail preferences (NTF-3).
PAGES = {
    "/dashboard/": 8,
    "/economy/": 9,
    "/requests/defects/": 5,
    "/requests/messages/": 5,
    "/requests/service/": 5,
    "/bookings/": 6,
    "/accounts/profile/": 4,
}
ACCESS_DECISION = 4  # the person, guardianships, agreements, occupancies


def queries_of(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content.decode()[:2000]
    return [query["sql"] for query in queries]


def with_requests(household) -> None:
    """Each list has something to list, with a reply."""
    for factory in (DefectFactory, MessageFactory, ServiceRequestFactory):
        for person in (household.main_tenant, household.co_tenant):
            ReplyFactory(request=factory(submitted_by=person, apartment=household.apartment))


@pytest.mark.parametrize(("path", "expected"), PAGES.items())
def test_each_resident_page_runs_a_pinned_number_of_queries_PRF_1_PRF_4(client, household, path, expected):
    with_requests(household)
    login(client, household.main_tenant)
    queries_of(client, "/help/")  # the first request after login writes the session's activity

    first = queries_of(client, path)
    again = queries_of(client, path)

    assert len(first) == expected + ACCESS_DECISION, "\n".join(first)
    assert len(again) == expected, "\n".join(again)
    assert not [sql for sql in again if not sql.startswith("SELECT")], "a plain GET writes nothing (PRF-2)"


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("co_tenant", PAGES["/dashboard/"]),
        # No agreement of their own: the overdue invoices (PAY-1) are not looked for.
        ("family_member", PAGES["/dashboard/"] - 1),
        ("guardian", PAGES["/dashboard/"] - 1),
    ],
)
def test_the_dashboard_costs_the_same_for_everyone_in_the_same_role_PRF_4(client, household, who, expected):
    with_requests(household)
    login(client, getattr(household, who))
    queries_of(client, "/help/")
    queries_of(client, "/dashboard/")

    assert len(queries_of(client, "/dashboard/")) == expected
