"""NTF-1: a submission ends on its page with a reference number, and a receipt e-mail says what
was sent, without a HETU or a full bank account number."""

from datetime import timedelta

from heka_portal.models import OutboxEmail
from notifications.kinds import Kind
from servicerequests.models import Defect, Message
from tenancy.models import OccupantChangeNotice
from tests.tenancy.pages import login


def _receipt_emails(person) -> list[OutboxEmail]:
    return list(OutboxEmail.objects.filter(to=f"person{person.pk}@example.com", context__kind=Kind.RECEIPT))


def test_a_defect_ends_on_its_page_with_the_reference_and_a_receipt_e_mail_NTF_1(client, household):
    person = household.sublessee
    login(client, person)
    client.cookies["django_language"] = "en"
    data = {
        "home": f"{household.apartment.pk}-{person.pk}",
        "category": "water",
        "location": "bathroom",
        "location_details": "",
        "description": "Lattiakaivo vetää huonosti",
        "master_key_allowed": "no",
        "has_pets": "no",
    }
    response = client.post("/requests/defects/new/", data, follow=True)
    defect = Defect.objects.get()
    body = response.content.decode()
    assert f"Reference V-{defect.pk}: quote it when you contact customer service." in body
    [receipt] = _receipt_emails(person)
    assert receipt.context["reference"] == f"V-{defect.pk}"
    assert receipt.context["params"]["category"] == "water"


def test_a_message_and_a_notice_of_moving_get_their_receipts_too_NTF_1(client, household, today):
    person = household.main_tenant
    login(client, person)
    client.cookies["django_language"] = "en"
    response = client.post(
        "/requests/messages/new/",
        {
            "home": f"{household.apartment.pk}-{person.pk}",
            "category": "payment_agreement",
            "subject": "Kysymys",
            "body": "Hei",
            "key_type": "",
        },
        follow=True,
    )
    message = Message.objects.get()
    assert f"Reference M-{message.pk}" in response.content.decode()
    response = client.post(
        f"/economy/agreements/{household.agreement.pk}/occupant-changes/new/",
        {
            "kind": "moving_in",
            "occupant_name": "Kalle Uusi",
            "occupant_birth_date": "1990-05-05",
            "moves_on": (today + timedelta(days=14)).isoformat(),
            "details": "",
        },
        follow=True,
    )
    notice = OccupantChangeNotice.objects.get()
    assert f"Reference A-{notice.pk}" in response.content.decode()
    assert sorted(email.context["reference"] for email in _receipt_emails(person)) == sorted(
        [f"M-{message.pk}", f"A-{notice.pk}"]
    )
