"""The people of seed 003 and helpers that walk the application pages as a browser would.

Anna Maria Aaltonen (010280-9662) applies, Kalle Johannes Korhonen (010469-957J) is her adult
co-applicant, and Liisa Mäkinen (010675-964X) is somebody else; all three are test persons of the
development identity provider, so identification runs through the real SAML views.
"""

from datetime import date
from types import SimpleNamespace
from urllib.parse import urlsplit

from django.core import mail
from django.utils import timezone
from lxml import html

LOA2 = "http://ftn.ficora.fi/2017/loa2"
ANNA = SimpleNamespace(key="010280-9662", first_names="Anna", last_name="Aaltonen", birth_date=date(1980, 2, 1))
KALLE = SimpleNamespace(key="010469-957J", first_names="Kalle", last_name="Korhonen", birth_date=date(1969, 4, 1))
LIISA = SimpleNamespace(key="010675-964X", first_names="Liisa", last_name="Mäkinen", birth_date=date(1975, 6, 1))


def follow(client, url: str):
    parts = urlsplit(url)
    return client.get(f"{parts.path}?{parts.query}" if parts.query else parts.path)


def walk_identity_provider(client, started, person_key: str):
    """From the portal's redirect to the IdP, identify as `person_key` and come back; returns the
    redirect to the page the portal asked to return to."""
    assert started.status_code == 302, started.content
    assert urlsplit(started["Location"]).path == "/dev-idp/sso/"
    follow(client, started["Location"])
    answer = client.post("/dev-idp/login/", {"person": person_key, "loa": LOA2})
    assert answer.status_code == 200
    form = html.fromstring(answer.content).get_element_by_id("saml-autopost")
    acs = client.post(urlsplit(form.action).path, {field.name: field.value for field in form.inputs if field.name})
    assert acs.status_code == 303
    response = client.get(acs["Location"])
    while response.status_code == 302 and urlsplit(response["Location"]).path.startswith(("/dev-idp/", "/saml/")):
        response = follow(client, response["Location"])
    return response


def accept_cookies(client, next_url: str = "/applications/confirm/"):
    return client.post("/applications/confirm/cookies/", {"choice": "accept", "next_url": next_url})


def kalle_with_email(email="kalle@example.com"):
    return (KALLE.first_names, KALLE.last_name, KALLE.birth_date, email)


def child(years=10):
    today = timezone.localdate()
    return ("Eeli", "Aaltonen", today.replace(year=today.year - years), "")


def link_from_mail(to: str) -> str:
    message = next(message for message in reversed(mail.outbox) if message.to == [to])
    return next(word for word in message.body.split() if word.startswith("http://testserver/applications/link/"))


def confirm_as_main(client, person=ANNA):
    """The applicant's whole path after submitting: cookies, identification, terms, choose, confirm."""
    accept_cookies(client)
    returned = walk_identity_provider(client, client.post("/applications/confirm/identify/"), person.key)
    assert returned["Location"] == "/applications/confirm/terms/"
    client.post("/applications/confirm/terms/")
    page = client.get("/applications/confirm/choose/")
    choices = [field.get("value") for field in html.fromstring(page.content).xpath("//input[@name='applicants']")]
    return client.post("/applications/confirm/choose/", {"applicants": choices})


def confirm_as_co_applicant(client, link: str, person=KALLE):
    path = urlsplit(link).path
    accept_cookies(client, path)
    returned = walk_identity_provider(client, client.post(f"{path}identify/"), person.key)
    assert returned["Location"] == "/applications/confirm/terms/"
    terms = client.get("/applications/confirm/terms/")
    if terms.status_code != 200:
        return terms
    client.post("/applications/confirm/terms/")
    return client.post("/applications/link/confirm/")
