"""Readiness checks for the tests of a pluggable HEKA_READINESS_CHECKS (OPS-1)."""

from django.db import OperationalError


def failing() -> dict:
    raise OperationalError('connection to server at "db.internal" (10.0.0.5), user "heka", password "hunter2" failed')


def degraded() -> dict:
    return {"status": "warning", "detail": "slow"}
