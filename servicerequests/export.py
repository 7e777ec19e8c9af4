"""The person's requests to Heka for "Download my data" (X-10): only what they sent themselves,
with the handling they see, and the drafts kept for them. Staff names stay internal."""

from collections.abc import Iterator
from typing import Any

from django.db.models.fields.files import FieldFile
from django.urls import reverse

from tenancy.models import Person

from .forms.service import details_for_display
from .models import Defect, DefectPhoto, Draft, Message, ServiceRequest, TimelineEntry


def _timeline(entries: list[TimelineEntry]) -> list[dict[str, Any]]:
    return [
        {"at": entry.created_at, "kind": entry.kind, "status": entry.status, "text": entry.text, "read_at": entry.read_at}
        for entry in entries
    ]


def _common(request: Any) -> dict[str, Any]:
    return {
        "sent_at": request.created_at,
        "apartment": request.apartment.address,
        "on_behalf_of": request.on_behalf_of.full_name if request.on_behalf_of else "",
        "status": request.status,
        "timeline": _timeline(list(request.timeline.all())),
    }


def export_for_person(person: Person) -> dict[str, Any]:
    related = ("apartment__building", "on_behalf_of")
    defects = Defect.objects.filter(submitted_by=person).select_related(*related).prefetch_related("timeline", "photos")
    messages = Message.objects.filter(submitted_by=person).select_related(*related).prefetch_related("timeline")
    service_requests = ServiceRequest.objects.filter(submitted_by=person).select_related(*related).prefetch_related("timeline")
    return {
        "defect_notifications": [
            {
                **_common(defect),
                "category": defect.category,
                "location": defect.location,
                "location_details": defect.location_details,
                "description": defect.description,
                "master_key_allowed": defect.master_key_allowed,
                "has_pets": defect.has_pets,
                "pets_details": defect.pets_details,
                # The photos themselves are downloaded from these addresses, after logging in.
                "photos": [reverse("servicerequests:defect_photo", args=[defect.pk, photo.pk]) for photo in defect.photos.all()],
            }
            for defect in defects
        ],
        "messages": [
            {
                **_common(message),
                "category": message.category,
                "subject": message.subject,
                "message": message.body,
                "key_type": message.key_type,
                "key_count": message.key_count,
            }
            for message in messages
        ],
        "service_requests": [
            {**_common(request), "type": request.type, "details": dict(details_for_display(request)) or request.details}
            for request in service_requests
        ],
        "drafts": [
            {"form": draft.form, "saved_at": draft.saved_at, "data": draft.data} for draft in Draft.objects.filter(person=person)
        ],
    }


def files_for_person(person: Person) -> Iterator[tuple[str, FieldFile]]:
    """The photos of the person's own defect notifications, for the photo file of "My data"."""
    for photo in DefectPhoto.objects.filter(defect__submitted_by=person).order_by("defect_id", "pk"):
        yield f"defect-{photo.defect_id}-photo-{photo.pk}.{photo.extension}", photo.image
