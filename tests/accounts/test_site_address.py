"""E-mailed links open where the portal is served (ACC-3, ACC-7, ACC-13): with HEKA_SITE_URL unset
they follow the address and port of the request that caused the e-mail, also when a worker sends
it later; with HEKA_SITE_URL set they always use it; outside a request they use $PORT."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core import mail

from accounts.models import User
from heka_portal.http import site_url
from heka_portal.models import OutboxEmail
from tests.accounts.conftest import identify
from tests.factories.tenancy import AgreementPartyFactory, PersonFactory

PASSWORD = "Kes4kuu!ilta"


@pytest.fixture
def served_on_8001(client):
    """A client that reaches the portal at 127.0.0.1:8001, as `PORT=8001 bin/demo` serves it."""
    client.defaults["HTTP_HOST"] = "127.0.0.1:8001"
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def follows_request(settings):
    settings.HEKA_SITE_URL_FROM_REQUEST = True
    settings.HEKA_SITE_URL = "http://127.0.0.1:8000"
    return settings


@pytest.fixture
def tenant(db):
    person = PersonFactory(first_names="Maija", last_name="Virtanen")
    AgreementPartyFactory(person=person)
    return person


def _links(message) -> list[str]:
    return [word for word in message.body.split() if word.startswith("http")]


def _all_at(links: list[str], base: str) -> bool:
    return bool(links) and all(link == base or link.startswith(f"{base}/") for link in links)


def test_activation_link_follows_the_port_the_portal_is_served_on_ACC_3(
    served_on_8001, follows_request, tenant, django_capture_on_commit_callbacks
):
    identify(served_on_8001, tenant)
    with django_capture_on_commit_callbacks(execute=True):
        response = served_on_8001.post(
            "/accounts/register/details/", {"email": "maija@example.com", "password1": PASSWORD, "password2": PASSWORD}
        )
    assert response.status_code == 302
    links = _links(mail.outbox[-1])
    assert any("/accounts/activate/" in link for link in links)
    assert _all_at(links, "http://127.0.0.1:8001"), links
    assert OutboxEmail.objects.get().site_url == "http://127.0.0.1:8001"


def test_reset_link_follows_the_port_the_portal_is_served_on_ACC_7(
    served_on_8001, follows_request, tenant, django_capture_on_commit_callbacks
):
    User.objects.create_user("maija@example.com", PASSWORD, person=tenant)
    with django_capture_on_commit_callbacks(execute=True):
        served_on_8001.post("/accounts/password/reset/", {"email": "maija@example.com"})
    links = _links(mail.outbox[-1])
    assert any("/accounts/password/reset/key/" in link for link in links)
    assert _all_at(links, "http://127.0.0.1:8001"), links


def test_HEKA_SITE_URL_wins_over_the_address_served_on_ACC_7(
    served_on_8001, settings, tenant, django_capture_on_commit_callbacks
):
    settings.HEKA_SITE_URL_FROM_REQUEST = False
    settings.HEKA_SITE_URL = "https://asukas.heka.example"
    User.objects.create_user("maija@example.com", PASSWORD, person=tenant)
    with django_capture_on_commit_callbacks(execute=True):
        served_on_8001.post("/accounts/password/reset/", {"email": "maija@example.com"})
    links = _links(mail.outbox[-1])
    assert _all_at(links, "https://asukas.heka.example"), links


def test_outside_a_request_the_address_is_the_default_one(follows_request):
    assert site_url() == "http://127.0.0.1:8000"


def _settings_site_url(**environ: str) -> str:
    env = {key: value for key, value in os.environ.items() if key not in ("HEKA_SITE_URL", "PORT", "DATABASE_URL")}
    env.update(DJANGO_SETTINGS_MODULE="heka_portal.settings.local", **environ)
    code = "import django; django.setup(); from heka_portal.http import site_url; print(site_url())"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_bin_demo_port_reaches_the_settings_when_HEKA_SITE_URL_is_unset():
    """`PORT=8001 bin/demo` runs runserver on $PORT; links made outside a request use the same port."""
    assert _settings_site_url(PORT="8001") == "http://127.0.0.1:8001"
    assert _settings_site_url() == "http://127.0.0.1:8000"
    assert _settings_site_url(PORT="8001", HEKA_SITE_URL="https://asukas.heka.example/") == "https://asukas.heka.example"


def test_bin_demo_serves_on_PORT():
    script = (settings.BASE_DIR / "bin" / "demo").read_text()
    assert 'runserver "127.0.0.1:${PORT}"' in script
    assert 'export PORT="${PORT:-8000}"' in script
