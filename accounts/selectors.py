"""Reads of the registration flows: who an identity is in the register, and which accounts they hold."""

from django.db.models import Q
from django.utils import timezone

from accounts.saml.identity import VerifiedIdentity
from tenancy import hetu
from tenancy.models import Person

from .models import OfficeIdentification, User


def person_for_identity(identity: VerifiedIdentity) -> Person | None:
    """The register's person whose identity code the strong identification returned (by keyed hash)."""
    return Person.objects.filter(hetu_hash__in=hetu.hashes_of(identity.hetu_encrypted, stored_hash=identity.hetu_hash)).first()


def active_account_for(person: Person) -> User | None:
    return User.objects.filter(person=person, is_active=True).first()


def account_for_email(email: str) -> User | None:
    return User.objects.select_related("registration").filter(email__iexact=User.objects.normalize_email(email)).first()


def is_pending(user: User) -> bool:
    """Created by a registration whose activation link was never followed."""
    registration = getattr(user, "registration", None)
    return not user.is_active and registration is not None and registration.activated_at is None


def office_identification_usable(email: str) -> OfficeIdentification | None:
    """The newest unused, unexpired office identification given with this address (ACC-4)."""
    return (
        OfficeIdentification.objects.select_related("person")
        .filter(Q(email__iexact=User.objects.normalize_email(email)), used_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-identified_at")
        .first()
    )


def mask_email(email: str) -> str:
    """Enough of an address for its owner to recognise it, too little for anyone else to use (ACC-11)."""
    local, _, domain = email.partition("@")
    masked = f"{local[:1]}***" if len(local) <= 2 else f"{local[0]}***{local[-1]}"
    return f"{masked}@{domain}" if domain else masked
