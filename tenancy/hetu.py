"""The Finnish personal identity code (henkilötunnus, HETU).

It is validated with python-stdnum and never stored in clear: a keyed hash (HMAC-SHA256) finds a
person, and a Fernet-encrypted copy lets authorised staff see it. Both keys come from settings,
which read them from the environment.

Both keys rotate without downtime (OPS-5). Each setting has a current key and fallbacks
(`HETU_HASH_KEY_FALLBACKS`, `HETU_ENCRYPTION_KEY_FALLBACKS`, like Django's `SECRET_KEY_FALLBACKS`):

- a stored value names the key that made it: `<key id>:<value>`, the key id being a short digest
  of the key (never the key). Values written before keys had ids have no prefix;
- new values are made with the current key; every configured key keeps reading, so a lookup
  tries the hash under each key (`lookup_hashes`) and decryption tries each key (`MultiFernet`);
- `manage.py rotate_hetu_keys` rewrites, in batches, every value not made with the current key.

Look a person up with `hetu_hash__in=lookup_hashes(code)` (or `hashes_of(encrypted)`), never
by comparing with `lookup_hash(code)` alone: during a rotation some rows carry an older key.
"""

import hashlib
import hmac
from datetime import date
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.fi import hetu as stdnum_hetu

HASH_LENGTH = 64  # the width of the hetu_hash columns
_SEPARATOR = ":"


def normalize(value: str) -> str:
    """Return the code in its standard form, or raise ValidationError."""
    try:
        # Temporary identity codes (individual number 900-999) are what test environments use,
        # Suomi.fi's test persons included; the register may hold them too.
        return stdnum_hetu.validate(value, allow_temporary=True)
    except StdnumValidationError:
        raise ValidationError(_("Enter a valid Finnish personal identity code."), code="invalid_hetu") from None


def is_valid(value: str) -> bool:
    try:
        normalize(value)
    except ValidationError:
        return False
    return True


@cache
def key_id(key: bytes) -> str:
    """Six hex digits that tell keys apart; they reveal nothing about the key."""
    return hashlib.sha256(b"heka-hetu-key-id:" + key).hexdigest()[:6]


def hash_keys() -> list[bytes]:
    return [settings.HETU_HASH_KEY, *getattr(settings, "HETU_HASH_KEY_FALLBACKS", [])]


def encryption_keys() -> list[bytes]:
    return [settings.HETU_ENCRYPTION_KEY, *getattr(settings, "HETU_ENCRYPTION_KEY_FALLBACKS", [])]


def _digest(key: bytes, code: str) -> str:
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def _versioned_hash(key: bytes, code: str) -> str:
    prefix = key_id(key) + _SEPARATOR
    return prefix + _digest(key, code)[: HASH_LENGTH - len(prefix)]


def lookup_hash(value: str) -> str:
    """The keyed hash to store for a code, made with the current key; the input must be valid."""
    return _versioned_hash(settings.HETU_HASH_KEY, normalize(value))


def lookup_hashes(value: str) -> list[str]:
    """Every hash the code may be stored under while keys rotate: one per configured key, and
    the unprefixed form of the values written before keys had ids."""
    code = normalize(value)
    hashes = []
    for key in hash_keys():
        hashes += [_versioned_hash(key, code), _digest(key, code)]
    return hashes


def hashes_of(encrypted: str, *, stored_hash: str = "") -> list[str]:
    """`lookup_hashes` of the code in an encrypted copy (an identity kept in the session), with the
    hash stored beside it; a copy no configured key opens any more leaves only that hash."""
    try:
        hashes = lookup_hashes(decrypt(encrypted))
    except (ValueError, ValidationError):
        hashes = []
    return list(dict.fromkeys(value for value in [stored_hash, *hashes] if value))


def is_current_hash(value: str | None) -> bool:
    return value is not None and value.startswith(key_id(settings.HETU_HASH_KEY) + _SEPARATOR)


def encrypt(value: str) -> str:
    key = settings.HETU_ENCRYPTION_KEY
    return key_id(key) + _SEPARATOR + Fernet(key).encrypt(normalize(value).encode()).decode()


def decrypt(token: str) -> str:
    """The code of an encrypted copy made with any configured key."""
    body = token.rpartition(_SEPARATOR)[2]
    try:
        return MultiFernet([Fernet(key) for key in encryption_keys()]).decrypt(body.encode()).decode()
    except (InvalidToken, ValueError):
        raise ValueError("The identity code cannot be decrypted with the configured keys.") from None


def is_current_encryption(token: str | None) -> bool:
    return token is not None and token.startswith(key_id(settings.HETU_ENCRYPTION_KEY) + _SEPARATOR)


_CENTURY = {"+": 1800, "-": 1900, "Y": 1900, "X": 1900, "W": 1900, "V": 1900, "U": 1900}


def birth_date(value: str) -> date:
    code = normalize(value)
    century = _CENTURY.get(code[6], 2000)
    return date(century + int(code[4:6]), int(code[2:4]), int(code[0:2]))
