"""The staff list of user accounts (STF-3) costs the same number of queries for five accounts as
for one: each row names its person without a query of its own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from tests.factories.accounts import UserFactory


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_user_list_queries_do_not_grow_with_the_accounts_STF_3(client):
    client.force_login(User.objects.create_superuser("root@heka.example", "Root-pass-1!xx"))
    UserFactory()
    baseline = count_queries(client, "/admin/accounts/user/")
    for _ in range(4):
        UserFactory()
    assert count_queries(client, "/admin/accounts/user/") <= baseline
