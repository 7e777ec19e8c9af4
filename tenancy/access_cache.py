"""The access decision kept between requests (PRF-1), without ever outliving the register it read.

`access_for` costs four queries and a few milliseconds on every resident page. It depends only on
the register rows of the person and their wards and on the day, so it is kept in the cache under
the person and the local date (Europe/Helsinki), together with the register version it was read
at. The version is one token for the whole register: any save or delete of a register model
(connected in `tenancy.apps`), and every bulk write that sends no signal (the import, storage
limitation, key rotation), replaces it at once and again when the transaction commits
(`register_changed`). So:

- an agreement ended in the admin, a tenancy ended by the import or a guardianship removed takes
  effect at the person's next request (ACC-10);
- the day turning at midnight changes the key, so an agreement that ended yesterday no longer
  counts today;
- the version is read before the register, so a decision read from rows that a commit is
  replacing is kept under a version that the commit replaces, and never used after it.

A cache that cannot be reached never lets anyone in: the decision is then read from the register
on every request, as without this module. The kept copy also expires after
`HEKA_ACCESS_CACHE_SECONDS`, a bound on what a lost version change could leave behind.
"""

import logging
import uuid
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from . import access as rules
from .access import Access
from .models import Person

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)


def _namespace() -> str:
    # One cache may serve several databases (test runs side by side, a staging copy).
    return f"heka:access:{connection.settings_dict['NAME']}"


def _version_key() -> str:
    return f"{_namespace()}:register-version"


def _seconds_to_keep(now: datetime) -> int:
    local = timezone.localtime(now)
    midnight = timezone.make_aware(datetime.combine(local.date() + timedelta(days=1), time.min), local.tzinfo)
    return max(1, min(settings.HEKA_ACCESS_CACHE_SECONDS, int((midnight - local).total_seconds())))


def _bump_register_version() -> None:
    try:
        cache.set(_version_key(), uuid.uuid4().hex, timeout=None)
    except Exception:  # the cache is down: nothing is read from it either (see module docstring)
        logger.warning("The register version could not be changed in the cache.", exc_info=True)


def register_changed() -> None:
    """Every kept access decision stops counting, now and again once the current transaction
    commits: a request that read the old rows in between kept its decision under a version that
    the commit replaces."""
    if transaction.get_connection().in_atomic_block:
        _bump_register_version()
    transaction.on_commit(_bump_register_version)


def register_row_written(**kwargs: object) -> None:
    """post_save and post_delete of every register model (connected in `tenancy.apps`)."""
    register_changed()


def _register_version() -> str | None:
    key = _version_key()
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        version = cache.get(key)
    return version


def _person_of(user: "User") -> Person:
    if user.person is None:
        raise ValueError("Only a user linked to a person has an access decision.")
    return user.person


def access_of_user(user: "User") -> Access:
    """`access_for(user.person)` today, from the cache when the register has not changed since.

    On a kept decision the user's person is taken from it, which saves its query too."""
    day = rules.today()
    key = f"{_namespace()}:{user.person_id}:{day.isoformat()}"
    try:
        kept: Any = cache.get_many([_version_key(), key])
        version = kept.get(_version_key()) or _register_version()
        entry = kept.get(key)
    except Exception:
        logger.warning("The access cache could not be read; access is read from the register.", exc_info=True)
        return rules.access_for(_person_of(user), on=day)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == version and isinstance(entry[1], Access):
        access: Access = entry[1]
        if access.person.pk == user.person_id:
            user.person = access.person
            return access
    access = rules.access_for(_person_of(user), on=day)
    if version is None:
        return access
    try:
        cache.set(key, (version, access), timeout=_seconds_to_keep(timezone.now()))
    except Exception:
        logger.warning("The access decision could not be kept in the cache.", exc_info=True)
    return access
