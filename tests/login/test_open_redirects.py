"""ACC-6: a `next` address given to the login or the language switch never leads off the site."""

import pytest

from .conftest import PASSWORD

OUTSIDE = ["https://evil.example/", "//evil.example/", "/\\evil.example/", "http:evil.example", "javascript:alert(1)"]


@pytest.mark.parametrize("target", OUTSIDE)
def test_login_does_not_follow_next_to_another_site_ACC_6(client, resident, target):
    response = client.post(f"/accounts/login/?next={target}", {"login": resident.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"


def test_login_follows_next_within_the_site_ACC_6(client, resident):
    response = client.post("/accounts/login/?next=/bookings/", {"login": resident.email, "password": PASSWORD})
    assert response["Location"] == "/bookings/"


@pytest.mark.parametrize("target", OUTSIDE)
def test_language_switch_does_not_follow_next_to_another_site_X_1(client, db, target):
    response = client.post("/i18n/setlang/", {"language": "sv", "next": target})
    assert "evil.example" not in response.get("Location", "")
    assert not response.get("Location", "").startswith("javascript")
