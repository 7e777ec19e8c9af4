"""PRF-1: the access decision is kept between requests, and every way the register changes ends it
at the person's next request, so that ACC-10 holds: an agreement ended in the admin, an import
that ends a tenancy, the day turning at midnight, a guardianship removed. A cache that cannot be
reached never lets anyone in."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from tenancy import access as rules
from tenancy.access_cache import register_changed
from tenancy.importer import register_import
from tenancy.models import AgreementParty, Guardianship, Person, RentalAgreement
from tests.tenancy.pages import login
from tests.tenancy.test_import import good

ACCESS_TABLES = ('"tenancy_guardianship"', '"tenancy_agreementparty"', '"tenancy_occupancy"')


def access_queries(client, path: str = "/dashboard/") -> tuple[int, int]:
    """The status of `path`, and how many queries it made to decide access."""
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    return status, sum(
        1 for query in queries if query["sql"].startswith("SELECT") and any(t in query["sql"] for t in ACCESS_TABLES)
    )


def refused(client) -> bool:
    response = client.get("/dashboard/")
    return response.status_code == 403 and "no longer a Heka resident" in response.content.decode()


def admin_form(response) -> dict[str, object]:
    """What the admin change page would post back unchanged: its form and inline formsets."""
    data: dict[str, object] = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
        forms += inline.formset.forms
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is not None and value is not False:
                data[form.add_prefix(name)] = value.isoformat() if isinstance(value, date) else value
    return data


@pytest.fixture
def admin_client(db):
    staff = Client()
    staff.force_login(User.objects.create_superuser("paakayttaja@heka.example", "Staff-pass-1!"))
    staff.cookies["django_language"] = "en"
    return staff


def test_the_decision_is_kept_between_requests_PRF_1(client, household, monkeypatch):
    decided: list[int] = []
    access_for = rules.access_for

    def counted(person, **kwargs):
        decided.append(person.pk)
        return access_for(person, **kwargs)

    monkeypatch.setattr(rules, "access_for", counted)
    login(client, household.main_tenant)
    assert access_queries(client) == (200, 3)

    assert access_queries(client) == (200, 0)
    for path in ("/economy/", "/requests/defects/", "/bookings/", "/accounts/profile/"):
        assert client.get(path).status_code == 200
    assert decided == [household.main_tenant.pk], "decided once, at the first request"


def test_an_agreement_ended_in_the_admin_ends_an_open_session_at_the_next_request_PRF_1_ACC_10(
    client, household, admin_client, today
):
    login(client, household.co_tenant)
    client.cookies["django_language"] = "en"
    assert access_queries(client) == (200, 3)
    assert access_queries(client) == (200, 0)

    url = f"/admin/tenancy/rentalagreement/{household.agreement.pk}/change/"
    data = admin_form(admin_client.get(url))
    data["ends_on"] = (today - timedelta(days=1)).isoformat()
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert RentalAgreement.objects.get(pk=household.agreement.pk).ends_on == today - timedelta(days=1)

    assert refused(client)


def test_an_import_that_ends_a_tenancy_ends_an_open_session_at_the_next_request_PRF_1_ACC_10(client, db, today):
    document = good()
    assert register_import(document=document).written
    agreement = RentalAgreement.objects.get(number=document["agreements"][0]["number"])
    party = AgreementParty.objects.filter(agreement=agreement).select_related("person").first()
    assert party is not None
    login(client, party.person)
    client.cookies["django_language"] = "en"
    assert access_queries(client) == (200, 3)
    assert access_queries(client) == (200, 0)

    document["agreements"][0]["ends_on"] = (today - timedelta(days=1)).isoformat()
    report = register_import(document=document)
    assert report.written, report.errors

    assert refused(client)


def test_the_day_turning_ends_an_agreement_that_ended_yesterday_PRF_1_ACC_10(client, household, monkeypatch, today):
    RentalAgreement.objects.filter(pk=household.agreement.pk).update(ends_on=today)
    login(client, household.main_tenant)
    client.cookies["django_language"] = "en"
    assert access_queries(client) == (200, 3)
    assert access_queries(client) == (200, 0), "kept for the rest of the day"

    monkeypatch.setattr(rules, "today", lambda: today + timedelta(days=1))

    assert refused(client)


def test_a_guardianship_removed_ends_the_guardians_access_at_the_next_request_PRF_1_ACC_10(client, household, admin_client):
    login(client, household.guardian)
    client.cookies["django_language"] = "en"
    assert access_queries(client) == (200, 3)
    assert access_queries(client) == (200, 0)

    link = Guardianship.objects.get(guardian=household.guardian)
    response = admin_client.post(f"/admin/tenancy/guardianship/{link.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Guardianship.objects.filter(pk=link.pk).exists()

    response = client.get("/dashboard/")
    assert response.status_code == 403
    assert "could not find you" in response.content.decode()


def test_a_decision_read_before_a_change_commits_is_not_used_after_the_commit_PRF_1(
    client, household, today, django_capture_on_commit_callbacks
):
    """Another request may read the old rows after the change and before its commit, and keep
    what it read: the commit changes the version once more."""
    login(client, household.main_tenant)
    client.cookies["django_language"] = "en"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        RentalAgreement.objects.filter(pk=household.agreement.pk).update(ends_on=today - timedelta(days=1))
        register_changed()
        RentalAgreement.objects.filter(pk=household.agreement.pk).update(ends_on=None)
        assert client.get("/dashboard/").status_code == 200  # the old rows, kept under the new version
        RentalAgreement.objects.filter(pk=household.agreement.pk).update(ends_on=today - timedelta(days=1))
    assert access_queries(client) == (200, 0)

    for callback in callbacks:
        callback()

    assert refused(client)


def test_a_person_renamed_is_named_anew_at_the_next_request_PRF_1(client, household):
    login(client, household.main_tenant)
    client.cookies["django_language"] = "en"
    assert client.get("/dashboard/").wsgi_request.access.person.first_names == "Maija"
    person = Person.objects.get(pk=household.main_tenant.pk)
    person.first_names = "Marja"
    person.save()

    access = client.get("/dashboard/").wsgi_request.access
    assert access.person.first_names == "Marja"


def test_a_cache_that_cannot_be_reached_decides_from_the_register_every_time_PRF_1(client, household, settings, today):
    login(client, household.main_tenant)
    client.cookies["django_language"] = "en"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}}

    assert access_queries(client) == (200, 3)
    assert access_queries(client) == (200, 3)

    # A register change while the cache is down is saved all the same, and still counts.
    RentalAgreement.objects.filter(pk=household.agreement.pk).update(ends_on=today - timedelta(days=1))
    assert refused(client)
