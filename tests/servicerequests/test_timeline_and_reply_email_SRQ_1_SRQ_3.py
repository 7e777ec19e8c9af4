"""SRQ-1: the resident follows a defect through every status with a timeline of dated changes and
staff comments. SRQ-3: the reply e-mail says what was answered and when it was sent, links to the
reply behind the login, and is in the resident's language."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.models import User
from servicerequests import services
from servicerequests.models import Status
from tests.mail import html_part, text_of
from tests.tenancy.pages import login


def test_timeline_shows_each_status_and_staff_comment_with_its_date_SRQ_1(client, household, sent):
    defect = sent.defect
    for status in (Status.IN_PROGRESS, Status.WAITING, Status.DONE):
        services.request_change_status(request=defect, status=status, staff_user=None)
    services.request_reply(request=defect, text="Putkimies tulee tiistaina.", staff_user=None)
    yesterday = timezone.now() - timedelta(days=1)
    defect.timeline.filter(status=Status.IN_PROGRESS).update(created_at=yesterday)
    login(client, household.main_tenant)
    client.cookies["django_language"] = "en"

    body = client.get(f"/requests/defects/{defect.pk}/").content.decode()

    timeline = body[body.index('id="timeline-heading"') :]
    for label in ("Status: Received", "Status: In progress", "Status: Waiting", "Status: Done"):
        assert label in timeline
    assert "Reply from Heka customer service" in timeline
    assert "Putkimies tulee tiistaina." in timeline
    assert timeline.count("<time datetime=") == defect.timeline.count() == 5
    with translation.override("en"):
        assert date_format(timezone.localtime(yesterday), "SHORT_DATETIME_FORMAT") in timeline


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_reply_email_names_the_message_and_its_date_and_links_to_the_reply_SRQ_3(
    household, sent, language, django_capture_on_commit_callbacks
):
    person = household.main_tenant
    person.preferred_language = language
    person.save()
    User.objects.create_user("maija@example.com", "x", person=person)

    with django_capture_on_commit_callbacks(execute=True):
        services.request_reply(request=sent.message, text="Maksusuunnitelma on hyväksytty.", staff_user=None)

    [email] = mail.outbox
    html = html_part(email)
    with translation.override(language):
        sent_on = date_format(timezone.localtime(sent.message.created_at), "SHORT_DATE_FORMAT")
        expected_subject = translation.gettext("Heka has answered your message")
    assert email.subject == expected_subject
    if language == "en":
        assert email.subject == "Heka has answered your message"
    for part in (text_of(email), html):
        assert sent_on in part
        assert f"/requests/messages/{sent.message.pk}/" in part
        assert person.first_names in part
        assert "Maksusuunnitelma" not in part, "the reply is read behind the login"
