"""STF-6: staff who sign in on the resident login page land in the admin, not on a refusal;
residents never reach the admin."""

import pytest

from tests.login.conftest import log_in


@pytest.fixture
def clerk(make_user, db):
    return make_user(None, email="asiakaspalvelu@heka.example", is_staff=True)


def test_staff_signing_in_on_the_resident_login_page_land_in_the_admin_STF_6(client, clerk):
    response = log_in(client, "asiakaspalvelu@heka.example")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    admin = client.get("/admin/")
    assert admin.status_code == 200
    assert "Site administration" in admin.content.decode() or "Queues" in admin.content.decode()


def test_staff_who_open_the_resident_front_page_are_sent_to_the_admin_STF_6(client, clerk):
    client.force_login(clerk)
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_staff_link_to_the_admin_in_the_navigation_STF_6(client, clerk):
    client.force_login(clerk)
    assert 'href="/admin/"' in client.get("/help/").content.decode()


def test_explicit_next_page_is_kept_for_staff_STF_6(client, clerk):
    response = log_in(client, "asiakaspalvelu@heka.example", next="/admin/tenancy/person/")
    assert response["Location"] == "/admin/tenancy/person/"


def test_resident_lands_on_the_dashboard_and_never_reaches_the_admin_STF_6(client, resident):
    response = log_in(client, "maija.virtanen@example.com")
    assert response["Location"] == "/dashboard/"

    for path in ("/admin/", "/admin/tenancy/person/", "/admin/login/"):
        page = client.get(path, follow=True)
        body = page.content.decode()
        assert page.status_code == 403, path
        assert "Site administration" not in body
        assert "Virtanen" not in body.split("<main", 1)[-1]
    assert 'href="/admin/"' not in client.get("/dashboard/").content.decode()
