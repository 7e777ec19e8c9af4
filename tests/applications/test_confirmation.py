"""The applicant's confirmation path of seed 003 through the real identification views (APP-2, APP-4)."""

from django.test import Client
from lxml import html

from applications.models import Applicant
from applications.views import CONSENT_COOKIE

from .flow import (
    ANNA,
    KALLE,
    LIISA,
    accept_cookies,
    child,
    confirm_as_co_applicant,
    confirm_as_main,
    kalle_with_email,
    link_from_mail,
    walk_identity_provider,
)


def test_confirmation_page_asks_for_cookies_before_identification_APP_2(client):
    page = client.get("/applications/confirm/").content.decode()
    assert "Accept cookies" in page
    assert "Continue to identification" not in page
    assert "<script" not in page

    accepted = accept_cookies(client)
    assert accepted["Location"] == "/applications/confirm/"
    assert client.cookies[CONSENT_COOKIE].value == "accepted"
    assert client.cookies[CONSENT_COOKIE]["httponly"]
    page = client.get("/applications/confirm/").content.decode()
    assert "Continue to identification" in page
    assert "Accept cookies" not in page


def test_declined_cookies_explain_why_and_how_to_continue_later_APP_2(client, submit):
    """APP-2: declining shows why the application cannot be confirmed and how to continue later;
    identification cannot be started without consent, and the application waits unchanged."""
    application = submit()
    response = client.post("/applications/confirm/cookies/", {"choice": "decline", "next_url": "/applications/confirm/"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "cannot confirm your application" in page
    assert "How to continue later" in page
    assert "Your application is saved" in page
    assert "Accept cookies" in page
    assert CONSENT_COOKIE not in client.cookies or client.cookies[CONSENT_COOKIE].value == ""

    refused = client.post("/applications/confirm/identify/")
    assert refused["Location"] == "/applications/confirm/"
    assert "heka_saml_request" not in client.session
    assert not application.applicants.filter(confirmed_at__isnull=False).exists()


def test_cookie_choice_never_redirects_off_site_APP_2(client):
    response = client.post("/applications/confirm/cookies/", {"choice": "accept", "next_url": "https://evil.example/"})
    assert response["Location"] == "/applications/confirm/"


def test_applicant_identifies_accepts_terms_chooses_and_confirms_APP_2_APP_4(client, submit):
    """APP-2: cookies → identification → terms → Accept → choose → Confirm application; the
    application page then shows the applicant identified and confirmed (APP-4)."""
    application = submit(co_applicants=[kalle_with_email()])
    accept_cookies(client)
    returned = walk_identity_provider(client, client.post("/applications/confirm/identify/"), ANNA.key)
    assert returned["Location"] == "/applications/confirm/terms/"

    terms = client.get("/applications/confirm/terms/").content.decode()
    assert "You have identified as Anna Maria Aaltonen." in terms
    assert client.get("/applications/confirm/choose/").status_code == 302  # not before "Accept"
    assert client.post("/applications/confirm/terms/")["Location"] == "/applications/confirm/choose/"

    choose = client.get("/applications/confirm/choose/")
    options = html.fromstring(choose.content).xpath("//input[@name='applicants']")
    main = application.applicants.get(role="main")
    assert [option.get("value") for option in options] == [str(main.pk)]
    assert "Confirm application" in choose.content.decode()

    confirmed = client.post("/applications/confirm/choose/", {"applicants": [str(main.pk)]})
    assert confirmed["Location"] == f"/applications/{application.pk}/"
    main.refresh_from_db()
    assert main.identification_method == Applicant.Method.STRONG
    assert main.identified_at
    assert main.confirmed_at
    assert main.person.hetu_hash == main.hetu_hash

    page = client.get(confirmed["Location"])
    text = page.content.decode()
    assert "Identified:" in text
    assert "Confirmed:" in text
    assert "The application is not valid yet." in text
    assert "Send Kalle a new link" in text
    assert "no-store" in page["Cache-Control"]


def test_terms_without_identification_send_back_to_the_confirmation_page_APP_2(client):
    response = client.get("/applications/confirm/terms/")
    assert response["Location"] == "/applications/confirm/"
    assert client.post("/applications/confirm/choose/")["Location"] == "/applications/confirm/"


def test_someone_else_finds_no_application_to_confirm_and_cannot_see_it_APP_2(client, submit):
    """APP-2: only applications where the identified person is the applicant are offered; a
    stranger gets 404 for another person's application page."""
    application = submit()
    confirm_as_main(Client(), ANNA)

    accept_cookies(client)
    walk_identity_provider(client, client.post("/applications/confirm/identify/"), LIISA.key)
    client.post("/applications/confirm/terms/")
    choose = client.get("/applications/confirm/choose/").content.decode()
    assert "We found no application waiting for your confirmation" in choose
    assert client.get(f"/applications/{application.pk}/").status_code == 404


def test_application_page_needs_identification_APP_4(client, submit):
    application = submit()
    response = client.get(f"/applications/{application.pk}/")
    assert response["Location"] == "/applications/"


def test_index_lists_the_identified_persons_applications_APP_4(client, submit):
    application = submit()
    confirm_as_main(client)
    page = client.get("/applications/").content.decode()
    assert f"/applications/{application.pk}/" in page
    assert "Valid" in page


def test_application_page_shows_each_adults_identification_and_confirmation_dates_APP_4(client, submit):
    """APP-4: for every adult, identified and confirmed or not, with dates; children are not asked."""
    application = submit(co_applicants=[kalle_with_email(), child()])
    confirm_as_main(client)
    waiting = client.get(f"/applications/{application.pk}/").content.decode()
    assert waiting.count("Confirmed:") == 1
    assert "Not identified, not confirmed" in waiting
    assert "Link sent to kalle@example.com" in waiting
    assert "Under 18: listed in the application, no confirmation needed." in waiting

    confirm_as_co_applicant(Client(), link_from_mail("kalle@example.com"), KALLE)
    page = client.get(f"/applications/{application.pk}/").content.decode()
    assert page.count("Identified:") == 2
    assert page.count("Confirmed:") == 2
    assert "The application is valid." in page
    kalle = application.applicants.get(first_names="Kalle")
    assert kalle.identification_method == Applicant.Method.STRONG
