"""Fixtures for the outbox: a link builder for tests, an e-mail factory, and a switchable broker."""

import contextlib
import os
from collections.abc import Iterator

import pytest

from heka_portal import outbox
from heka_portal.celery import app

UNREACHABLE_BROKER = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there


@pytest.fixture(autouse=True)
def _test_link_builder():
    @outbox.register_link_builder("tests_outbox_link")
    def build(args: dict, *, issued_at) -> str:
        if args.get("gone"):
            raise outbox.LinkUnavailable
        return f"https://portal.example/secret/{args['n']}/"

    yield
    outbox._link_builders.pop("tests_outbox_link", None)


def _reset_connections() -> None:
    # Celery keeps connection and producer pools for the broker URL it first used.
    vars(app)["_pool"] = None
    if "amqp" in vars(app):
        vars(app.amqp)["_producer_pool"] = None


@contextlib.contextmanager
def celery_broker(url: str, *, eager: bool) -> Iterator[None]:
    """Publish to `url` (or run tasks in-process when `eager`) for the duration of the block."""
    # Celery prefers the CELERY_BROKER_URL environment variable to its configuration.
    saved = os.environ.get("CELERY_BROKER_URL"), app.conf.broker_url, app.conf.task_always_eager
    os.environ["CELERY_BROKER_URL"] = url
    app.conf.update(broker_url=url, task_always_eager=eager)
    _reset_connections()
    try:
        yield
    finally:
        environ, broker_url, always_eager = saved
        app.conf.update(broker_url=broker_url, task_always_eager=always_eager)
        if environ is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = environ
        _reset_connections()


def enqueue(n: int = 1, **overrides) -> outbox.OutboxEmail:
    arguments = {
        "to": f"resident{n}@example.com",
        "template": "accounts_password_reset",
        "context": {"first_names": "Maija", "email": f"resident{n}@example.com", "valid_hours": 24},
        "language": "sv",
        "idempotency_key": f"tests:{n}",
        "link_builder": "tests_outbox_link",
        "link_args": {"n": n},
    }
    return outbox.email_enqueue(**{**arguments, **overrides})
