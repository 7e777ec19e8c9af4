"""Gunicorn's access log without the secrets that e-mailed links carry (X-6, X-7).

Activation, password-reset and application links, and the calendar feed's address (NTF-9), hold a
live token in their path, and query strings may hold anything a form sent by GET. The log keeps the
method, the path with each token replaced by "[token]" and the status; never the query string. The
Referer is redacted the same way, since a page opened from such a link names it when the browser
asks for the next one.

Enabled with `gunicorn --logger-class heka_portal.gunicorn_logging.RedactingLogger` (Dockerfile).
"""

import re
from urllib.parse import urlsplit, urlunsplit

from gunicorn.glogging import Logger

# The token is the path segment after these prefixes; the fixed pages beside them are kept.
_TOKEN_IN_PATH = re.compile(
    r"(/accounts/activate/|/accounts/password/reset/key/|/applications/link/|/applications/username/|/saml/acs/finish/"
    r"|/bookings/calendar/)"
    r"(?!(?:new|confirm|sent)/)[^/?#]+"
)


def redact_path(path: str) -> str:
    return _TOKEN_IN_PATH.sub(r"\1[token]", path or "")


def redact_url(url: str) -> str:
    if not url or url == "-":
        return url
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, redact_path(parts.path), "", ""))


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = redact_path(environ.get("PATH_INFO", ""))
        atoms["r"] = f"{environ.get('REQUEST_METHOD', '-')} {path} {environ.get('SERVER_PROTOCOL', '-')}"
        atoms["U"] = path
        atoms["q"] = ""
        atoms["f"] = redact_url(atoms.get("f", "-"))
        atoms["{referer}i"] = atoms["f"]
        return atoms


class RedactTokensFilter:
    """For Django's own log records ("Not Found: <path>", CSRF failures): the same redaction."""

    def filter(self, record) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact_path(arg) if isinstance(arg, str) else arg for arg in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact_path(record.msg)
        return True
