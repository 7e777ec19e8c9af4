"""The e-mailed links of APP-3 and APP-6: made when the e-mail is sent, checked when opened.

A link carries the row id and the row's nonce, signed with the secret key under a salt per kind
of link; the outbox row holds only the id (X-6), so the token exists only in the e-mail itself.
Whether a link may still be used (expiry, single use, replaced by a newer one) is decided by the
row, so a leaked old link is worthless once used or replaced.
"""

from datetime import datetime, timedelta
from typing import TypeVar

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare

from heka_portal.http import site_url
from heka_portal.outbox import register_link_builder, signed_at

from .models import CoApplicantLink, UsernameLink

Link = TypeVar("Link", CoApplicantLink, UsernameLink)

CO_APPLICANT_SALT = "applications.co-applicant-link"
USERNAME_SALT = "applications.username-link"


def co_applicant_link_lifetime() -> timedelta:
    return timedelta(hours=getattr(settings, "HEKA_APPLICATION_LINK_HOURS", 24))


def username_link_lifetime() -> timedelta:
    return timedelta(hours=getattr(settings, "HEKA_APPLICATION_USERNAME_LINK_HOURS", 24))


def make_token(link: CoApplicantLink | UsernameLink, *, issued_at: datetime | None = None) -> str:
    """The same link row and moment make the same token, so an e-mail sent again repeats it (OPS-6)."""
    salt = CO_APPLICANT_SALT if isinstance(link, CoApplicantLink) else USERNAME_SALT
    value = [link.pk, link.nonce]
    return signed_at(value, salt=salt, at=issued_at) if issued_at else signing.dumps(value, salt=salt)


def _find(model: type[Link], token: str, salt: str) -> Link | None:
    try:
        pk, nonce = signing.loads(token, salt=salt)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(pk, int) or not isinstance(nonce, str):
        return None
    link = model._default_manager.filter(pk=pk).first()
    if link is None or not constant_time_compare(link.nonce, nonce):
        return None
    return link


def co_applicant_link_from_token(token: str) -> CoApplicantLink | None:
    """The link row the token names, in whatever state it is; None for a forged or unknown token."""
    return _find(CoApplicantLink, token, CO_APPLICANT_SALT)


def username_link_from_token(token: str) -> UsernameLink | None:
    return _find(UsernameLink, token, USERNAME_SALT)


def _absolute(path: str) -> str:
    return site_url(path)


@register_link_builder("applications_co_applicant")
def build_co_applicant_link(args: dict, *, issued_at: datetime) -> str:
    link = CoApplicantLink.objects.get(pk=args["link_id"])
    return _absolute(reverse("applications:co_applicant", args=[make_token(link, issued_at=issued_at)]))


@register_link_builder("applications_username")
def build_username_link(args: dict, *, issued_at: datetime) -> str:
    link = UsernameLink.objects.get(pk=args["link_id"])
    return _absolute(reverse("applications:set_password", args=[make_token(link, issued_at=issued_at)]))
