"""Secrets and personal data that must never leave the process in a log record or an error
report (X-6, X-7, OPS-2, OPS-3): identity codes, bank accounts, link tokens and credentials.

`redact` works on finished text, so it also covers tracebacks, exception messages and values
that reached a record through its arguments.
"""

import re

from heka_portal.gunicorn_logging import redact_path

# DDMMYY, the century sign, the individual number and the check character.
_HETU = re.compile(r"(?<![0-9A-Za-z])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?![0-9A-Za-z])", re.IGNORECASE)
# A candidate IBAN, with or without the groups of four; only one whose check digits hold is redacted.
# (An RF creditor reference has the same check digits, and is no account: it is left alone.)
_IBAN = re.compile(r"(?<![0-9A-Za-z])(?!RF)[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![0-9A-Za-z])", re.IGNORECASE)
# `password=...`, `"token": "..."`, `Cookie: ...`: the value after a credential's name.
_CREDENTIAL = re.compile(
    r"""(?P<name>\b(?:password\d?|passwd|secret|token|api[_-]?key|authorization|cookie|sessionid|csrftoken|dsn)\b)"""
    r"""(?P<sep>["']?\s*[:=]\s*["']?)(?P<value>[^\s"'&,;]+)""",
    re.IGNORECASE,
)


def _is_iban(candidate: str) -> bool:
    compact = candidate.replace(" ", "").upper()
    digits = "".join(str(int(char, 36)) for char in compact[4:] + compact[:4])
    return int(digits) % 97 == 1


def _iban(match: re.Match) -> str:
    # The pattern may run on into the words after the account ("... 85 and more"): the longest
    # start of it that ends between groups and whose check digits hold is the account.
    text = match.group(0)
    for end in range(len(text), 14, -1):
        if (end == len(text) or text[end] == " ") and _is_iban(text[:end]):
            return "[iban]" + text[end:]
    return text


def redact(text: str) -> str:
    """`text` without identity codes, bank accounts, link tokens or credential values."""
    if not text:
        return text
    text = _HETU.sub("[hetu]", text)
    text = _IBAN.sub(_iban, text)
    text = _CREDENTIAL.sub(lambda match: f"{match['name']}{match['sep']}[redacted]", text)
    return redact_path(text)
