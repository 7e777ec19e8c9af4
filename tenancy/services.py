"""Writes a resident or staff member makes to their tenancy data. Views and the admin call these."""

import uuid
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation

from heka_portal.http import site_url
from heka_portal.outbox import email_enqueue
from notifications.kinds import Kind as NotificationKind
from notifications.references import reference_for
from notifications.services import About, notify
from notifications.terminations import termination_confirmation_send

from .dates import termination_end_date
from .models import (
    Bulletin,
    BulletinRead,
    OccupantChangeNotice,
    Person,
    PersonalDataAccess,
    RentalAgreement,
    TerminationNotice,
)
from .validators import mask_iban, normalize_iban

if TYPE_CHECKING:
    from accounts.models import User

# Customer service reads its notices in Finnish, the register's language.
CUSTOMER_SERVICE_LANGUAGE = "fi"


def _day(day: date, language: str) -> str:
    """A date the way the reader of the e-mail writes dates; e-mail contexts carry plain strings."""
    with translation.override(language):
        return formats.date_format(day, "SHORT_DATE_FORMAT")


@transaction.atomic
def person_update_contact(*, person: Person, phone: str, street_address: str, postal_code: str, city: str) -> Person:
    """Update the person's own phone and postal address (TEN-2)."""
    person.phone = phone.strip()
    person.street_address = street_address.strip()
    person.postal_code = postal_code.strip()
    person.city = city.strip()
    person.save(update_fields=["phone", "street_address", "postal_code", "city"])
    return person


@transaction.atomic
def person_change_bank_account(*, person: Person, iban: str, notify_email: str) -> Person:
    """Store a new bank account number and tell the account's e-mail address about it (TEN-2).

    The caller has checked the password again. The e-mail shows only the masked number, so that a
    stolen session cannot learn the account from the mailbox either.
    """
    compact = normalize_iban(iban)
    if compact == person.iban:
        return person
    person.iban = compact
    person.save(update_fields=["iban"])
    notify(
        recipient=person,
        kind=NotificationKind.BANK_ACCOUNT_CHANGED,
        about=About(url_name="contact_information"),
        params={"masked_iban": mask_iban(compact), "changed_on": timezone.localdate().isoformat()},
        key=f"tenancy-bank-account-changed-{person.pk}-{uuid.uuid4()}",
        email_to=notify_email,
    )
    return person


@transaction.atomic
def occupant_change_notice_create(
    *,
    agreement: RentalAgreement,
    submitted_by: Person,
    on_behalf_of: Person | None,
    kind: str,
    occupant_name: str,
    occupant_birth_date: date | None,
    moves_on: date,
    details: str,
) -> OccupantChangeNotice:
    """Record a notice of someone moving in or out for customer service (TEN-5); the sender gets a
    receipt (NTF-1)."""
    notice = OccupantChangeNotice.objects.create(
        agreement=agreement,
        submitted_by=submitted_by,
        on_behalf_of=on_behalf_of,
        kind=kind,
        occupant_name=occupant_name.strip(),
        occupant_birth_date=occupant_birth_date,
        moves_on=moves_on,
        details=details.strip(),
    )
    _notify_occupant_change(notice, kind=NotificationKind.RECEIPT, key="received")
    return notice


def _notify_occupant_change(notice: OccupantChangeNotice, *, kind: str, key: str) -> None:
    notify(
        recipient=notice.submitted_by,
        kind=kind,
        about=About.of(notice, reference=reference_for(notice), url_name="occupant_change", url_args=[notice.pk]),
        params={"item": "occupant_change", "statuses": "occupant_change", "status": notice.status},
        key=f"tenancy-occupant-change-{notice.pk}-{key}",
    )


@transaction.atomic
def occupant_change_notice_set_status(*, notice: OccupantChangeNotice, status: str) -> bool:
    """Customer service handles the notice (TEN-5); the sender is told (NTF-2). Idempotent."""
    if status not in OccupantChangeNotice.Status.values:
        raise ValueError(f"Unknown status {status!r}")
    changed = OccupantChangeNotice.objects.filter(pk=notice.pk).exclude(status=status).update(status=status)
    notice.status = status
    if changed:
        _notify_occupant_change(notice, kind=NotificationKind.NOTICE_STATUS, key=f"status-{status}")
    return bool(changed)


@transaction.atomic
def termination_notice_set_status(*, notice: TerminationNotice, status: str) -> bool:
    """Customer service confirms or cancels the notice (TEN-6); every signatory is told (NTF-2).
    Idempotent."""
    if status not in TerminationNotice.Status.values:
        raise ValueError(f"Unknown status {status!r}")
    changed = TerminationNotice.objects.filter(pk=notice.pk).exclude(status=status).update(status=status)
    notice.status = status
    if changed:
        for person in notice.agreement.parties.all():
            notify(
                recipient=person,
                kind=NotificationKind.NOTICE_STATUS,
                about=About.of(notice, reference=reference_for(notice), url_name="termination_detail", url_args=[notice.pk]),
                params={"item": "termination", "statuses": "termination", "status": status},
                key=f"termination-{notice.pk}-status-{status}-{person.pk}",
            )
    return bool(changed)


def termination_notice_create(
    *,
    agreement: RentalAgreement,
    submitted_by: Person,
    on_behalf_of: Person | None,
    notice_date: date,
    forwarding_address: str = "",
    message: str = "",
) -> tuple[TerminationNotice, bool]:
    """Give notice of terminating `agreement` on `notice_date` (TEN-6).

    Idempotent: while a notice of the agreement is open, that notice is returned and nothing is
    sent again (False as the second value); the database constraint decides between two
    simultaneous requests. A new notice is e-mailed to customer service.
    """
    try:
        with transaction.atomic():
            notice = TerminationNotice.objects.create(
                agreement=agreement,
                submitted_by=submitted_by,
                on_behalf_of=on_behalf_of,
                notice_date=notice_date,
                ends_on=termination_end_date(notice_date),
                forwarding_address=forwarding_address.strip(),
                message=message.strip(),
            )
            apartment = agreement.apartment
            email_enqueue(
                to=settings.HEKA_CUSTOMER_SERVICE_EMAIL,
                template="tenancy_termination_notice",
                context={
                    "agreement_number": agreement.number,
                    "address": apartment.address,
                    "region": str(apartment.building.region),
                    "submitted_by": submitted_by.full_name,
                    "on_behalf_of": on_behalf_of.full_name if on_behalf_of else "",
                    "notice_date": _day(notice_date, CUSTOMER_SERVICE_LANGUAGE),
                    "ends_on": _day(notice.ends_on, CUSTOMER_SERVICE_LANGUAGE),
                    "forwarding_address": notice.forwarding_address,
                    "message": notice.message,
                    "admin_path": f"/admin/tenancy/terminationnotice/{notice.pk}/change/",
                    "site_url": site_url(),
                },
                language=CUSTOMER_SERVICE_LANGUAGE,
                idempotency_key=f"tenancy-termination-notice-{notice.pk}",
            )
            # NTF-4: every signatory is told the end date and what happens to their reservations.
            termination_confirmation_send(notice=notice)
    except IntegrityError:
        # Another request gave notice of the same agreement at the same moment.
        existing = TerminationNotice.objects.filter(agreement=agreement, status__in=TerminationNotice.OPEN_STATUSES).first()
        if existing is None:
            raise
        return existing, False
    return notice, True


def bulletin_mark_read(*, bulletin: Bulletin, person: Person) -> None:
    """Remember that the person has read the bulletin; reading it again changes nothing (TEN-9)."""
    BulletinRead.objects.bulk_create([BulletinRead(bulletin=bulletin, person=person)], ignore_conflicts=True)


@transaction.atomic
def personal_data_access_record(*, staff_user: "User", person: Person, what: str) -> PersonalDataAccess:
    """Log that a staff member saw a person's identity code or bank account; never the value (X-7)."""
    return PersonalDataAccess.objects.create(staff_user=staff_user, person=person, what=what)
