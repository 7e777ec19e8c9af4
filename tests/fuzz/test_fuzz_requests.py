"""X-4: hostile input to the defect notification, message and service request forms, and to the
draft kept when such a form arrives after the session ended (SRQ-6)."""

import re
from datetime import date, timedelta
from typing import cast

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import User
from servicerequests.drafts import form_token, typed_data
from servicerequests.forms import SERVICE_FORMS, DefectForm, MessageForm
from servicerequests.models import Defect, DefectPhoto, Draft, Message, ServiceRequest
from tests.factories.servicerequests import image_bytes

from .strategies import (
    FUZZ,
    assert_rejected_clearly,
    changed,
    hostile,
    plausible_text,
    post,
    post_raw,
    raw_bodies,
    row_counts,
    submissions,
)

PASSWORD = "Sal4sana!x"

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(household):
    return User.objects.create_user("maija.virtanen@example.com", PASSWORD, person=household.main_tenant, language="en")


def _home(household) -> str:
    return f"{household.apartment.pk}-{household.main_tenant.pk}"


def plausible_fields(form_class: type[forms.Form], home: str) -> dict[str, st.SearchStrategy]:
    """A plausible value for every field of the form, read from the form itself."""
    today = timezone.localdate()
    fields = {}
    for name, field in form_class.base_fields.items():
        if name == "home":
            fields[name] = st.just(home)
        elif name == "photos":
            continue
        elif isinstance(field, forms.ChoiceField):
            fields[name] = st.sampled_from([str(value) for value, _label in cast(list, field.choices) if value != ""])
        elif isinstance(field, forms.DateField):
            fields[name] = st.integers(-60, 400).map(lambda days: (today + timedelta(days=days)).isoformat())
        elif isinstance(field, forms.IntegerField):
            fields[name] = st.integers(-2, 12).map(str)  # 1..10 are accepted
        else:
            fields[name] = plausible_text(min(getattr(field, "max_length", None) or 200, 200))
        if not field.required:
            fields[name] = st.one_of(st.just(""), fields[name])
    return fields


PHOTO_NAMES = ["vuoto.png", "vuoto.jpg", "IMG_0001.JPEG", "evil.php", "../../etc/passwd.png", "x.png.exe", "noext", "ä😀.png"]
PHOTO_TYPES = ["image/png", "image/jpeg", "application/octet-stream", "text/html", "image/svg+xml", ""]
photo_content = st.one_of(
    st.binary(max_size=3000),
    st.sampled_from([image_bytes("PNG"), image_bytes("JPEG"), image_bytes("PNG")[:60], b"GIF89a" + b"\x00" * 40]),
    st.builds(
        lambda head, tail: head + tail, st.sampled_from([image_bytes("PNG"), image_bytes("JPEG")]), st.binary(max_size=200)
    ),
)
photos = st.lists(
    st.builds(SimpleUploadedFile, st.sampled_from(PHOTO_NAMES), photo_content, st.sampled_from(PHOTO_TYPES)), max_size=6
)


def _assert_sent_or_nothing(response, before: dict, model: type[Model], detail: str) -> None:
    if response.status_code == 302:
        item = model._default_manager.latest("pk")
        assert response["Location"] == detail.format(pk=item.pk)
        assert changed(before, row_counts()).get(model._meta.db_table) == 1
    else:
        assert_rejected_clearly(response)
        assert changed(before, row_counts()) == {}


@FUZZ
@given(data=st.data())
def test_defect_form_never_errors_on_hostile_input_X_4(fresh_client, resident, household, data):
    sent = data.draw(submissions(plausible_fields(DefectForm, _home(household))))
    uploads = data.draw(photos)
    if uploads:
        sent["photos"] = uploads
    client = fresh_client(resident)
    before = row_counts()

    response = post(client, "/requests/defects/new/", sent)

    _assert_sent_or_nothing(response, before, Defect, "/requests/defects/{pk}/")
    if response.status_code == 302:
        # Every photo sent is kept, or the notification is not sent at all.
        assert DefectPhoto.objects.filter(defect=Defect.objects.latest("pk")).count() == len(uploads)


@FUZZ
@given(data=st.data())
def test_message_form_never_errors_on_hostile_input_X_4(fresh_client, resident, household, data):
    sent = data.draw(submissions(plausible_fields(MessageForm, _home(household))))
    client = fresh_client(resident)
    before = row_counts()

    response = post(client, "/requests/messages/new/", sent)

    _assert_sent_or_nothing(response, before, Message, "/requests/messages/{pk}/")


@pytest.mark.parametrize("kind", sorted(SERVICE_FORMS))
@FUZZ
@given(data=st.data())
def test_service_request_forms_never_error_on_hostile_input_X_4(fresh_client, resident, household, kind, data):
    sent = data.draw(submissions(plausible_fields(SERVICE_FORMS[kind], _home(household))))
    client = fresh_client(resident)
    before = row_counts()

    response = post(client, f"/requests/service/new/{kind}/", sent)

    _assert_sent_or_nothing(response, before, ServiceRequest, "/requests/service/{pk}/")
    if response.status_code == 302:
        stored = ServiceRequest.objects.latest("pk")
        assert stored.type == kind
        for value in stored.details.values():
            if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                date.fromisoformat(value)  # dates are stored so that the detail page can read them


@FUZZ
@given(form=st.sampled_from(["defects", "messages"]), data=st.data())
def test_draft_of_an_ended_session_never_errors_on_hostile_input_SRQ_6_X_4(household, form, data):
    """A form sent after the session ended keeps what was typed as a draft, whatever it was."""
    form_class = DefectForm if form == "defects" else MessageForm
    fields = dict.fromkeys(form_class.draft_fields, hostile)
    sent = data.draw(submissions(fields, fixed={"draft_token": form_token(household.main_tenant)}))
    Draft.objects.all().delete()
    client = Client()
    before = row_counts()

    response = post(client, f"/requests/{form}/new/", sent)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    typed = typed_data(_query(sent), form_class.draft_fields)
    if typed:
        draft = Draft.objects.get()
        assert draft.person == household.main_tenant
        assert draft.data == typed
    else:
        assert changed(before, row_counts()) == {}


def _query(sent: dict):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for name, value in sent.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    return query


@pytest.mark.parametrize("path", ["/requests/defects/new/", "/requests/messages/new/", "/requests/service/new/renovation/"])
@FUZZ
@given(raw=raw_bodies)
def test_request_forms_never_error_on_malformed_bodies_X_4(fresh_client, resident, path, raw):
    client = fresh_client(resident)
    before = row_counts()

    post_raw(client, path, *raw)

    assert changed(before, row_counts()) == {}
