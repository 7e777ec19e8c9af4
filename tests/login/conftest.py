import pytest
from django.core.cache import cache

from accounts.models import User

PASSWORD = "Vanha-Sala1"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth counts attempts in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client(client):
    """Pages in English, so that tests can read them."""
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def make_user(db):
    def make_user(person=None, *, email: str | None = None, language: str = "en", **extra) -> User:
        email = email or f"person{person.pk if person else 'x'}@example.com"
        return User.objects.create_user(email, PASSWORD, person=person, language=language, **extra)

    return make_user


@pytest.fixture
def resident(household, make_user) -> User:
    return make_user(household.main_tenant, email="maija.virtanen@example.com")


def log_in(client, email: str, password: str = PASSWORD, *, next: str = "", **extra):
    data = {"login": email, "password": password, **({"next": next} if next else {})}
    return client.post("/accounts/login/", data, **extra)
