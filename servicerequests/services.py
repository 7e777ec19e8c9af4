"""Writes to requests to Heka. Resident views and the staff admin call these, so each rule lives here."""

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.kinds import Kind as NotificationKind
from notifications.references import reference_for
from notifications.services import About, notify
from tenancy.models import Person

from .forms.common import Home
from .models import (
    DEFAULT_HANDLING_DAYS,
    Defect,
    DefectPhoto,
    Draft,
    HandlingTime,
    Message,
    ResidentRequest,
    ServiceRequest,
    Status,
    TimelineEntry,
)
from .models.kinds import REVIEW_DAYS
from .photos import CleanPhoto

if TYPE_CHECKING:
    from accounts.models import User

DETAIL_URLS = {
    ResidentRequest.Kind.DEFECT: "servicerequests:defect",
    ResidentRequest.Kind.MESSAGE: "servicerequests:message",
    ResidentRequest.Kind.SERVICE_REQUEST: "servicerequests:service_request",
}


def _common(*, person: Person, home: Home, request_type: str) -> dict:
    return {
        "submitted_by": person,
        "on_behalf_of": home.holder if home.via_guardian else None,
        "apartment": home.apartment,
        "due_on": due_on_for(request_type, sent_on=timezone.localdate()),
    }


def due_on_for(request_type: str, *, sent_on: date) -> date:
    """NTF-6: the day Heka means to have handled a request of this type sent on `sent_on`."""
    days = HandlingTime.objects.filter(request_type=request_type).values_list("days", flat=True).first()
    return sent_on + timedelta(days=days or DEFAULT_HANDLING_DAYS.get(request_type, max(DEFAULT_HANDLING_DAYS.values())))


def _received(request: ResidentRequest) -> None:
    TimelineEntry.objects.create(
        request=request, kind=TimelineEntry.Kind.STATUS, status=Status.RECEIVED, created_at=request.created_at
    )
    _notify(request, kind=NotificationKind.RECEIPT, key="received")


def _notify(request: ResidentRequest, *, kind: str, key: str, params: dict | None = None) -> None:
    """Tell the sender (NTF-1, NTF-2); SRQ-4: they are the only resident who sees the request."""
    item = request.child if type(request) is ResidentRequest else request
    what: dict = {"item": request.kind}
    if isinstance(item, Defect):
        what["category"] = item.category
    elif isinstance(item, ServiceRequest):
        what["type"] = item.type
    elif isinstance(item, Message):
        what["title"] = item.subject
    notify(
        recipient=request.submitted_by,
        kind=kind,
        about=About.of(
            item, reference=reference_for(item), url_name=DETAIL_URLS[ResidentRequest.Kind(request.kind)], url_args=[request.pk]
        ),
        params={**what, **(params or {})},
        key=f"servicerequests-{request.pk}-{key}",
    )


@transaction.atomic
def defect_create(
    *,
    person: Person,
    home: Home,
    category: str,
    location: str,
    location_details: str,
    description: str,
    master_key_allowed: bool,
    has_pets: bool,
    pets_details: str,
    photos: list[CleanPhoto],
) -> Defect:
    """Record a defect notification with its photos (SRQ-1) and forget the form's draft."""
    defect = Defect.objects.create(
        **_common(person=person, home=home, request_type=ResidentRequest.Kind.DEFECT),
        category=category,
        location=location,
        location_details=location_details.strip(),
        description=description.strip(),
        master_key_allowed=master_key_allowed,
        has_pets=has_pets,
        pets_details=pets_details.strip() if has_pets else "",
    )
    for photo in photos:
        stored = DefectPhoto(
            defect=defect, extension=photo.extension, width=photo.width, height=photo.height, size=photo.content.size
        )
        stored.image.save(f"photo.{photo.extension}", photo.content, save=False)
        stored.save()
    _received(defect)
    draft_discard(person=person, form="defect")
    return defect


@transaction.atomic
def message_create(
    *, person: Person, home: Home, category: str, subject: str, body: str, key_type: str, key_count: int | None
) -> Message:
    """Record a message to customer service (SRQ-2); a key order carries the key and the count."""
    message = Message.objects.create(
        **_common(person=person, home=home, request_type=ResidentRequest.Kind.MESSAGE),
        category=category,
        subject=subject.strip(),
        body=body.strip(),
        key_type=key_type,
        key_count=key_count if key_type else None,
    )
    _received(message)
    draft_discard(person=person, form="message")
    return message


@transaction.atomic
def service_request_create(*, person: Person, home: Home, type: str, details: dict) -> ServiceRequest:
    """Record a service request of one of the SRQ-5 types; `home` must be a main tenant's."""
    if home.agreement is None:
        raise ValueError("Service requests are for main tenants only.")
    request = ServiceRequest.objects.create(**_common(person=person, home=home, request_type=type), type=type, details=details)
    _received(request)
    draft_discard(person=person, form=f"service:{type}")
    return request


@transaction.atomic
def request_change_status(*, request: ResidentRequest, status: str, staff_user: "User | None", tell: bool = True) -> bool:
    """Move the request to `status`, show the change on the resident's timeline (SRQ-1, STF-1) and
    tell them (NTF-2; `tell=False` when the change comes with a reply that tells them).

    Idempotent: only the change that actually moves the row writes a timeline entry, so a double
    submit or two staff members choosing the same status record it once."""
    if status not in Status.values:
        raise ValueError(f"Unknown status {status!r}")
    done_at = timezone.now() if status == Status.DONE else None
    changed = ResidentRequest.objects.filter(pk=request.pk).exclude(status=status).update(status=status, done_at=done_at)
    if changed:
        entry = TimelineEntry.objects.create(
            request_id=request.pk, kind=TimelineEntry.Kind.STATUS, status=status, author=staff_user
        )
        request.done_at = done_at
    if changed and tell:
        _notify(
            request,
            kind=NotificationKind.REQUEST_STATUS,
            key=f"status-{entry.pk}",
            params={"statuses": "request", "status": status},
        )
    request.status = status
    return bool(changed)


@transaction.atomic
def request_reply(*, request: ResidentRequest, text: str, staff_user: "User | None") -> TimelineEntry:
    """Answer the resident (SRQ-3): the reply appears on their timeline, unread, and they get an
    e-mail in their language once the transaction commits. A message still waiting for an answer
    becomes answered."""
    entry = TimelineEntry.objects.create(
        request_id=request.pk, kind=TimelineEntry.Kind.REPLY, text=text.strip(), author=staff_user
    )
    if request.kind == ResidentRequest.Kind.MESSAGE and request.status in (Status.RECEIVED, Status.IN_PROGRESS):
        # The reply itself is what the resident is told about, not the status it brings.
        request_change_status(request=request, status=Status.ANSWERED, staff_user=staff_user, tell=False)
    # NTF-2: the reply is told in the resident's language, by e-mail unless they chose otherwise.
    sent_on = timezone.localtime(request.created_at).date().isoformat()
    _notify(request, kind=NotificationKind.REQUEST_REPLY, key=f"reply-{entry.pk}", params={"sent_on": sent_on})
    return entry


class ReviewRefused(Exception):
    """The defect cannot be confirmed or reopened any more; the text says why, to the resident."""


def _locked_for_review(defect: Defect) -> Defect:
    locked = Defect.objects.select_for_update().get(pk=defect.pk)
    if locked.status == Status.DONE and locked.confirmed_at is None and not locked.may_review:
        raise ReviewRefused(
            _(
                "The %(days)d days to confirm or reopen this defect notification have passed. If the defect has come "
                "back, please send a new defect notification."
            )
            % {"days": REVIEW_DAYS}
        )
    return locked


@transaction.atomic
def defect_confirm(*, defect: Defect, rating: int | None) -> bool:
    """NTF-7: the resident confirms the job marked done, and may rate it. A second click changes
    nothing and answers False; a defect handled again (reopened) cannot be confirmed meanwhile."""
    locked = _locked_for_review(defect)
    if locked.confirmed_at is not None:
        return False
    if locked.status != Status.DONE:
        raise ReviewRefused(_("This defect notification is being handled again. You can confirm it when it is done."))
    locked.confirmed_at = timezone.now()
    locked.rating = rating or locked.rating
    locked.save(update_fields=["confirmed_at", "rating"])
    entry = TimelineEntry.objects.create(request_id=locked.pk, kind=TimelineEntry.Kind.CONFIRMED, created_at=locked.confirmed_at)
    _notify(locked, kind=NotificationKind.RECEIPT, key=f"confirmed-{entry.pk}", params={"confirmed": True})
    return True


@transaction.atomic
def defect_reopen(*, defect: Defect, reason: str, rating: int | None) -> bool:
    """NTF-7: the job marked done was not done. The defect goes back to the top of the staff queue
    as received, with a new due date and the reason on its timeline. A second click changes nothing."""
    locked = _locked_for_review(defect)
    if locked.confirmed_at is not None:
        raise ReviewRefused(_("You have already confirmed this repair. If the defect has come back, please send a new one."))
    if locked.status != Status.DONE:
        return False
    locked.status = Status.RECEIVED
    locked.done_at = None
    locked.reopened_count += 1
    locked.due_on = due_on_for(ResidentRequest.Kind.DEFECT, sent_on=timezone.localdate())
    locked.rating = rating or locked.rating
    locked.save(update_fields=["status", "done_at", "reopened_count", "due_on", "rating"])
    entry = TimelineEntry.objects.create(
        request_id=locked.pk, kind=TimelineEntry.Kind.REOPENED, status=Status.RECEIVED, text=reason.strip()
    )
    _notify(
        locked,
        kind=NotificationKind.REQUEST_STATUS,
        key=f"reopened-{entry.pk}",
        params={"statuses": "request", "status": Status.RECEIVED, "reopened": True},
    )
    return True


def replies_mark_read(*, request: ResidentRequest) -> int:
    """The resident opened the request: its replies are no longer new (TEN-1)."""
    return TimelineEntry.objects.filter(request_id=request.pk, kind=TimelineEntry.Kind.REPLY, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def draft_save(*, person: Person, form: str, data: dict) -> Draft:
    """Keep what was typed into a form that could not be sent (SRQ-6); the newest draft wins."""
    draft, _created = Draft.objects.update_or_create(
        person=person, form=form, defaults={"data": data, "saved_at": timezone.now()}
    )
    return draft


def draft_discard(*, person: Person, form: str) -> None:
    Draft.objects.filter(person=person, form=form).delete()
