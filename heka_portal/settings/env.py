"""Strict readers for settings that come from the environment.

A value that cannot be read stops start-up with a message naming the variable, so that a typo
in a deployment is found at once and not in the middle of a resident's request.
"""

import base64
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_MISSING = object()
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str, default: object) -> str | object:
    value = os.environ.get(name)
    if value is None:
        if default is _MISSING:
            raise ImproperlyConfigured(f"The environment variable {name} must be set.")
        return default
    return value


def env_str(name: str, default: object = _MISSING) -> str:
    return _raw(name, default)  # type: ignore[return-value]


def env_bool(name: str, default: bool | object = _MISSING) -> bool:
    value = _raw(name, default)
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no or on/off, not {value!r}.")


def env_int(name: str, default: int | object = _MISSING, *, minimum: int | None = None) -> int:
    value = _raw(name, default)
    try:
        number = value if isinstance(value, int) else int(str(value))
    except (TypeError, ValueError):
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_list(name: str, default: list[str] | object = _MISSING) -> list[str]:
    value = _raw(name, default)
    if isinstance(value, list):
        return value
    return [item.strip() for item in str(value).split(",") if item.strip()]


def env_key(name: str, default: bytes | object = _MISSING) -> bytes:
    """A 32-byte secret given as url-safe base64 (as `Fernet.generate_key()` prints it)."""
    value = _raw(name, default)
    if isinstance(value, bytes):
        return value
    return _checked_key(name, str(value))


def _checked_key(name: str, value: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(value.encode())
    except (ValueError, TypeError):
        raise ImproperlyConfigured(f"{name} must be url-safe base64.") from None
    if len(key) != 32:
        raise ImproperlyConfigured(f"{name} must decode to 32 bytes, not {len(key)}.")
    return value.encode()


def env_key_list(name: str, default: list[bytes] | object = _MISSING) -> list[bytes]:
    """Comma-separated keys, each read as `env_key` reads one (older keys that still read, OPS-5)."""
    value = _raw(name, default)
    if isinstance(value, list):
        return value
    return [_checked_key(name, item.strip()) for item in str(value).split(",") if item.strip()]


def env_path(name: str, default: Path | object = _MISSING) -> Path:
    value = _raw(name, default)
    return Path(value)  # type: ignore[arg-type]


def env_iban(name: str, default: str | object = _MISSING) -> str:
    """A Finnish IBAN with right check digits (ISO 7064 MOD 97-10), as written with its spaces: the
    account residents pay to, which the virtual bar code carries (PAY-2)."""
    value = str(_raw(name, default))
    compact = "".join(value.split()).upper()
    digits = "".join(str(int(char, 36)) for char in compact[4:] + compact[:4]) if compact.isalnum() else ""
    if len(compact) != 18 or not compact.startswith("FI") or not digits or int(digits) % 97 != 1:
        raise ImproperlyConfigured(f"{name} must be a Finnish IBAN with right check digits, not {value!r}.")
    return value
