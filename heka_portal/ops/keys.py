"""Rewriting identity codes under the current keys (OPS-5), for `manage.py rotate_hetu_keys`.

Every person whose hash or encrypted copy was made with an older key gets both remade with the
current keys; then every applicant's hash is copied from their person. The work goes in batches
of one short transaction each, with the rows locked, so the portal keeps running meanwhile.
Progress is in the data itself: a value names the key that made it (`tenancy.hetu`), so a run
that is stopped, crashes or is started again simply goes on with the rows that are still old.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from applications.models import Applicant
from tenancy import hetu
from tenancy.access_cache import register_changed
from tenancy.models import Person

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


@dataclass
class RotationProgress:
    persons: int = 0
    applicants: int = 0
    unreadable: int = 0


def _current_prefixes() -> tuple[str, str]:
    return hetu.key_id(hetu.hash_keys()[0]) + ":", hetu.key_id(hetu.encryption_keys()[0]) + ":"


def persons_to_rotate() -> QuerySet[Person]:
    hash_prefix, encryption_prefix = _current_prefixes()
    old_hash = Q(hetu_hash__isnull=False) & ~Q(hetu_hash__startswith=hash_prefix)
    old_copy = ~Q(hetu_encrypted="") & ~Q(hetu_encrypted__startswith=encryption_prefix)
    return Person.objects.filter(old_hash | old_copy)


def applicants_to_rotate() -> QuerySet[Applicant]:
    hash_prefix, _ = _current_prefixes()
    person_hash_differs = Person.objects.filter(pk=OuterRef("person_id"), hetu_hash__startswith=hash_prefix).exclude(
        hetu_hash=OuterRef("hetu_hash")
    )
    return Applicant.objects.filter(hetu_hash__isnull=False, person__isnull=False).filter(Exists(person_hash_differs))


def _rotate_persons(pks: list[int], progress: RotationProgress) -> None:
    changed = []
    for person in Person.objects.select_for_update().filter(pk__in=pks).only("pk", "hetu_hash", "hetu_encrypted"):
        if not person.hetu_encrypted:
            # A hash without its copy cannot be remade; it keeps reading while its key is configured.
            progress.unreadable += 1
            continue
        try:
            code = hetu.decrypt(person.hetu_encrypted)
        except ValueError:
            progress.unreadable += 1
            continue
        person.hetu_hash, person.hetu_encrypted = hetu.lookup_hash(code), hetu.encrypt(code)
        changed.append(person)
    Person.objects.bulk_update(changed, ["hetu_hash", "hetu_encrypted"])
    register_changed()  # PRF-1: kept access decisions hold persons; bulk_update sends no signal
    progress.persons += len(changed)


def rotate_hetu_keys(
    *, batch_size: int = BATCH_SIZE, max_batches: int | None = None, on_batch: Callable[[RotationProgress], None] | None = None
) -> RotationProgress:
    progress = RotationProgress()
    batches, last = 0, 0
    while max_batches is None or batches < max_batches:
        pks = list(persons_to_rotate().filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not pks:
            break
        last = pks[-1]
        with transaction.atomic():
            _rotate_persons(pks, progress)
        batches += 1
        if on_batch:
            on_batch(progress)
    while max_batches is None or batches < max_batches:
        pks = list(applicants_to_rotate().order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not pks:
            break
        with transaction.atomic():
            applicants = list(Applicant.objects.select_for_update(of=("self",)).filter(pk__in=pks).select_related("person"))
            for applicant in applicants:
                if applicant.person is not None:  # unlinked since it was chosen
                    applicant.hetu_hash = applicant.person.hetu_hash
            Applicant.objects.bulk_update(applicants, ["hetu_hash"])
        progress.applicants += len(applicants)
        batches += 1
        if on_batch:
            on_batch(progress)
    logger.info(
        "Identity-code keys: %s person(s) and %s applicant(s) rewritten, %s unreadable",
        progress.persons,
        progress.applicants,
        progress.unreadable,
    )
    return progress


def rows_left() -> dict[str, int]:
    """Rows whose values an older key made: its key must stay configured until these are 0."""
    hash_prefix, _ = _current_prefixes()
    old_applicants = Applicant.objects.filter(hetu_hash__isnull=False).exclude(hetu_hash__startswith=hash_prefix)
    return {"persons": persons_to_rotate().count(), "applicants": old_applicants.count()}
