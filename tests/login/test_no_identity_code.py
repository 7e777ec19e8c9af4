"""The personal identity code never appears in logs, e-mails or pages of login and reset (X-7)."""

import logging

from django.core import mail
from django.core.serializers import serialize

from heka_portal.models import OutboxEmail
from tests.factories.tenancy import make_hetu
from tests.login.conftest import log_in

NEW_PASSWORD = "Uusi-Sala9"


def test_identity_code_is_never_logged_mailed_or_shown_X_7(
    client, household, make_user, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    hetu = make_hetu()
    person = household.main_tenant
    person.set_hetu(hetu)
    person.save()
    former = household.former_tenant
    former_hetu = make_hetu()
    former.set_hetu(former_hetu)
    former.save()
    make_user(person, email="maija.virtanen@example.com")
    make_user(former, email="ville@example.com")

    pages = [
        log_in(client, "maija.virtanen@example.com", "Wrong-Pass1"),
        log_in(client.__class__(), "ville@example.com"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        pages.append(client.post("/accounts/password/reset/", {"email": "maija.virtanen@example.com"}, follow=True))
    link = next(word for word in mail.outbox[0].body.split() if "/reset/key/" in word)
    form = client.get("/" + link.split("/", 3)[3])["Location"]
    pages.append(client.post(form, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True))
    pages.append(log_in(client, "maija.virtanen@example.com", NEW_PASSWORD, follow=True))

    seen = [caplog.text, serialize("json", OutboxEmail.objects.all())]
    seen += [message.message().as_string() for message in mail.outbox]
    seen += [page.content.decode() for page in pages]
    for code in (hetu, former_hetu):
        for text in seen:
            assert code not in text
            assert code.replace("-", "") not in text
