"""Every resident page passes the gate: anonymous → login, former tenant → refusal, future tenant →
start date only, and personal pages are never cached (ACC-10, TEN-11, X-8)."""

import pytest

from accounts.models import User


def login(client, person):
    user = User.objects.create_user(f"{person.pk}@example.com", "Sal4sana!", person=person)
    client.force_login(user)
    return user


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/dashboard/")


@pytest.mark.parametrize("who", ["former_tenant", "applicant"])
def test_person_without_tenancy_sees_refusal_with_contacts_ACC_10(client, household, who):
    login(client, getattr(household, who))
    client.cookies["django_language"] = "en"
    response = client.get("/dashboard/")
    assert response.status_code == 403
    assert "contact customer service" in response.content.decode()


def test_staff_account_without_person_is_not_a_resident_and_goes_to_the_admin_STF_6(client, db):
    client.force_login(User.objects.create_user("staff@heka.example", "x", is_staff=True))
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/economy/")["Location"] == "/admin/"


def test_future_tenant_sees_only_the_start_date_TEN_11(client, household):
    login(client, household.future_tenant)
    client.cookies["django_language"] = "en"
    response = client.get("/dashboard/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Your agreement starts on" in body
    assert "Your homes" not in body


def test_guardian_sees_the_ward_labelled_TEN_10(client, household):
    login(client, household.guardian)
    client.cookies["django_language"] = "en"
    body = client.get("/dashboard/").content.decode()
    assert f"On behalf of {household.ward.full_name}" in body


def test_resident_pages_are_not_stored_X_8(client, household):
    login(client, household.main_tenant)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
