"""SRQ-2, SRQ-3 and SRQ-4 on the message pages: the subject areas of the SPEC, key orders, the
resident's previous messages with their replies, and nobody else's."""

import pytest

from servicerequests.models import Message, Status, TimelineEntry
from tests.tenancy.pages import FUTURE, LOGIN, NOT_FOUND, REFUSED, WHO, Sees, check, login, visit

NONE_SENT = Sees(contains=("You have not sent any messages.", "Write a message"))
LIST = dict.fromkeys(WHO, NONE_SENT) | {
    "main_tenant": Sees(contains=("Maijan viesti", "1 new reply"), lacks=("Matin viesti",)),
    "co_tenant": Sees(contains=("Matin viesti",), lacks=("Maijan viesti",)),
    "future_tenant": FUTURE,
    "former_tenant": REFUSED,
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("who", WHO)
def test_message_list_shows_the_persons_own_messages_and_new_replies_SRQ_2_SRQ_4(client, household, sent, who):
    check(visit(client, household, who, "/requests/messages/"), household, LIST[who])


CATEGORIES = [
    "Payment agreement",
    "Rental compensation or deposit return request",
    "Lease control",
    "Debt collection",
    "Tenant democracy",
    "Customer service, including key orders",
    "General feedback",
    'name="key_type"',
    'name="key_count"',
]
FORM = dict.fromkeys(WHO, Sees(contains=tuple(CATEGORIES))) | {
    "future_tenant": FUTURE,
    "former_tenant": REFUSED,
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("who", WHO)
def test_message_form_offers_the_subject_areas_of_the_spec_with_key_orders_SRQ_2(client, household, who):
    check(visit(client, household, who, "/requests/messages/new/"), household, FORM[who])


DETAIL = dict.fromkeys(WHO, NOT_FOUND) | {
    "main_tenant": Sees(contains=("Maijan viesti", "Vastaus Maijalle", "Reply from Heka customer service")),
    "future_tenant": FUTURE,
    "former_tenant": REFUSED,
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("who", WHO)
def test_only_the_submitter_reads_a_message_and_its_reply_SRQ_4(client, household, sent, who):
    check(visit(client, household, who, f"/requests/messages/{sent.message.pk}/"), household, DETAIL[who])


def test_opening_a_message_marks_its_replies_read_TEN_1_SRQ_2(client, household, sent):
    login(client, household.main_tenant)
    client.get(f"/requests/messages/{sent.message.pk}/")
    assert not TimelineEntry.objects.filter(request=sent.message, kind="reply", read_at=None).exists()


def test_a_key_order_says_which_key_and_how_many_SRQ_2(client, household):
    login(client, household.family_member)
    client.cookies["django_language"] = "en"
    response = client.post(
        "/requests/messages/new/",
        {
            "home": f"{household.apartment.pk}-{household.family_member.pk}",
            "category": "customer_service",
            "subject": "Avaimet",
            "body": "Tarvitsen lisää avaimia.",
            "key_type": "storage",
            "key_count": "2",
        },
    )
    message = Message.objects.get()
    assert response.status_code == 302
    assert (message.key_type, message.key_count, message.status) == ("storage", 2, Status.RECEIVED)
    assert "Storage room key, 2 keys" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"category": "feedback", "key_type": "storage", "key_count": "1"}, "category"),
        ({"category": "customer_service", "key_type": "storage"}, "key_count"),
        ({"category": "customer_service", "key_count": "3"}, "key_type"),
    ],
)
def test_an_incomplete_key_order_is_refused_and_the_text_kept_SRQ_2_X_4(client, household, data, field):
    login(client, household.family_member)
    client.cookies["django_language"] = "en"
    response = client.post("/requests/messages/new/", {"subject": "Avaimet", "body": "Kirjoitettu teksti", **data})
    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in body
    assert "Kirjoitettu teksti" in body
    assert not Message.objects.exists()
