"""SRQ-1 and SRQ-4 on the defect pages: every resident may report a defect and sees only the
notifications they sent themselves, also when a spouse shares the agreement."""

import pytest

from tests.tenancy.pages import FUTURE, LOGIN, NOT_FOUND, REFUSED, WHO, Sees, check, visit

OWN_LIST = {
    "main_tenant": Sees(contains=("Water, drains or leaks", "Report a defect"), lacks=("Eero Virtanen",)),
    "co_tenant": Sees(contains=("Water, drains or leaks",)),
    "family_member": Sees(contains=("You have not sent any defect notifications.",)),
    "sublessee": Sees(contains=("You have not sent any defect notifications.",)),
    "guardian": Sees(contains=("On behalf of Eero Virtanen",)),
    "future_tenant": FUTURE,
    "former_tenant": REFUSED,
    "stranger": Sees(contains=("You have not sent any defect notifications.",)),
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("who", WHO)
def test_defect_list_shows_only_the_persons_own_notifications_SRQ_1_SRQ_4(client, household, sent, who):
    body = check(visit(client, household, who, "/requests/defects/"), household, OWN_LIST[who])
    own = {"main_tenant": sent.defect, "co_tenant": sent.spouse_defect, "guardian": sent.ward_defect}
    for defect in (sent.defect, sent.spouse_defect, sent.ward_defect):
        link = f'href="/requests/defects/{defect.pk}/"'
        assert (link in body) == (own.get(who) == defect), f"{who} and defect {defect.description}"


FORM = Sees(contains=('name="category"', 'name="photos"', 'name="master_key_allowed"', 'name="has_pets"', 'name="draft_token"'))
NEW_FORM = dict.fromkeys(WHO, FORM) | {
    "guardian": Sees(contains=(*FORM.contains, "(on behalf of Eero Virtanen)")),
    "future_tenant": FUTURE,
    "former_tenant": REFUSED,
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("who", WHO)
def test_every_resident_may_report_a_defect_SRQ_1(client, household, who):
    check(visit(client, household, who, "/requests/defects/new/"), household, NEW_FORM[who])


DETAIL = dict.fromkeys(WHO, NOT_FOUND) | {
    "main_tenant": Sees(contains=("Maijan hana vuotaa", "Tiskipöydän alla", "Kissa", "Received", "/photos/")),
    "future_tenant": FUTURE,
    "former_tenant": REFUSED,
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("who", WHO)
def test_only_the_submitter_sees_a_defect_even_on_a_shared_agreement_SRQ_4(client, household, sent, who):
    check(visit(client, household, who, f"/requests/defects/{sent.defect.pk}/"), household, DETAIL[who])


PHOTO = dict.fromkeys(WHO, NOT_FOUND) | {
    "main_tenant": Sees(headers={"Content-Type": "image/png", "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}),
    "future_tenant": FUTURE,
    "former_tenant": REFUSED,
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("who", WHO)
def test_defect_photo_is_served_only_to_the_submitter_X_8_SRQ_4(client, household, sent, who):
    response = visit(client, household, who, f"/requests/defects/{sent.defect.pk}/photos/{sent.photo.pk}/")
    check(response, household, PHOTO[who])
    if who == "main_tenant":
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")
        assert response["Content-Disposition"].startswith("attachment;"), "X-8: served as an attachment"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_guardian_sees_the_defect_sent_for_the_ward_labelled_TEN_10_SRQ_4(client, household, sent):
    expected = Sees(contains=("On behalf of Eero Virtanen", "Eeron ovi"))
    check(visit(client, household, "guardian", f"/requests/defects/{sent.ward_defect.pk}/"), household, expected)


def test_photo_of_another_defect_is_not_found_by_a_mixed_url_SRQ_4(client, household, sent):
    path = f"/requests/defects/{sent.spouse_defect.pk}/photos/{sent.photo.pk}/"
    check(visit(client, household, "co_tenant", path), household, NOT_FOUND)
