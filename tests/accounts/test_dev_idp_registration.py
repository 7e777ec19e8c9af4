"""The whole ACC-1 path through the development identity provider, and the HETU kept out of sight (X-7)."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from lxml import html

from accounts.models import User
from heka_portal.models import OutboxEmail
from tests.factories.tenancy import AgreementPartyFactory, PersonFactory, RentalAgreementFactory
from tests.mail import html_part

from .conftest import LOA2, STRONG_PASSWORD, activation_path

HETU = "010280-9662"  # Anna Maria Aaltonen, a demo person of the development IdP


@pytest.fixture
def dev_idp(db, settings):
    settings.ROOT_URLCONF = "tests.saml.urls"
    settings.HEKA_DEV_IDP_ENABLED = True
    settings.HEKA_SAML_IDP_METADATA_FILE = ""


@pytest.fixture
def anna(db, today):
    person = PersonFactory(first_names="Anna Maria", last_name="Aaltonen", hetu=HETU)
    agreement = RentalAgreementFactory(signed_on=today - timedelta(days=400), starts_on=today - timedelta(days=365))
    AgreementPartyFactory(agreement=agreement, person=person)
    return person


def _local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def _identify_at_dev_idp(client, seen_urls: list[str]):
    started = client.post("/accounts/register/identify/")
    assert started.status_code == 302
    seen_urls.append(started["Location"])
    assert client.get(_local(started["Location"]))["Location"] == "/dev-idp/login/"
    answer = client.post("/dev-idp/login/", {"person": HETU, "loa": LOA2})
    form = html.fromstring(answer.content).get_element_by_id("saml-autopost")
    acs = client.post(urlsplit(form.action).path, {field.name: field.value for field in form.inputs if field.name})
    location = acs["Location"]
    while True:  # finish → single logout at the IdP → back → the registration form
        seen_urls.append(location)
        response = client.get(_local(location))
        if response.status_code != 302:
            return response
        location = response["Location"]


def test_register_through_dev_idp_and_hetu_never_in_url_outbox_email_or_log_ACC_1_X_7(
    dev_idp, anna, client, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level("DEBUG")
    client.cookies["django_language"] = "en"
    seen_urls: list[str] = []

    form_page = _identify_at_dev_idp(client, seen_urls)

    assert seen_urls[-1] == "/accounts/register/details/"
    assert "Hello Anna Maria" in form_page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            "/accounts/register/details/",
            {"email": "anna@example.com", "password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD},
        )
    assert sent["Location"] == "/accounts/register/sent/"
    path = activation_path(mail.outbox[0])
    seen_urls.append(path)
    confirm = client.get(path)
    seen_urls.append(confirm["Location"])
    done = client.post(confirm["Location"], {"email": "anna@example.com", "password": STRONG_PASSWORD})
    assert done["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200
    assert User.objects.get(email="anna@example.com").person == anna

    # the identity code (in any spelling) is nowhere: URLs, outbox rows, e-mails, logs.
    secrets = {HETU, HETU.lower(), HETU.replace("-", ""), anna.hetu_hash}
    row = OutboxEmail.objects.get()
    message = mail.outbox[0]
    places = {
        "urls": " ".join(seen_urls),
        "outbox row": f"{row.to} {row.context} {row.link_args} {row.link_builder} {row.template}",
        "e-mail": f"{message.subject} {message.body} {html_part(message)} {message.extra_headers}",
        "logs": caplog.text,
    }
    for place, text in places.items():
        for secret in secrets:
            assert secret not in text, place
