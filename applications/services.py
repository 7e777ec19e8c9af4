"""Writes of the housing-application service. Views, the admin and the demo data call these."""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User

# STF-7: one office identification, recorded by one service, for registration and applications alike.
from accounts.services import office_identification_record  # noqa: F401
from heka_portal.outbox import email_enqueue
from notifications.kinds import Kind as NotificationKind
from notifications.services import About, notify
from tenancy import hetu
from tenancy.models import Person

from . import links
from .matching import Identity, identity_matches
from .models import Applicant, Application, CoApplicantLink, OfficeIdentification, UsernameLink

logger = logging.getLogger(__name__)


class IdentityMismatch(Exception):
    """The identified person is not the applicant they try to confirm for."""


class LinkNotUsable(Exception):
    def __init__(self, state: str) -> None:
        super().__init__(state)
        self.state = state


@dataclass(frozen=True)
class PersonData:
    first_names: str
    last_name: str
    birth_date: date
    email: str = ""


@transaction.atomic
def application_submit(
    *,
    applicant: PersonData,
    co_applicants: list[PersonData],
    areas: list[str],
    apartment_size: str,
    max_rent: Decimal,
    moving_date: date,
    language: str,
) -> Application:
    """APP-1: store the application; e-mail the applicant a receipt and every adult co-applicant
    with an e-mail address their confirmation link (APP-3). Children are never asked."""
    application = Application.objects.create(
        areas=areas, apartment_size=apartment_size, max_rent=max_rent, moving_date=moving_date, language=language
    )
    main = Applicant.objects.create(application=application, role=Applicant.Role.MAIN, language=language, **_fields(applicant))
    others = [
        Applicant.objects.create(application=application, role=Applicant.Role.CO_APPLICANT, language=language, **_fields(person))
        for person in co_applicants
    ]
    today = timezone.localdate()
    email_enqueue(
        to=main.email,
        template="applications_submitted",
        context={
            "first_names": main.first_names,
            "number": application.number,
            "confirm_url": links._absolute(reverse("applications:confirm")),
            "co_applicants": [other.full_name for other in others if other.is_adult_on(today)],
        },
        language=language,
        idempotency_key=f"applications-submitted-{application.pk}",
    )
    for other in others:
        if other.email and other.is_adult_on(today):
            co_applicant_link_send(applicant=other)
    logger.info("housing application %s submitted with %d co-applicants", application.pk, len(others))
    return application


def _fields(person: PersonData) -> dict:
    return {
        "first_names": person.first_names.strip(),
        "last_name": person.last_name.strip(),
        "birth_date": person.birth_date,
        "email": person.email.strip().lower(),
    }


@transaction.atomic
def co_applicant_link_send(*, applicant: Applicant) -> CoApplicantLink | None:
    """APP-3: a new link for an adult co-applicant who has not confirmed; earlier links stop working.

    Returns None (and sends nothing) for a child, a co-applicant without e-mail or one who has
    already confirmed.
    """
    applicant = Applicant.objects.select_for_update().get(pk=applicant.pk)
    now = timezone.now()
    if applicant.is_main or applicant.is_confirmed or not applicant.email or not applicant.is_adult_on(timezone.localdate()):
        return None
    CoApplicantLink.objects.filter(applicant=applicant, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    link = CoApplicantLink.objects.create(
        applicant=applicant, created_at=now, expires_at=now + links.co_applicant_link_lifetime()
    )
    main = applicant.application.applicants.get(role=Applicant.Role.MAIN)
    email_enqueue(
        to=applicant.email,
        template="applications_co_applicant_link",
        context={
            "first_names": applicant.first_names,
            "applicant_name": main.full_name,
            "number": applicant.application.number,
            "hours": int(links.co_applicant_link_lifetime().total_seconds() // 3600),
        },
        language=applicant.language,
        idempotency_key=f"applications-co-applicant-link-{link.pk}",
        link_builder="applications_co_applicant",
        link_args={"link_id": link.pk},
    )
    return link


def _person_for(identity: Identity, *, birth_date: date) -> Person:
    known = Person.objects.filter(hetu_hash__in=identity.hetu_hashes).first()
    if known is not None:
        return known
    person, _created = Person.objects.get_or_create(
        hetu_hash=identity.hetu_hash,
        defaults={
            "first_names": identity.first_names,
            "last_name": identity.last_name,
            "birth_date": birth_date,
            "hetu_encrypted": identity.hetu_encrypted,
        },
    )
    return person


def _confirm(*, applicant: Applicant, identity: Identity, method: str, identified_at: datetime, confirmed_at: datetime) -> bool:
    """Confirm `applicant` as the identified person; False if it was confirmed already."""
    applicant = Applicant.objects.select_for_update().get(pk=applicant.pk)
    if not identity_matches(applicant, identity):
        raise IdentityMismatch
    if applicant.is_confirmed:
        return False
    person = _person_for(identity, birth_date=applicant.birth_date)
    try:
        with transaction.atomic():
            changed = Applicant.objects.filter(pk=applicant.pk, confirmed_at__isnull=True).update(
                hetu_hash=identity.hetu_hash,
                person=person,
                identification_method=method,
                identified_at=identified_at,
                confirmed_at=confirmed_at,
            )
    except IntegrityError:
        # This identity code already confirmed another applicant of the same application.
        raise IdentityMismatch from None
    if changed:
        CoApplicantLink.objects.filter(applicant=applicant, used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=confirmed_at
        )
        application_refresh_validity(application=applicant.application)
    return bool(changed)


@transaction.atomic
def applicant_confirm(*, applicant: Applicant, identity: Identity, identified_at: datetime) -> bool:
    """APP-2: the applicant, strongly identified, confirms the application they chose."""
    return _confirm(
        applicant=applicant,
        identity=identity,
        method=Applicant.Method.STRONG,
        identified_at=identified_at,
        confirmed_at=timezone.now(),
    )


@transaction.atomic
def co_applicant_confirm(*, link: CoApplicantLink, identity: Identity, identified_at: datetime) -> bool:
    """APP-3: the co-applicant confirms through their link; the link is used up by it.

    The identity is checked before the link is touched, so the wrong person changes nothing.
    """
    link = CoApplicantLink.objects.select_for_update().select_related("applicant").get(pk=link.pk)
    state = link.state()
    if state != CoApplicantLink.State.USABLE:
        raise LinkNotUsable(state)
    if not identity_matches(link.applicant, identity):
        raise IdentityMismatch
    now = timezone.now()
    if not CoApplicantLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=now):
        raise LinkNotUsable(CoApplicantLink.State.USED)
    return _confirm(
        applicant=link.applicant, identity=identity, method=Applicant.Method.STRONG, identified_at=identified_at, confirmed_at=now
    )


def applicant_confirm_at_office(*, applicant: Applicant, identity_code: str, identified_at: datetime) -> None:
    """APP-5: staff saw the applicant's identity document at the office; called by the one
    `accounts.services.office_identification_record` (STF-7), in its transaction.

    That counts as the applicant's confirmation. The identity code read from the document ties the
    applicant to the register's Person (so a user name created later leads to the same Person,
    ACC-9); it is kept only as the Person's hash and encrypted copy (X-3).
    """
    code = hetu.normalize(identity_code)
    identity = Identity(
        hetu_hash=hetu.lookup_hash(code),
        hetu_encrypted=hetu.encrypt(code),
        first_names=applicant.first_names,
        last_name=applicant.last_name,
    )
    if identity.birth_date != applicant.birth_date:
        raise IdentityMismatch
    _confirm(
        applicant=applicant,
        identity=identity,
        method=Applicant.Method.OFFICE,
        identified_at=identified_at,
        confirmed_at=identified_at,
    )


@transaction.atomic
def application_refresh_validity(*, application: Application) -> bool:
    """APP-1: valid once every applicant who is an adult today has confirmed. Once valid it stays
    valid; a child who comes of age later does not undo it."""
    today = timezone.localdate()
    applicants = list(Applicant.objects.select_for_update().filter(application=application))
    if any(applicant.is_adult_on(today) and not applicant.is_confirmed for applicant in applicants):
        return False
    changed = Application.objects.filter(pk=application.pk, valid_since__isnull=True).update(valid_since=timezone.now())
    if changed:
        logger.info("housing application %s is valid: every adult applicant has confirmed", application.pk)
        _notify_valid(application, applicants)
    return bool(changed)


def _notify_valid(application: Application, applicants: list[Applicant]) -> None:
    """NTF-5: the applicant is told that the application is now valid, at the address they gave."""
    main = next((applicant for applicant in applicants if applicant.role == Applicant.Role.MAIN), None)
    if main is None or main.person is None:
        return
    notify(
        recipient=main.person,
        kind=NotificationKind.APPLICATION_VALID,
        about=About.of(application, reference=application.number, url_name="applications:index"),
        params={"item": "application"},
        key=f"applications-{application.pk}-valid",
        email_to=main.email or None,
        language=main.language,
    )


def _username_window() -> int:
    return getattr(settings, "HEKA_APPLICATION_OFFICE_USERNAME_DAYS", 30)


@transaction.atomic
def username_request(*, email: str, language: str) -> UsernameLink | None:
    """APP-6 "Create username": e-mail a password link if `email` is the address an applicant gave
    at the advisory office (within the configured days, no user name created yet).

    Otherwise nothing happens; the page says the same either way, so it reveals no addresses.
    """
    address = email.strip().lower()
    since = timezone.now() - timedelta(days=_username_window())
    record = (
        OfficeIdentification.objects.select_for_update()
        .filter(email__iexact=address, applicant__isnull=False, account__isnull=True, identified_at__gte=since)
        .exclude(email="")
        .order_by("-identified_at")
        .first()
    )
    if record is None or record.applicant is None:
        return None
    now = timezone.now()
    UsernameLink.objects.filter(office_identification=record, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    link = UsernameLink.objects.create(
        office_identification=record, email=address, created_at=now, expires_at=now + links.username_link_lifetime()
    )
    email_enqueue(
        to=address,
        template="applications_username",
        context={
            "first_names": record.applicant.first_names,
            "hours": int(links.username_link_lifetime().total_seconds() // 3600),
        },
        language=language,
        idempotency_key=f"applications-username-link-{link.pk}",
        link_builder="applications_username",
        link_args={"link_id": link.pk},
    )
    return link


class AccountExists(Exception):
    """The address or the person already has an active account."""


@transaction.atomic
def username_create(*, link: UsernameLink, password: str, language: str) -> User:
    """APP-6: create the account of an office-identified applicant; the link is used up.

    The account belongs to the applicant's Person, so the same e-mail and password later work in
    the Resident Portal (ACC-9). The caller has checked the password against policy P6.
    """
    link = UsernameLink.objects.select_for_update(of=("self",)).select_related("office_identification__applicant").get(pk=link.pk)
    state = link.state()
    if state != UsernameLink.State.USABLE:
        raise LinkNotUsable(state)
    applicant = link.office_identification.applicant
    person = applicant.person if applicant is not None else link.office_identification.person
    if User.objects.filter(email__iexact=link.email).exists() or (
        person is not None and User.objects.filter(person=person, is_active=True).exists()
    ):
        raise AccountExists
    now = timezone.now()
    UsernameLink.objects.filter(pk=link.pk).update(used_at=now)
    user = User.objects.create_user(link.email, password, person=person, language=language, is_active=True)
    OfficeIdentification.objects.filter(pk=link.office_identification_id).update(account=user)
    logger.info("user name created for office-identified applicant %s", link.office_identification.applicant_id)
    return user
