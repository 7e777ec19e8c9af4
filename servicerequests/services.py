"""Writes to requests to Heka. Resident views and the staff admin call these, so each rule lives here."""

from django.db import transaction
from django.utils import timezone

from notifications.kinds import Kind as NotificationKind
from notifications.references import reference_for
from notifications.services import About, notify
from tenancy.models import Person

from .forms.common import Home
from .models import Defect, DefectPhoto, Draft, Message, ResidentRequest, ServiceRequest, Status, TimelineEntry
from .photos import CleanPhoto

DETAIL_URLS = {
    ResidentRequest.Kind.DEFECT: "servicerequests:defect",
    ResidentRequest.Kind.MESSAGE: "servicerequests:message",
    ResidentRequest.Kind.SERVICE_REQUEST: "servicerequests:service_request",
}


def _common(*, person: Person, home: Home) -> dict:
    return {
        "submitted_by": person,
        "on_behalf_of": home.holder if home.via_guardian else None,
        "apartment": home.apartment,
    }


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
        about=About.of(item, reference=reference_for(item), url_name=DETAIL_URLS[request.kind], url_args=[request.pk]),
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
        **_common(person=person, home=home),
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
        **_common(person=person, home=home),
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
    request = ServiceRequest.objects.create(**_common(person=person, home=home), type=type, details=details)
    _received(request)
    draft_discard(person=person, form=f"service:{type}")
    return request


@transaction.atomic
def request_change_status(*, request: ResidentRequest, status: str, staff_user: object, tell: bool = True) -> bool:
    """Move the request to `status`, show the change on the resident's timeline (SRQ-1, STF-1) and
    tell them (NTF-2; `tell=False` when the change comes with a reply that tells them).

    Idempotent: only the change that actually moves the row writes a timeline entry, so a double
    submit or two staff members choosing the same status record it once."""
    if status not in Status.values:
        raise ValueError(f"Unknown status {status!r}")
    changed = ResidentRequest.objects.filter(pk=request.pk).exclude(status=status).update(status=status)
    if changed:
        entry = TimelineEntry.objects.create(
            request_id=request.pk, kind=TimelineEntry.Kind.STATUS, status=status, author=staff_user
        )
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
def request_reply(*, request: ResidentRequest, text: str, staff_user: object) -> TimelineEntry:
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
