"""The application form and when an application is valid (APP-1)."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from applications import services
from applications.matching import Identity
from applications.models import Applicant, Application, CoApplicantLink
from tenancy import hetu

from .flow import ANNA, KALLE, child, kalle_with_email


def _form_data(**overrides):
    today = timezone.localdate()
    data = {
        "areas": ["central", "northern"],
        "apartment_size": "2",
        "max_rent": "950",
        "moving_date": (today + timedelta(days=45)).isoformat(),
        "first_names": "Anna",
        "last_name": "Aaltonen",
        "birth_date": "1980-02-01",
        "email": "anna@example.com",
        "co-TOTAL_FORMS": "3",
        "co-INITIAL_FORMS": "0",
        "co-MIN_NUM_FORMS": "0",
        "co-MAX_NUM_FORMS": "10",
        "co-0-first_names": "Kalle",
        "co-0-last_name": "Korhonen",
        "co-0-birth_date": "1969-04-01",
        "co-0-email": "kalle@example.com",
        "co-1-first_names": "Eeli",
        "co-1-last_name": "Aaltonen",
        "co-1-birth_date": (today.replace(year=today.year - 8)).isoformat(),
        "co-1-email": "",
    }
    data.update(overrides)
    return data


def _identity(code: str, first_names: str, last_name: str) -> Identity:
    return Identity(hetu.lookup_hash(code), hetu.encrypt(code), first_names, last_name)


ANNA_IDENTITY = _identity("010280-952L", "Anna Maria", "Aaltonen")
KALLE_IDENTITY = _identity("010469-999W", "Kalle Johannes", "Korhonen")


def test_submitted_application_lists_household_and_sends_links_to_adults_APP_1_APP_3(client, django_capture_on_commit_callbacks):
    """APP-1: the form stores the wishes and the people moving in; the applicant gets a receipt with
    the confirmation page, the adult co-applicant a link, and the child nothing (APP-3)."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/applications/new/", _form_data())

    application = Application.objects.get()
    assert response["Location"] == f"/applications/{application.pk}/submitted/"
    assert application.areas == ["central", "northern"]
    assert str(application.max_rent) == "950.00"
    people = {a.first_names: a for a in application.applicants.all()}
    assert people["Anna"].role == Applicant.Role.MAIN
    assert set(people) == {"Anna", "Kalle", "Eeli"}
    assert sorted(message.to[0] for message in mail.outbox) == ["anna@example.com", "kalle@example.com"]
    receipt = client.get(response["Location"])
    assert "Go on to confirm the application" in receipt.content.decode()
    assert receipt["Cache-Control"].count("no-store") == 1


def test_receipt_page_is_only_for_the_browser_that_submitted_APP_1(client, submit):
    application = submit()
    assert client.get(f"/applications/{application.pk}/submitted/").status_code == 404


def test_form_errors_keep_what_was_typed_and_save_nothing_APP_1_X_4(client):
    today = timezone.localdate()
    response = client.post(
        "/applications/new/",
        _form_data(birth_date=today.replace(year=today.year - 16).isoformat(), moving_date="2000-01-01", areas=[]),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The applicant must be 18 or over." in page
    assert "The moving date cannot be in the past." in page
    assert "Choose at least one area." in page
    assert 'value="Korhonen"' in page
    assert not Application.objects.exists()
    assert not mail.outbox


def test_a_forged_row_count_builds_no_more_rows_than_may_move_in_APP_1_X_4(client):
    """A row count of thousands once made the server build and render a thousand rows per request."""
    response = client.post("/applications/new/", _form_data(**{"co-TOTAL_FORMS": "1000"}))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('name="co-9-first_names"') == 1
    assert 'name="co-10-first_names"' not in page
    assert "Please submit at most 10 forms." in page
    assert not Application.objects.exists()


def test_add_a_person_keeps_the_rows_and_adds_an_empty_one_APP_1(client):
    response = client.post("/applications/new/", {**_form_data(), "add_row": "1"})
    page = response.content.decode()
    assert 'name="co-3-first_names"' in page
    assert 'value="Kalle"' in page
    assert "Please correct" not in page
    assert not Application.objects.exists()


def test_same_person_twice_is_refused_APP_1(client):
    data = _form_data(**{"co-1-first_names": "Kalle", "co-1-last_name": "Korhonen", "co-1-birth_date": "1969-04-01"})
    response = client.post("/applications/new/", data)
    assert "The same person is listed twice." in response.content.decode()


def test_child_co_applicant_is_never_asked_APP_1(submit):
    """APP-1: a child is listed, gets no link (not even on request) and is not needed for validity."""
    application = submit(co_applicants=[child(years=12)])
    kid = application.applicants.get(role=Applicant.Role.CO_APPLICANT)

    assert [message.to for message in mail.outbox] == [["anna@example.com"]]
    assert services.co_applicant_link_send(applicant=kid) is None
    assert not CoApplicantLink.objects.exists()

    services.applicant_confirm(
        applicant=application.applicants.get(role="main"), identity=ANNA_IDENTITY, identified_at=timezone.now()
    )
    application.refresh_from_db()
    assert application.is_valid
    kid.refresh_from_db()
    assert kid.confirmed_at is None


def test_application_stays_not_valid_while_any_adult_has_not_confirmed_APP_1(submit):
    """APP-1: valid only when every adult has confirmed, in whichever order they do it."""
    application = submit(co_applicants=[kalle_with_email(), child()])
    main = application.applicants.get(role="main")
    kalle = application.applicants.get(first_names="Kalle")
    link = CoApplicantLink.objects.get(applicant=kalle)

    services.co_applicant_confirm(link=link, identity=KALLE_IDENTITY, identified_at=timezone.now())
    application.refresh_from_db()
    assert not application.is_valid

    services.applicant_confirm(applicant=main, identity=ANNA_IDENTITY, identified_at=timezone.now())
    application.refresh_from_db()
    assert application.is_valid


def test_adult_is_18_on_the_day_of_checking_APP_1(submit):
    """APP-1: someone who turns 18 today is an adult and is asked; one who turns 18 tomorrow is not."""
    today = timezone.localdate()
    eighteen_today = ("Aada", "Aaltonen", today.replace(year=today.year - 18), "aada@example.com")
    tomorrow = today + timedelta(days=1)
    eighteen_tomorrow = ("Iida", "Aaltonen", tomorrow.replace(year=tomorrow.year - 18), "iida@example.com")
    submit(co_applicants=[eighteen_today, eighteen_tomorrow])

    assert sorted(message.to[0] for message in mail.outbox) == ["aada@example.com", "anna@example.com"]


def test_main_applicant_confirmation_needs_matching_identity_APP_2(submit):
    application = submit(main=ANNA, co_applicants=[kalle_with_email()])
    main = application.applicants.get(role="main")
    try:
        services.applicant_confirm(applicant=main, identity=KALLE_IDENTITY, identified_at=timezone.now())
    except services.IdentityMismatch:
        pass
    else:  # pragma: no cover
        raise AssertionError("a different person confirmed the applicant")
    main.refresh_from_db()
    assert main.confirmed_at is None
    assert main.hetu_hash is None
    assert KALLE.first_names not in main.full_name
