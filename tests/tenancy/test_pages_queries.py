"""The number of SQL queries of each resident page does not grow with the data: ten times more
invoices, bulletins, occupants and notices cost no extra query."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories.tenancy import InvoiceFactory, OccupancyFactory
from tests.factories.tenancy_pages import BulletinFactory, OccupantChangeNoticeFactory, PaymentFactory
from tests.tenancy.pages import login

PAGES = ["/dashboard/", "/economy/", "/bulletins/", "/building/", "/profile/contact/", "/profile/data/"]


def add_data(household, count: int) -> None:
    today = timezone.localdate()
    for number in range(count):
        invoice = InvoiceFactory(agreement=household.agreement, due_on=today - timedelta(days=30 * number))
        PaymentFactory(invoice=invoice, amount=invoice.amount)
        BulletinFactory.create(audience="buildings", buildings=[household.building])
        BulletinFactory.create(audience="regions", regions=[household.building.region]).reads.create(person=household.main_tenant)
        OccupancyFactory(apartment=household.apartment, starts_on=today - timedelta(days=10))
        OccupantChangeNoticeFactory(agreement=household.agreement, submitted_by=household.main_tenant)


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", PAGES)
def test_queries_per_page_do_not_grow_with_the_data(client, household, path, django_assert_max_num_queries):
    login(client, household.main_tenant)
    add_data(household, 2)
    baseline = count_queries(client, path)

    add_data(household, 18)

    with django_assert_max_num_queries(baseline):
        response = client.get(path)
    assert response.status_code == 200
