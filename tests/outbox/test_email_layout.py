"""Every e-mail shares one layout (templates/emails/base.txt and base.html): Heka's name, the
greeting, the body, customer service and the portal's address, in the e-mail's language (ACC-13, X-1)."""

from pathlib import Path

import pytest
from django.test import override_settings

from heka_portal.models import OutboxEmail
from heka_portal.outbox import _build_message

EMAILS = Path("templates/emails")
TEMPLATES = sorted(
    path.name.removesuffix(".txt")
    for path in EMAILS.glob("*.txt")
    if not path.name.endswith("_subject.txt") and path.name != "base.txt"
)
NAME = {"fi": "Hekan asukasportaali", "sv": "Hekas boendesida", "en": "Heka Resident Portal"}
CONTEXT = {
    "first_names": "Maija",
    "link": "http://testserver/the-link/",
    "valid_hours": 24,
    "hours": 24,
    "email": "maija@example.com",
    "number": "H-1",
    "applicant_name": "Anna Aaltonen",
    "kind": "message",
    "sent_on": "1.12.2026",
    "admin_path": "/admin/x/",
}


def test_there_are_the_nine_emails_and_each_extends_the_base():
    # Every notification of a resident (NTF-1..NTF-5, NTF-8) is the one e-mail "notification".
    assert len(TEMPLATES) == 9
    for name in TEMPLATES:
        assert (EMAILS / f"{name}.txt").read_text().startswith('{% extends "emails/base.txt" %}'), name
        assert (EMAILS / f"{name}.html").read_text().startswith('{% extends "emails/base.html" %}'), name


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize("template", TEMPLATES)
@override_settings(HEKA_SITE_URL="https://asukas.heka.example/", HEKA_CUSTOMER_SERVICE_PHONE="09 310 13000")
def test_each_email_has_the_layout_in_its_language_ACC_13_X_1(template, language):
    email = OutboxEmail(to="maija@example.com", template=template, context=CONTEXT, language=language, idempotency_key="k")
    message = _build_message(email)
    html = str(message.alternatives[0][0])
    for part in (message.body, html):
        assert NAME[language] in part, "Heka's name"
    assert f'<html lang="{language}">' in html
    if template.endswith("_termination_notice"):  # to customer service: the admin link instead of contacts
        assert "https://asukas.heka.example/admin/x/" in message.body
        return
    for part in (message.body, html):
        assert "09 310 13000" in part
        assert "https://asukas.heka.example" in part
    assert "Maija" in message.body.splitlines()[0], "the greeting comes first"
