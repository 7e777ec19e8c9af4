"""Activation links (ACC-3): valid for 24 hours, usable once, made only when the e-mail is sent.

The token is signed with the secret key and carries the time it was made, the account id and a
digest of the registration's state. Activating the account, or registering again (which changes
the password and the start time), changes that state, so every earlier link stops working without
any token being stored anywhere. The outbox row holds only the account id: the worker builds the
link at the moment of sending (X-6).
"""

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from heka_portal.http import site_url
from heka_portal.outbox import register_link_builder, signed_at

from .models import Registration, User

ACTIVATION_LINK_MAX_AGE = datetime.timedelta(hours=24)
ACTIVATION_LINK_BUILDER = "accounts_activation"
_SALT = "accounts.activation"


class LinkStatus(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    USED = "used"
    INVALID = "invalid"


@dataclass(frozen=True)
class LinkCheck:
    status: LinkStatus
    user: User | None = None


def _state(user: User, registration: Registration) -> str:
    value = f"{user.pk}|{user.password}|{user.is_active}|{registration.started_at.isoformat()}|{registration.activated_at}"
    return salted_hmac(_SALT, value, algorithm="sha256").hexdigest()[:32]


def activation_token_make(user: User, *, issued_at: datetime.datetime | None = None) -> str:
    value = [user.pk, _state(user, user.registration)]
    return signed_at(value, salt=_SALT, at=issued_at) if issued_at else signing.dumps(value, salt=_SALT)


def activation_token_check(token: str) -> LinkCheck:
    try:
        user_id, state = signing.loads(token, salt=_SALT, max_age=ACTIVATION_LINK_MAX_AGE)
    except signing.SignatureExpired:
        return LinkCheck(LinkStatus.EXPIRED)
    except (signing.BadSignature, TypeError, ValueError):
        return LinkCheck(LinkStatus.INVALID)
    registration = Registration.objects.select_related("user").filter(user_id=user_id).first()
    if registration is None:
        return LinkCheck(LinkStatus.INVALID)
    if registration.activated_at is not None:
        return LinkCheck(LinkStatus.USED, registration.user)
    if not isinstance(state, str) or not constant_time_compare(state, _state(registration.user, registration)):
        return LinkCheck(LinkStatus.INVALID)
    return LinkCheck(LinkStatus.VALID, registration.user)


@register_link_builder(ACTIVATION_LINK_BUILDER)
def activation_link(args: dict, *, issued_at: datetime.datetime) -> str:
    """The link of an activation e-mail, made by the worker that sends it (the same at a resend)."""
    registration = Registration.objects.select_related("user").filter(user_id=args["user_id"]).first()
    if registration is None or registration.activated_at is not None:
        # Already activated or gone: the page that explains it and offers a new link.
        return site_url(reverse("accounts:activation_new"))
    token = activation_token_make(registration.user, issued_at=issued_at)
    return site_url(reverse("accounts:activate", args=[token]))
