"""TEN-6: a main tenant terminates the agreement; the end date (last day of the month after the
notice) is shown before sending; one open notice per agreement; customer service is told; the
resident sees it. TEN-7 for the others."""

import re
from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import translation
from django.utils.formats import date_format

from tenancy.dates import termination_end_date
from tenancy.models import TerminationNotice
from tenancy.services import termination_notice_create
from tests.factories.tenancy_pages import TerminationNoticeFactory
from tests.tenancy.pages import FUTURE, LOGIN, NOT_FOUND, REFUSED, WHO, Sees, check, login, spy_emails, visit

URL = "/economy/agreements/{agreement.pk}/terminate/"
# TEN-7: the one refusal of the main-tenant functions, answered with 403.
EXPLANATION = Sees(403, contains=("shown only to the signatories",), lacks=("Terminate the rental agreement",))


def _end(today) -> str:
    """The end date as the English pages write it."""
    with translation.override("en"):
        return date_format(termination_end_date(today), "DATE_FORMAT")


FORM_EXPECTED = {
    "main_tenant": Sees(contains=("Terminate the rental agreement", "{apartment.address}", "the agreement ends on")),
    "co_tenant": Sees(contains=("Terminate the rental agreement", "the agreement ends on")),
    "family_member": EXPLANATION,
    "sublessee": EXPLANATION,
    "guardian": EXPLANATION,
    "future_tenant": FUTURE,
    "former_tenant": REFUSED,
    "stranger": NOT_FOUND,
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("who", WHO)
def test_only_a_main_tenant_may_terminate_TEN_6_TEN_7(client, household, who, today):
    body = check(visit(client, household, who, URL), household, FORM_EXPECTED[who])
    if who in ("main_tenant", "co_tenant"):
        assert _end(today) in body, "the end date is shown before anything is sent"


@pytest.fixture
def given_notice(household):
    household.notice = TerminationNoticeFactory(agreement=household.agreement, submitted_by=household.main_tenant)
    return household


DETAIL = Sees(contains=("Notice of termination", "31 December 2026", "Maija Virtanen", "{agreement.number}"))
DETAIL_EXPECTED = {
    "main_tenant": DETAIL,
    # The notice ends the agreement of both signatories, so both see it.
    "co_tenant": DETAIL,
    "family_member": EXPLANATION,
    "sublessee": EXPLANATION,
    "guardian": EXPLANATION,
    "future_tenant": FUTURE,
    "former_tenant": REFUSED,
    "stranger": NOT_FOUND,
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("who", WHO)
def test_the_agreements_signatories_see_the_notice_others_are_refused_TEN_6_TEN_7(client, given_notice, who):
    check(visit(client, given_notice, who, "/economy/terminations/{notice.pk}/"), given_notice, DETAIL_EXPECTED[who])


def _post(client, household, step, today, **extra):
    data = {"step": step, "forwarding_address": "Uusikatu 1, 00100 Helsinki", "message": "Avaimet palautan itse."}
    if step == "send":
        data["expected_end"] = termination_end_date(today).isoformat()
    return client.post(URL.format(**vars(household)), {**data, **extra})


def test_termination_is_confirmed_with_the_end_date_before_it_is_sent_TEN_6(client, household, today, monkeypatch):
    queued_emails = spy_emails(monkeypatch)
    login(client, household.main_tenant)
    client.cookies["django_language"] = "en"

    review = _post(client, household, "review", today)
    assert review.status_code == 200
    review_body = review.content.decode()
    assert "Confirm the termination" in review_body
    assert _end(today) in review_body
    assert not TerminationNotice.objects.exists()

    sent = _post(client, household, "send", today)

    notice = TerminationNotice.objects.get()
    assert sent.status_code == 302
    assert sent["Location"] == f"/economy/terminations/{notice.pk}/"
    assert (notice.notice_date, notice.ends_on) == (today, termination_end_date(today))
    assert (notice.submitted_by, notice.forwarding_address) == (household.main_tenant, "Uusikatu 1, 00100 Helsinki")
    [email] = queued_emails("tenancy_termination_notice")
    assert email["to"] == "asiakaspalvelu@heka.example"
    assert household.agreement.number in str(email["context"])
    economy = client.get("/economy/").content.decode()
    assert "Notice of termination has been given" in economy
    assert "Terminate the agreement" not in economy


def test_sending_twice_keeps_one_notice_and_one_email_TEN_6(client, household, today, monkeypatch):
    queued_emails = spy_emails(monkeypatch)
    login(client, household.main_tenant)
    _post(client, household, "send", today)
    again = _post(client, household, "send", today)
    login(client, household.co_tenant)
    co_tenant = client.get(URL.format(**vars(household)))

    notice = TerminationNotice.objects.get()
    assert again["Location"] == co_tenant["Location"] == f"/economy/terminations/{notice.pk}/"
    assert len(queued_emails("tenancy_termination_notice")) == 1


def test_a_stale_end_date_is_shown_again_instead_of_being_sent_TEN_6(client, household, today):
    """The day changed between the steps (midnight): the resident must see the new end date."""
    login(client, household.main_tenant)
    client.cookies["django_language"] = "en"

    response = _post(
        client, household, "send", today, expected_end=(termination_end_date(today) - timedelta(days=40)).isoformat()
    )

    assert response.status_code == 200
    assert "The date changed" in response.content.decode()
    assert _end(today) in response.content.decode()
    assert not TerminationNotice.objects.exists()


def test_back_to_edit_keeps_what_was_typed_X_4(client, household, today):
    login(client, household.main_tenant)
    response = _post(client, household, "edit", today)
    assert re.search(r"<textarea[^>]*>\s*Uusikatu 1, 00100 Helsinki</textarea>", response.content.decode())
    assert not TerminationNotice.objects.exists()


def test_service_is_idempotent_and_a_cancelled_notice_allows_a_new_one_TEN_6(household, today):
    first, created = termination_notice_create(
        agreement=household.agreement, submitted_by=household.main_tenant, on_behalf_of=None, notice_date=today
    )
    again, created_again = termination_notice_create(
        agreement=household.agreement, submitted_by=household.co_tenant, on_behalf_of=None, notice_date=today
    )
    assert (created, created_again, again) == (True, False, first)

    TerminationNotice.objects.filter(pk=first.pk).update(status=TerminationNotice.Status.CANCELLED)
    new, created_new = termination_notice_create(
        agreement=household.agreement, submitted_by=household.co_tenant, on_behalf_of=None, notice_date=today
    )
    assert created_new
    assert new != first


def test_database_allows_one_open_notice_per_agreement_TEN_6(household):
    TerminationNoticeFactory(agreement=household.agreement, submitted_by=household.main_tenant)
    with pytest.raises(IntegrityError):
        TerminationNoticeFactory(
            agreement=household.agreement, submitted_by=household.co_tenant, status=TerminationNotice.Status.CONFIRMED
        )


def test_an_agreement_that_already_has_an_end_date_cannot_be_terminated_here_TEN_6(client, household, today):
    household.agreement.ends_on = today + timedelta(days=100)
    household.agreement.save()
    login(client, household.main_tenant)
    client.cookies["django_language"] = "en"

    form = client.get(URL.format(**vars(household))).content.decode()
    sent = _post(client, household, "send", today)

    assert "cannot be terminated here" in form
    assert "cannot be terminated here" in sent.content.decode()
    assert not TerminationNotice.objects.exists()
    assert "Terminate the agreement" not in client.get("/economy/").content.decode()


@pytest.mark.postgres
def test_simultaneous_notices_create_one_and_both_callers_get_it_TEN_6(transactional_db, household, today):
    """Two main tenants press "Send" at the same moment: the database constraint lets one in."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(2)
    results = []

    def give_notice(person):
        try:
            barrier.wait()
            results.append(
                termination_notice_create(
                    agreement=household.agreement, submitted_by=person, on_behalf_of=None, notice_date=today
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=give_notice, args=(person,)) for person in (household.main_tenant, household.co_tenant)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    notice = TerminationNotice.objects.get()
    assert sorted(created for _, created in results) == [False, True]
    assert {found.pk for found, _ in results} == {notice.pk}
