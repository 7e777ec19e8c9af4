"""Visiting a resident page as each person of the `household` fixture, and what each must see."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from accounts.models import User

PASSWORD = "Sal4sana!"

# Everyone of SPEC section 1 who may knock on a resident page.
WHO = [
    "main_tenant",
    "co_tenant",
    "family_member",
    "sublessee",
    "guardian",
    "future_tenant",
    "former_tenant",
    "stranger",
    "anonymous",
]


def login(client, person, *, email: str | None = None) -> User:
    user = User.objects.create_user(email or f"person{person.pk}@example.com", PASSWORD, person=person)
    client.force_login(user)
    return user


@dataclass(frozen=True)
class Sees:
    """What a visitor gets: the status and strings that must, or must not, be on the page.

    Strings may name the household's records, as "{agreement.number}"."""

    status: int = 200
    contains: tuple[str, ...] = ()
    lacks: tuple[str, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)


NOT_FOUND = Sees(404)
# The gate answers before any page: a future tenant sees only the start date (TEN-11): on the
# front page as their page, on any other as a refusal (403); a former tenant the refusal (ACC-10).
FUTURE_HOME = Sees(200, ("Your agreement starts on",), ("Your homes", "Show agreement", "Virtanen"))
FUTURE = Sees(403, FUTURE_HOME.contains, FUTURE_HOME.lacks)
REFUSED = Sees(403, ("contact customer service",), ("Virtanen",))
LOGIN = Sees(302)


def visit(client, household, who: str, path: str, *, method: str = "get", data: dict | None = None):
    path = path.format(**vars(household))
    if who != "anonymous":
        login(client, getattr(household, who))
    client.cookies["django_language"] = "en"
    return getattr(client, method)(path, data or {})


def check(response, household, expected: Sees) -> str:
    body = response.content.decode() if not getattr(response, "streaming", False) else ""
    assert response.status_code == expected.status, body[:2000]
    if expected is LOGIN:
        assert response["Location"].startswith("/accounts/login/?next=")
        return body
    for text in expected.contains:
        assert text.format(**vars(household)) in body
    for text in expected.lacks:
        assert text.format(**vars(household)) not in body
    for header, value in expected.headers.items():
        assert value in response[header]
    if response.status_code == 200:
        assert "no-store" in response["Cache-Control"], "personal pages are never stored (X-8)"
    return body


def spy_emails(monkeypatch) -> Callable[[str], list[dict]]:
    """Record each e-mail the tenancy services hand to the outbox, and pass it on.

    Returns a function giving the recorded e-mails of one template."""
    from tenancy import services

    sent: list[dict] = []
    enqueue = services.email_enqueue

    def record(**email: Any) -> object:
        sent.append(email)
        return enqueue(**email)

    monkeypatch.setattr(services, "email_enqueue", record)
    return lambda template: [email for email in sent if email["template"] == template]
