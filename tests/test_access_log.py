"""X-6, X-7: the production access log (gunicorn) keeps no live token and no query string."""

import datetime
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from heka_portal.gunicorn_logging import RedactingLogger, redact_path

TOKEN = "WzEsImFiYyJd:1tXyZq:Sg3cR3t-T0k3n"


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        (f"/accounts/activate/{TOKEN}/", "/accounts/activate/[token]/"),
        ("/accounts/activate/new/", "/accounts/activate/new/"),
        ("/accounts/activate/confirm/", "/accounts/activate/confirm/"),
        (f"/accounts/password/reset/key/1a-{TOKEN}/", "/accounts/password/reset/key/[token]/"),
        (f"/applications/link/{TOKEN}/identify/", "/applications/link/[token]/identify/"),
        ("/applications/link/confirm/", "/applications/link/confirm/"),
        (f"/applications/username/{TOKEN}/", "/applications/username/[token]/"),
        ("/applications/username/sent/", "/applications/username/sent/"),
        ("/requests/defects/12/", "/requests/defects/12/"),
    ],
)
def test_tokens_in_link_paths_are_redacted_X_6(path, logged):
    assert redact_path(path) == logged


def test_access_log_line_has_no_token_or_query_string_X_6_X_7():
    logger = RedactingLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/applications/link/{TOKEN}/?q=010280-952L",
        "PATH_INFO": f"/applications/link/{TOKEN}/",
        "QUERY_STRING": "q=010280-952L",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.1",
        "HTTP_REFERER": f"https://portal.example/accounts/activate/{TOKEN}/?x=1",
    }
    response = SimpleNamespace(status="200 OK", headers=[], sent=10)
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])

    atoms = logger.atoms(response, request, environ, datetime.timedelta(seconds=1))
    line = logger.cfg.access_log_format % logger.atoms_wrapper_class(atoms)

    assert TOKEN not in line
    assert "010280-952L" not in line
    assert "GET /applications/link/[token]/ HTTP/1.1" in line
    assert "https://portal.example/accounts/activate/[token]/" in line


def test_production_image_uses_the_redacting_logger_X_6():
    from pathlib import Path

    from heka_portal import gunicorn_conf

    dockerfile = (Path(__file__).resolve().parent.parent / "Dockerfile").read_text()
    assert '"-c", "python:heka_portal.gunicorn_conf"' in dockerfile
    assert gunicorn_conf.logger_class == "heka_portal.gunicorn_logging.RedactingLogger"
    assert gunicorn_conf.accesslog == "-"


def test_django_request_log_redacts_link_tokens_X_6(client, db, caplog):
    """Django's own "Not Found" and CSRF records name the path: the token must not reach the log."""
    import logging

    from heka_portal.gunicorn_logging import RedactTokensFilter

    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "%s: %s", ("Not Found", f"/applications/link/{TOKEN}/x/"), None
    )
    RedactTokensFilter().filter(record)
    assert TOKEN not in record.getMessage()
    assert "/applications/link/[token]/x/" in record.getMessage()
    assert redact_path(f"/saml/acs/finish/{TOKEN}/") == "/saml/acs/finish/[token]/"
