"""The storage limitation of GDPR (OPS-8): a former resident's data goes when it is no longer needed.

`retention_apply` runs every night (beat, `retention.tasks`) and from `manage.py apply_retention`.
For every person `selectors.persons_due` names, in batches of one transaction each:

- deleted: their requests to Heka with the timelines and photos (the files too), drafts,
  bulletin read marks, notices of moving in or out, ended guardianships, login accounts (with
  their e-mail addresses and second factors), office identifications, the e-mails sent to them;
- anonymised: the register's person (names, identity code, contact details, bank account, ERP id,
  birth date), their applicant rows on old housing applications, the free text of their booking
  requests and termination notices;
- kept as they are: the rental agreements with their parties and occupants, invoices and
  payments, reservations and the termination notices themselves. These are accounting records
  and contracts, kept for their statutory period (Accounting Act, kirjanpitolaki 2:10: six years
  after the end of the financial year for vouchers, ten for the books); once the person is
  anonymised they no longer tell whom they concerned. The staff access log (X-7) is kept too: it
  holds no personal data of its own, only that someone saw the person's data and when.

A dry run does all of it inside transactions that are rolled back, so its counts are exactly
what a real run would remove. Every run, dry or not, leaves a `RetentionRun` with the counts per
kind of data and no trace of whom they concerned. Sent e-mails older than
`HEKA_OUTBOX_RETENTION_DAYS` are deleted in the same run.
"""

import logging
from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.db.models.deletion import Collector
from django.utils import timezone

from accounts.models import OfficeIdentification, User
from applications.models import Applicant, CoApplicantLink
from bookings.models import CalendarFeed, Reservation
from heka_portal.models import OutboxEmail
from notifications.models import EmailPreference, Notification
from servicerequests.models import DefectPhoto, Draft, ResidentRequest
from tenancy.access_cache import register_changed
from tenancy.models import BulletinRead, Guardianship, OccupantChangeNotice, Person, TerminationNotice

from .models import AnonymisedPerson, RetentionRun
from .selectors import persons_due

logger = logging.getLogger(__name__)

# What happens to each kind of record that points at a person or an account. A model added later
# with such a link must be placed here (tests/ops/test_retention_OPS_8.py fails until it is).
DELETED, ANONYMISED, KEPT, STAFF = "deleted", "anonymised", "kept", "staff accounts only"
PLAN = {
    "accounts.User": DELETED,
    "accounts.Registration": DELETED,
    "account.EmailAddress": DELETED,
    "mfa.Authenticator": DELETED,
    "accounts.OfficeIdentification": DELETED,
    "servicerequests.ResidentRequest": DELETED,
    "servicerequests.Defect": DELETED,
    "servicerequests.Message": DELETED,
    "servicerequests.ServiceRequest": DELETED,
    "servicerequests.TimelineEntry": DELETED,
    "servicerequests.Draft": DELETED,
    # The key of the person's calendar link (NTF-9): gone with the person, so no old link answers.
    "bookings.CalendarFeed": DELETED,
    "notifications.Notification": DELETED,
    "notifications.EmailPreference": DELETED,
    "tenancy.BulletinRead": DELETED,
    "tenancy.OccupantChangeNotice": DELETED,
    "tenancy.Guardianship": DELETED,
    "tenancy.Person": ANONYMISED,
    "applications.Applicant": ANONYMISED,
    "tenancy.TerminationNotice": ANONYMISED,
    "bookings.Reservation": ANONYMISED,
    # Its person (`open_tenant`) is set only while the reservation is open, which keeps a person out of the run.
    "bookings.ReservationItem": KEPT,
    "tenancy.RentalAgreement": KEPT,
    # A building's or an agreement's file, kept with them; it names only the staff member who uploaded it.
    "documents.Document": KEPT,
    "tenancy.AgreementParty": KEPT,
    "tenancy.Occupancy": KEPT,
    "tenancy.PersonalDataAccess": KEPT,
    "retention.AnonymisedPerson": KEPT,
    "admin.LogEntry": STAFF,
    "bookings.AllocationRun": STAFF,
    # Who uploaded and confirmed a register import (STF-5); the file itself is emptied when it ends.
    "tenancy.RegisterImport": STAFF,
}

ANONYMISED_NAME = "—"
ANONYMISED_BIRTH_DATE = date(1900, 1, 1)
BATCH_SIZE = 200


def retention_cutoff(today: date) -> date:
    """Tenancies that ended before this day are old enough (`HEKA_RETENTION_AFTER_TENANCY_DAYS`)."""
    return today - timedelta(days=settings.HEKA_RETENTION_AFTER_TENANCY_DAYS)


def _delete(counts: Counter, queryset: QuerySet) -> None:
    _total, per_model = queryset.delete()
    counts.update({label: number for label, number in per_model.items() if number})


def _anonymise(counts: Counter, queryset: QuerySet, **values: Any) -> None:
    changed = queryset.update(**values)
    if changed:
        counts[f"{queryset.model._meta.label} (anonymised)"] += changed


def _request_kinds() -> list[type[Model]]:
    """The kinds of request (multi-table children of ResidentRequest)."""
    return [
        relation.related_model
        for relation in ResidentRequest._meta.related_objects
        if relation.one_to_one and relation.remote_field.remote_field.parent_link
    ]


def _delete_files_after_commit(names: Iterable[str]) -> None:
    names = [name for name in names if name]
    if names:

        def delete_files() -> None:
            for name in names:
                default_storage.delete(name)

        transaction.on_commit(delete_files)


def _remove_person_data(pks: list[int], run: RetentionRun, counts: Counter) -> None:
    register_changed()  # PRF-1: persons are anonymised in bulk, which sends no signal
    mine = Q(submitted_by__in=pks) | Q(on_behalf_of__in=pks)
    addresses = set(Person.objects.filter(pk__in=pks).exclude(email="").values_list("email", flat=True))
    addresses |= set(User.objects.filter(person__in=pks).values_list("email", flat=True))

    requests = ResidentRequest.objects.filter(mine)
    _delete_files_after_commit(DefectPhoto.objects.filter(defect__in=requests).values_list("image", flat=True))
    # Defects, messages and service requests first, leaving their base rows for the next delete:
    # Django would otherwise load each base row on its own (one query per request).
    for kind in _request_kinds():
        collector = Collector(using=kind._default_manager.db)
        collector.collect(kind._default_manager.filter(mine), keep_parents=True)
        counts.update({label: number for label, number in collector.delete()[1].items() if number})
    _delete(counts, requests)
    _delete(counts, Draft.objects.filter(person__in=pks))
    _delete(counts, CalendarFeed.objects.filter(person__in=pks))
    _delete(counts, Notification.objects.filter(recipient__in=pks))
    _delete(counts, EmailPreference.objects.filter(person__in=pks))
    _delete(counts, BulletinRead.objects.filter(person__in=pks))
    _delete(counts, OccupantChangeNotice.objects.filter(mine))
    _delete(counts, Guardianship.objects.filter(Q(guardian__in=pks) | Q(ward__in=pks)))
    _delete(counts, User.objects.filter(person__in=pks, is_staff=False))
    # STF-7: one record, whether it served registration or an application.
    _delete(counts, OfficeIdentification.objects.filter(Q(person__in=pks) | Q(applicant__person__in=pks)))
    _delete(counts, CoApplicantLink.objects.filter(applicant__person__in=pks))
    _delete(counts, OutboxEmail.objects.filter(to__in=addresses).exclude(status=OutboxEmail.Status.PENDING))

    _anonymise(
        counts,
        Applicant.objects.filter(person__in=pks),
        first_names="",
        last_name=ANONYMISED_NAME,
        birth_date=ANONYMISED_BIRTH_DATE,
        email="",
        hetu_hash=None,
    )
    _anonymise(counts, TerminationNotice.objects.filter(mine), forwarding_address="", message="")
    _anonymise(
        counts,
        Reservation.objects.filter(Q(requested_by__in=pks) | Q(tenant__in=pks)),
        message="",
        electric_car=False,
        disability_permit=False,
    )
    _anonymise(
        counts,
        Person.objects.filter(pk__in=pks),
        first_names="",
        last_name=ANONYMISED_NAME,
        birth_date=ANONYMISED_BIRTH_DATE,
        hetu_hash=None,
        hetu_encrypted="",
        email="",
        phone="",
        street_address="",
        postal_code="",
        city="",
        iban="",
        external_id=None,
    )
    AnonymisedPerson.objects.bulk_create([AnonymisedPerson(person_id=pk, run=run) for pk in pks])


def _remove_old_emails(counts: Counter) -> None:
    before = timezone.now() - timedelta(days=settings.HEKA_OUTBOX_RETENTION_DAYS)
    _delete(counts, OutboxEmail.objects.exclude(status=OutboxEmail.Status.PENDING).filter(created_at__lt=before))


def retention_apply(*, dry_run: bool = False, today: date | None = None, batch_size: int = BATCH_SIZE) -> RetentionRun:
    """Remove (or, in a dry run, count) the data that is no longer kept; returns the run's record."""
    cutoff = retention_cutoff(today or timezone.localdate())
    run = RetentionRun.objects.create(dry_run=dry_run, tenancy_ended_before=cutoff)
    counts: Counter = Counter()
    persons, last = 0, 0
    while True:
        candidates = list(persons_due(cutoff=cutoff).filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not candidates:
            break
        last = candidates[-1]
        with transaction.atomic():
            # Locked, then asked again: a change committed meanwhile (a new agreement) is seen.
            list(Person.objects.select_for_update().filter(pk__in=candidates).values_list("pk", flat=True))
            pks = list(persons_due(cutoff=cutoff).filter(pk__in=candidates).values_list("pk", flat=True))
            if pks:
                _remove_person_data(pks, run, counts)
                persons += len(pks)
            transaction.set_rollback(dry_run)
    with transaction.atomic():
        _remove_old_emails(counts)
        transaction.set_rollback(dry_run)
    run.persons, run.counts, run.finished_at = persons, dict(sorted(counts.items())), timezone.now()
    run.save(update_fields=["persons", "counts", "finished_at"])
    logger.info("Retention run %s%s: %s person(s) anonymised; %s", run.pk, " (dry run)" if dry_run else "", persons, run.counts)
    return run
