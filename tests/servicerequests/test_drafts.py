"""SRQ-6: a form that outlives the session or its page never ends in an error page; the resident
is told what happened and what they typed is kept as a draft to continue."""

import pytest
from django.test import Client

from servicerequests.drafts import form_token
from servicerequests.models import Defect, Draft, Message
from tests.mail import found
from tests.tenancy.pages import login

CSRF_FAILURE_VIEW = "heka_portal.views.csrf_failure"


def token_on(page: str) -> str:
    return found(r'name="draft_token" value="([^"]+)"', page, 1)


def message_data(household, person, token: str) -> dict:
    return {
        "home": f"{household.apartment.pk}-{person.pk}",
        "category": "lease_control",
        "subject": "Pitkä viesti",
        "body": "Tämän kirjoittamiseen meni puoli tuntia.",
        "draft_token": token,
    }


def test_form_sent_after_the_session_ended_is_kept_as_a_draft_and_continues_after_login_SRQ_6(client, household):
    person = household.family_member
    user = login(client, person)
    client.cookies["django_language"] = "en"
    token = token_on(client.get("/requests/messages/new/").content.decode())
    client.logout()  # the idle timeout ends the session while the resident types
    client.cookies["django_language"] = "en"

    response = client.post("/requests/messages/new/", message_data(household, person, token))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/requests/messages/new/"
    assert not Message.objects.exists()
    draft = Draft.objects.get(person=person, form="message")
    assert draft.data["body"] == "Tämän kirjoittamiseen meni puoli tuntia."
    assert "draft_token" not in draft.data
    login_page = client.get(response["Location"]).content.decode()
    assert "Your session had ended" in login_page

    client.force_login(user)
    page = client.get("/requests/messages/new/").content.decode()
    assert "Tämän kirjoittamiseen meni puoli tuntia." in page
    assert 'value="Pitkä viesti"' in page
    assert "which could not be sent then" in page


def test_sending_the_draft_removes_it_SRQ_6(client, household):
    person = household.family_member
    login(client, person)
    token = token_on(client.get("/requests/messages/new/").content.decode())
    Draft.objects.create(person=person, form="message", data={"subject": "Vanha"})

    response = client.post("/requests/messages/new/", message_data(household, person, token))

    assert response.status_code == 302
    assert Message.objects.get().subject == "Pitkä viesti"
    assert not Draft.objects.exists()


@pytest.mark.parametrize("token", ["", "forged", "other person"])
def test_no_draft_is_kept_without_the_persons_own_form_token_SRQ_6(client, household, token):
    if token == "other person":
        token = form_token(household.stranger)
    response = client.post("/requests/messages/new/", message_data(household, household.family_member, token))
    assert response.status_code == 302
    assert not Draft.objects.filter(person=household.family_member).exists()
    if token not in ("", "forged"):
        # A stranger's own token only ever fills the stranger's own draft.
        assert Draft.objects.get().person == household.stranger


def test_expired_page_csrf_failure_keeps_the_draft_and_returns_to_the_form_SRQ_6_X_4(household, settings):
    settings.CSRF_FAILURE_VIEW = CSRF_FAILURE_VIEW
    person = household.main_tenant
    client = Client(enforce_csrf_checks=True)
    login(client, person)
    client.cookies["django_language"] = "en"
    data = {
        "home": f"{household.apartment.pk}-{person.pk}",
        "category": "heating",
        "location": "bedroom",
        "description": "Patteri on kylmä",
        "master_key_allowed": "yes",
        "has_pets": "no",
        "draft_token": form_token(person),
        "csrfmiddlewaretoken": "from-a-page-before-logging-in-again",
    }

    response = client.post("/requests/defects/new/", data)

    assert response.status_code == 302
    assert response["Location"] == "/requests/defects/new/"
    assert not Defect.objects.exists()
    page = client.get("/requests/defects/new/").content.decode()
    assert "could not be sent" in page
    assert "Patteri on kylmä" in page
    assert 'id="id_location"' in page
    assert '<option value="bedroom" selected>' in page


def test_other_expired_forms_get_a_friendly_page_not_an_error_X_4(household, settings):
    settings.CSRF_FAILURE_VIEW = CSRF_FAILURE_VIEW
    client = Client(enforce_csrf_checks=True)
    login(client, household.main_tenant)
    client.cookies["django_language"] = "en"
    response = client.post("/profile/contact/", {"phone": "040 123 4567"}, HTTP_REFERER="http://evil.example/")
    body = response.content.decode()
    assert response.status_code == 403
    assert "The page had expired" in body
    assert "Nothing was changed." in body
    assert "evil.example" not in body


def test_draft_can_be_discarded_SRQ_6(client, household):
    person = household.sublessee
    Draft.objects.create(person=person, form="defect", data={"description": "Vanha luonnos"})
    login(client, person)
    assert "Vanha luonnos" in client.get("/requests/defects/new/").content.decode()

    response = client.post("/requests/drafts/defect/discard/")

    assert response["Location"] == "/requests/defects/new/"
    assert not Draft.objects.exists()
    assert "Vanha luonnos" not in client.get("/requests/defects/new/").content.decode()


def test_service_request_draft_survives_the_session_SRQ_6(client, household):
    person = household.co_tenant
    user = login(client, person)
    token = token_on(client.get("/requests/service/new/smoking/").content.decode())
    client.logout()
    client.post("/requests/service/new/smoking/", {"place": "balcony", "occurred": "Joka ilta", "draft_token": token})
    client.force_login(user)
    page = client.get("/requests/service/new/smoking/").content.decode()
    assert 'value="Joka ilta"' in page


def test_a_draft_untouched_for_weeks_is_no_longer_offered_SRQ_6(client, household):
    from datetime import timedelta

    from django.utils import timezone

    person = household.sublessee
    Draft.objects.create(
        person=person, form="defect", data={"description": "Ikivanha luonnos"}, saved_at=timezone.now() - timedelta(days=31)
    )
    login(client, person)
    assert "Ikivanha luonnos" not in client.get("/requests/defects/new/").content.decode()


def test_a_nul_character_in_a_kept_draft_is_dropped_not_an_error_SRQ_6_X_4(client, household):
    """PostgreSQL cannot store NUL in jsonb; a hostile form sent after the session ended once gave a 500."""
    person = household.family_member
    data = {**message_data(household, person, form_token(person)), "subject": "Pitkä\x00 viesti", "body": "\x00"}

    response = client.post("/requests/messages/new/", data)

    assert response.status_code == 302
    draft = Draft.objects.get(person=person, form="message")
    assert draft.data["subject"] == "Pitkä viesti"
    assert "body" not in draft.data
