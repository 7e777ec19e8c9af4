"""Co-applicants confirm through their own e-mailed link (APP-3)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from applications import services
from applications.matching import names_match
from applications.models import Applicant, CoApplicantLink
from heka_portal.models import OutboxEmail
from tests.mail import html_part

from .flow import (
    ANNA,
    KALLE,
    LIISA,
    accept_cookies,
    confirm_as_co_applicant,
    confirm_as_main,
    kalle_with_email,
    link_from_mail,
    walk_identity_provider,
)


@pytest.fixture
def application(submit):
    return submit(co_applicants=[kalle_with_email()])


def _kalle(application) -> Applicant:
    return application.applicants.get(first_names="Kalle")


def test_co_applicant_checks_own_information_and_confirms_with_own_identification_APP_3(client, application):
    link = link_from_mail("kalle@example.com")
    page = client.get(link).content.decode()
    assert "Kalle Korhonen" in page
    assert "Anna Aaltonen has named you as a co-applicant" in page
    assert "Accept cookies" in page

    confirmed = confirm_as_co_applicant(client, link, KALLE)

    assert confirmed["Location"] == f"/applications/{application.pk}/"
    kalle = _kalle(application)
    assert kalle.confirmed_at is not None
    assert kalle.identification_method == Applicant.Method.STRONG
    assert CoApplicantLink.objects.get(applicant=kalle).used_at is not None
    status = client.get(confirmed["Location"]).content.decode()
    assert "Kalle Korhonen" in status
    assert "(you)" in status


def test_wrong_person_using_a_co_applicants_link_is_refused_and_changes_nothing_APP_3(client, application, caplog):
    """APP-3: the applicant herself (or anyone else) identifying through Kalle's link gets a clear
    refusal; Kalle is not confirmed, no identity is recorded, and the link still works for Kalle."""
    link = link_from_mail("kalle@example.com")

    refused = confirm_as_co_applicant(client, link, ANNA)

    assert refused.status_code == 403
    page = refused.content.decode()
    assert "The person who identified is not Kalle Korhonen." in page
    assert "Nothing was changed." in page
    kalle = _kalle(application)
    assert (kalle.confirmed_at, kalle.identified_at, kalle.hetu_hash, kalle.person) == (None, None, None, None)
    assert CoApplicantLink.objects.get(applicant=kalle).state() == CoApplicantLink.State.USABLE
    assert "heka_identity" not in client.session
    assert "010280-9662" not in caplog.text
    assert client.post("/applications/link/confirm/").status_code == 302  # nothing to confirm any more

    confirmed = confirm_as_co_applicant(Client(), link, KALLE)
    assert confirmed.status_code == 302
    assert _kalle(application).confirmed_at is not None


def test_someone_with_another_birth_date_is_refused_APP_3(client, application):
    refused = confirm_as_co_applicant(client, link_from_mail("kalle@example.com"), LIISA)
    assert refused.status_code == 403
    assert _kalle(application).confirmed_at is None


def test_expired_link_is_refused_with_a_clear_page_APP_3(client, application):
    """APP-3: links expire after 24 hours by default."""
    link = CoApplicantLink.objects.get()
    assert link.expires_at - link.created_at == timedelta(hours=24)
    CoApplicantLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = client.get(link_from_mail("kalle@example.com"))

    assert response.status_code == 410
    page = response.content.decode()
    assert "This link has expired" in page
    assert "Ask the applicant to send you a new link" in page
    assert client.post(f"{link_from_mail('kalle@example.com').split('testserver')[1]}identify/").status_code == 410


def test_link_expiring_during_identification_changes_nothing_APP_3(client, application):
    link_url = link_from_mail("kalle@example.com")
    link = CoApplicantLink.objects.get()
    CoApplicantLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() + timedelta(seconds=2))
    # Everything up to the confirm press is done, then the link expires.
    path = link_url.split("testserver")[1]
    accept_cookies(client, path)
    walk_identity_provider(client, client.post(f"{path}identify/"), KALLE.key)
    client.post("/applications/confirm/terms/")
    CoApplicantLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = client.post("/applications/link/confirm/")
    assert response.status_code == 410
    assert _kalle(application).confirmed_at is None


def test_reused_link_is_refused_APP_3(client, application):
    """APP-3: a link is single-use; after confirming, opening it again says so."""
    link = link_from_mail("kalle@example.com")
    confirm_as_co_applicant(client, link, KALLE)

    again = Client().get(link)

    assert again.status_code == 410
    assert "This link has already been used" in again.content.decode()


def test_forged_or_altered_link_is_not_found_APP_3(client, application):
    link = link_from_mail("kalle@example.com")
    assert client.get(link[:-3] + "abc/").status_code == 404
    assert client.get("/applications/link/not-a-token/").status_code == 404


def test_applicant_sends_a_new_link_and_the_old_one_stops_working_APP_3(client, application, django_capture_on_commit_callbacks):
    confirm_as_main(client)
    old = link_from_mail("kalle@example.com")
    kalle = _kalle(application)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/applications/{application.pk}/applicants/{kalle.pk}/link/")

    assert response["Location"] == f"/applications/{application.pk}/"
    new = link_from_mail("kalle@example.com")
    assert new != old
    assert Client().get(old).status_code == 410
    assert "A newer link has replaced this one" in Client().get(old).content.decode()
    assert Client().get(new).status_code == 200
    assert CoApplicantLink.objects.filter(applicant=kalle).count() == 2


def test_only_the_applicant_may_send_a_new_link_APP_3(client, application):
    """A co-applicant (or a stranger) cannot make links be sent to others."""
    kalle = _kalle(application)
    confirm_as_co_applicant(client, link_from_mail("kalle@example.com"), KALLE)
    main = application.applicants.get(role="main")
    assert client.post(f"/applications/{application.pk}/applicants/{main.pk}/link/").status_code == 404
    assert Client().post(f"/applications/{application.pk}/applicants/{kalle.pk}/link/").status_code == 404


def test_link_e_mail_is_sent_after_commit_and_no_token_is_stored_X_6_APP_3(application):
    """X-6: the outbox row names the link by id; the token exists only in the e-mail itself."""
    row = OutboxEmail.objects.get(to="kalle@example.com")
    link = link_from_mail("kalle@example.com")
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert row.link_builder == "applications_co_applicant"
    assert row.link_args == {"link_id": CoApplicantLink.objects.get().pk}
    assert token not in str(row.context)
    assert CoApplicantLink.objects.get().nonce not in str(row.context)
    assert row.status == OutboxEmail.Status.SENT
    assert link in html_part(mail.outbox[-1])


def test_new_link_e_mail_waits_for_the_commit_X_6_APP_3(application, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.co_applicant_link_send(applicant=_kalle(application))
    assert len(callbacks) == 1
    assert not mail.outbox


@pytest.mark.parametrize(
    ("written_first", "written_last", "official_first", "official_last", "expected"),
    [
        ("Anna", "Aaltonen", "Anna Maria", "Aaltonen", True),
        ("anna maria", "AALTONEN", "Anna Maria", "Aaltonen", True),
        ("Liisa", "Makinen", "Liisa", "Mäkinen", True),
        ("Sirkka Liisa", "Lehtonen", "Sirkka-Liisa", "Lehtonen", True),
        ("Maria", "Aaltonen", "Anna", "Aaltonen", False),
        ("Anna", "Virtanen", "Anna Maria", "Aaltonen", False),
        ("", "Aaltonen", "Anna", "Aaltonen", False),
    ],
)
def test_names_are_compared_with_the_official_names_APP_3(written_first, written_last, official_first, official_last, expected):
    assert (
        names_match(
            written_first_names=written_first,
            written_last_name=written_last,
            first_names=official_first,
            last_name=official_last,
        )
        is expected
    )
