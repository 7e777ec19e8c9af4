"""Writes of registration: pending accounts, activation, linking an account to its person, office
identifications and the profile's language. Views and the admin call these."""

import datetime
import logging
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from heka_portal.http import site_url
from heka_portal.outbox import email_enqueue
from notifications.kinds import Kind as NotificationKind
from notifications.services import About, notify
from tenancy.access import access_for
from tenancy.access_cache import register_changed
from tenancy.models import Person, RegionOffice

from .models import OfficeIdentification, Registration, User, office_identification_expiry
from .selectors import is_pending
from .tokens import ACTIVATION_LINK_BUILDER, ACTIVATION_LINK_MAX_AGE

if TYPE_CHECKING:
    from applications.models import Applicant

logger = logging.getLogger("accounts")


class RegistrationError(Exception):
    """A registration step that cannot be done; `code` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@transaction.atomic
def registration_create(
    *,
    person: Person,
    email: str,
    password: str,
    language: str,
    office_identification: OfficeIdentification | None = None,
) -> User:
    """Create an inactive account for `person` and send its activation link (ACC-1, ACC-4).

    The caller has identified the person, checked ACC-10 and validated the password under the
    right policy. An earlier pending account with the same address is taken over: until its link is
    followed it proves nothing, and its owner may simply be registering again.
    """
    email = User.objects.normalize_email(email)
    if office_identification is not None and not office_identification.is_usable():
        raise RegistrationError("office_identification")
    method = Registration.Method.OFFICE if office_identification else Registration.Method.ELECTRONIC
    existing = User.objects.select_for_update().filter(email__iexact=email).first()
    if existing is not None and not is_pending(existing):
        raise RegistrationError("email_taken")
    now = timezone.now()
    if existing is None:
        user = User(email=email, person=person, language=language, is_active=False)
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:  # registered at the same moment by another request
            raise RegistrationError("email_taken") from None
        Registration.objects.create(user=user, method=method, office_identification=office_identification, started_at=now)
    else:
        user = existing
        user.person = person
        user.language = language
        user.set_password(password)
        user.save(update_fields=["person", "language", "password"])
        registration = user.registration
        registration.method = method
        registration.office_identification = office_identification
        registration.started_at = now
        registration.save(update_fields=["method", "office_identification", "started_at"])
    _send_activation_email(user=user)
    logger.info("registration started: account=%s person=%s method=%s", user.pk, person.pk, method)
    return user


def _send_activation_email(*, user: User) -> None:
    email_enqueue(
        to=user.email,
        template="accounts_activation",
        context={
            "first_names": user.person.first_names if user.person else "",
            "valid_hours": int(ACTIVATION_LINK_MAX_AGE.total_seconds() // 3600),
            "site_url": site_url(),
            "customer_service_phone": settings.HEKA_CUSTOMER_SERVICE_PHONE,
            "customer_service_email": settings.HEKA_CUSTOMER_SERVICE_EMAIL,
        },
        language=user.language,
        idempotency_key=f"accounts-activation-{user.pk}-{uuid.uuid4().hex}",
        link_builder=ACTIVATION_LINK_BUILDER,
        link_args={"user_id": user.pk},
    )


@transaction.atomic
def activation_link_resend(*, email: str) -> bool:
    """Send a new activation link if `email` belongs to a pending account; True if one was sent."""
    user = (
        User.objects.select_for_update(of=("self",))
        .select_related("registration", "person")
        .filter(email__iexact=User.objects.normalize_email(email))
        .first()
    )
    if user is None or not is_pending(user):
        return False
    _send_activation_email(user=user)
    logger.info("activation link sent again: account=%s", user.pk)
    return True


@transaction.atomic
def account_activate(*, user: User) -> User:
    """Activate a pending account (ACC-3); the person's earlier account is deactivated (ACC-14).

    The person's row is locked so that two activations for one person run one after the other, and
    the old account is deactivated before the new one is activated, so that "one active account per
    person" holds at every statement, not only at commit.
    """
    registration = Registration.objects.select_for_update().filter(user_id=user.pk).first()
    if registration is None or registration.activated_at is not None:
        raise RegistrationError("used")
    person = Person.objects.select_for_update().filter(pk=user.person_id).first() if user.person_id is not None else None
    if person is None or not access_for(person).may_log_in:
        raise RegistrationError("not_resident")
    now = timezone.now()
    if registration.office_identification_id is not None:
        # Expiry was checked when the account was created; here only "once" matters.
        taken = OfficeIdentification.objects.filter(pk=registration.office_identification_id, used_at__isnull=True).update(
            used_at=now, account=user
        )
        if not taken:
            raise RegistrationError("office_identification")
    old_accounts = list(User.objects.filter(person=person, is_active=True).exclude(pk=user.pk).values_list("pk", "email"))
    replaced = [pk for pk, _email in old_accounts]
    User.objects.filter(pk__in=replaced).update(is_active=False)
    for old_pk, old_email in old_accounts:
        # NTF-5: the old address learns that the account was closed, in case it was not its owner's doing.
        notify(
            recipient=person,
            kind=NotificationKind.ACCOUNT_CLOSED,
            about=About(url_name="accounts:profile"),
            params={},
            key=f"accounts-{old_pk}-closed",
            email_to=old_email,
        )
    User.objects.filter(pk=user.pk).update(is_active=True)
    registration.activated_at = now
    registration.save(update_fields=["activated_at"])
    user.is_active = True
    logger.info("account activated: account=%s person=%s replaced=%s", user.pk, person.pk, replaced)
    return user


@transaction.atomic
def account_link_person(*, user: User, person: Person) -> User:
    """Link an account made in the rental-application service to its person (ACC-9)."""
    Person.objects.select_for_update().filter(pk=person.pk).first()
    if User.objects.filter(person=person, is_active=True).exclude(pk=user.pk).exists():
        raise RegistrationError("has_account")
    if not User.objects.filter(pk=user.pk, person__isnull=True).update(person=person):
        raise RegistrationError("already_linked")
    user.person = person
    logger.info("account linked to its person: account=%s person=%s", user.pk, person.pk)
    return user


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    """The language of the portal and of e-mails to this person (ACC-8 profile)."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unsupported language {language!r}")
    user.language = language
    user.save(update_fields=["language"])
    if user.person_id is not None:
        Person.objects.filter(pk=user.person_id).update(preferred_language=language)
        register_changed()  # PRF-1: the kept access decision holds the person
    return user


@transaction.atomic
def office_identification_record(
    *,
    document_type: str,
    office: RegionOffice | str,
    clerk: User,
    person: Person | None = None,
    applicant: "Applicant | None" = None,
    identity_code: str = "",
    email: str = "",
    identified_at: datetime.datetime | None = None,
) -> OfficeIdentification:
    """Staff record that someone proved their identity with a document at an office (STF-7).

    One record, whatever it serves: a `person` of the register may then register online with the
    e-mail given (ACC-4); for an `applicant`, the identity code read from the document is checked
    against them and the identification confirms their part of the application (APP-5), raising
    `applications.services.IdentityMismatch` (and recording nothing) when it is not theirs.
    `office` is a region office, or an office written out (the advisory office at Työpajankatu).
    """
    if person is None and applicant is None:
        raise ValueError("an office identification serves a person or an applicant")
    identified_at = identified_at or timezone.now()
    written_office = office.strip() if isinstance(office, str) else ""
    identification = OfficeIdentification.objects.create(
        person=person,
        applicant=applicant,
        document_type=document_type,
        office=None if isinstance(office, str) else office,
        office_name=written_office,
        clerk=clerk,
        email=User.objects.normalize_email(email),
        identified_at=identified_at,
        expires_at=office_identification_expiry(identified_at),
    )
    if applicant is not None:
        from applications.services import applicant_confirm_at_office

        applicant_confirm_at_office(applicant=applicant, identity_code=identity_code, identified_at=identified_at)
        if identification.person_id is None:
            # The confirmation tied the applicant to the register's person (ACC-9): so is the record.
            person_id = type(applicant).objects.filter(pk=applicant.pk).values_list("person_id", flat=True).first()
            OfficeIdentification.objects.filter(pk=identification.pk).update(person_id=person_id)
            identification.person_id = person_id
    logger.info(
        "office identification recorded: id=%s person=%s applicant=%s clerk=%s",
        identification.pk,
        identification.person_id,
        applicant.pk if applicant else None,
        clerk.pk,
    )
    return identification


@transaction.atomic
def identity_used_for_existing_account(*, account: User) -> None:
    """NTF-3: someone identified strongly as the holder of an account and began to register again
    (ACC-11); the account's address is told, once a day, in case it was not its owner."""
    person = account.person
    if person is None:
        return
    today = timezone.localdate()
    notify(
        recipient=person,
        kind=NotificationKind.NEW_IDENTITY_SIGN_IN,
        about=About(url_name="accounts:profile"),
        params={"on": today.isoformat()},
        key=f"accounts-{account.pk}-identified-{today.isoformat()}",
        email_to=account.email,
    )
