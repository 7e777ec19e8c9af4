"""The Finnish personal identity code (henkilötunnus, HETU).

It is validated with python-stdnum and never stored in clear: a keyed hash (HMAC-SHA256) finds a
person, and a Fernet-encrypted copy lets authorised staff see it. Both keys come from settings,
which read them from the environment.
"""

import hashlib
import hmac
from datetime import date

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.fi import hetu as stdnum_hetu


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


def lookup_hash(value: str) -> str:
    """The keyed hash under which a person is found; the input must be valid."""
    code = normalize(value)
    return hmac.new(settings.HETU_HASH_KEY, code.encode(), hashlib.sha256).hexdigest()


def encrypt(value: str) -> str:
    return Fernet(settings.HETU_ENCRYPTION_KEY).encrypt(normalize(value).encode()).decode()


def decrypt(token: str) -> str:
    try:
        return Fernet(settings.HETU_ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValueError("The identity code cannot be decrypted with the configured key.") from None


_CENTURY = {"+": 1800, "-": 1900, "Y": 1900, "X": 1900, "W": 1900, "V": 1900, "U": 1900}


def birth_date(value: str) -> date:
    code = normalize(value)
    century = _CENTURY.get(code[6], 2000)
    return date(century + int(code[4:6]), int(code[2:4]), int(code[0:2]))
