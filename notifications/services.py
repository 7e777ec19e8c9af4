"""The one way every app tells a person about something (NTF-1..NTF-5, NTF-8): `notify`.

`notify` writes the in-portal notification and, unless the person has switched the kind off for
e-mail (never possible for the protective kinds), the outbox e-mail, in the caller's transaction
(X-6). Both carry an idempotency key made of the event, so that a change which is saved twice, or
a task that runs twice, tells the person once.

The e-mail is `emails/notification.*` on the shared layout, in the recipient's language, with
the reference number and a link to the item. Parameters are plain values chosen by the caller:
never a HETU, a full bank account number or a token.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from heka_portal.http import site_url
from heka_portal.outbox import OutgoingEmail, email_enqueue, email_enqueue_many
from tenancy.models import Person

from . import kinds
from .models import EmailPreference, Notification

EMAIL_TEMPLATE = "notification"


@dataclass(frozen=True)
class About:
    """The item a notification is about and the page that shows it."""

    reference: str = ""
    about_type: str = ""
    about_id: int | None = None
    url_name: str = ""
    url_args: list = field(default_factory=list)

    @classmethod
    def of(cls, item: Model, *, reference: str, url_name: str = "", url_args: list | None = None) -> "About":
        return cls(reference, item._meta.label_lower, item.pk, url_name, list(url_args or []))

    @property
    def link(self) -> str:
        return site_url(reverse(self.url_name, args=self.url_args) if self.url_name else reverse("notifications:list"))


def email_wanted(*, person: Person, kind: str) -> bool:
    """NTF-3: protective kinds always come by e-mail; the others unless the person switched them off."""
    return kind in kinds.PROTECTIVE or not EmailPreference.objects.filter(person=person, kind=kind).exists()


def _address(person: Person) -> str:
    account = get_user_model().objects.filter(person=person, is_active=True).only("email").first()
    return account.email if account else person.email


def _email_context(*, person: Person, kind: str, about: About, params: dict) -> dict:
    return {"first_names": person.first_names, "kind": kind, "params": params, "reference": about.reference, "link": about.link}


@transaction.atomic
def notify(
    *,
    recipient: Person,
    kind: str,
    about: About,
    params: dict,
    key: str,
    email_to: str | None = None,
    language: str | None = None,
) -> Notification:
    """Tell `recipient` about an event; `key` names the event (the same key twice tells once).

    The e-mail goes to the person's active account (or their register address), or to `email_to`
    when the event concerns another address, such as an account being closed (NTF-5).
    """
    if kind not in kinds.Kind.values:
        raise ValueError(f"Unknown notification kind {kind!r}")
    notification, created = Notification.objects.get_or_create(
        key=key,
        defaults={
            "recipient": recipient,
            "kind": kind,
            "reference": about.reference,
            "about_type": about.about_type,
            "about_id": about.about_id,
            "url_name": about.url_name,
            "url_args": about.url_args,
            "params": params,
        },
    )
    if created and email_wanted(person=recipient, kind=kind):
        address = email_to or _address(recipient)
        if address:
            email_enqueue(
                to=address,
                template=EMAIL_TEMPLATE,
                context=_email_context(person=recipient, kind=kind, about=about, params=params),
                language=language or recipient.preferred_language,
                idempotency_key=f"notification-{key}",
            )
    return notification


def notify_many(*, recipients: Iterable[Person], kind: str, about: About, params: dict, key_prefix: str) -> int:
    """Tell many people about one event in a few statements (NTF-8, NTF-10): the notifications and
    the outbox rows are inserted in bulk, once per (event, person) however often this runs.
    Returns the number of people told now."""
    people = {person.pk: person for person in recipients}
    if not people:
        return 0
    keys = {pk: f"{key_prefix}-{pk}" for pk in people}
    with transaction.atomic():
        already = set(Notification.objects.filter(key__in=keys.values()).values_list("recipient_id", flat=True))
        new = [pk for pk in people if pk not in already]
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=pk,
                    kind=kind,
                    reference=about.reference,
                    about_type=about.about_type,
                    about_id=about.about_id,
                    url_name=about.url_name,
                    url_args=about.url_args,
                    params=params,
                    key=keys[pk],
                )
                for pk in new
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
        opted_out = set(
            EmailPreference.objects.filter(person_id__in=new, kind=kind).values_list("person_id", flat=True)
            if kind not in kinds.PROTECTIVE
            else []
        )
        addresses = dict(get_user_model().objects.filter(person_id__in=new, is_active=True).values_list("person_id", "email"))
        emails = []
        for pk in new:
            person = people[pk]
            address = addresses.get(pk) or person.email
            if pk in opted_out or not address:
                continue
            emails.append(
                OutgoingEmail(
                    to=address,
                    template=EMAIL_TEMPLATE,
                    context=_email_context(person=person, kind=kind, about=about, params=params),
                    language=person.preferred_language,
                    idempotency_key=f"notification-{keys[pk]}",
                )
            )
        # NTF-10: one INSERT and a task per batch after commit.
        email_enqueue_many(emails=emails)
    return len(new)


@transaction.atomic
def email_preferences_set(*, person: Person, email_kinds: Iterable[str]) -> None:
    """Keep e-mail for `email_kinds` and switch it off for the other optional kinds (NTF-3).
    Protective kinds cannot be switched off: they are neither stored nor accepted."""
    wanted = set(email_kinds)
    off = [kind for kind in kinds.OPTIONAL if kind not in wanted]
    EmailPreference.objects.filter(person=person).exclude(kind__in=off).delete()
    EmailPreference.objects.bulk_create([EmailPreference(person=person, kind=kind) for kind in off], ignore_conflicts=True)


def notification_mark_read(*, notification: Notification) -> bool:
    """Idempotent: only the first call marks it read."""
    return bool(Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now()))


def notifications_mark_all_read(*, person: Person) -> int:
    return Notification.objects.filter(recipient=person, read_at__isnull=True).update(read_at=timezone.now())
