"""Reads of requests to Heka. SRQ-4: a resident sees only what they themselves sent, also when
others share the agreement; a guardian sees what they sent for a ward. Anything else is a 404."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tenancy.access import Access
from tenancy.models import Person

from .forms.common import Home
from .models import Defect, DefectPhoto, Draft, Message, ResidentRequest, ServiceRequest, TimelineEntry
from .models.base import OPEN_STATUSES

DASHBOARD_OPEN_REQUESTS = 10
DRAFT_MAX_AGE_DAYS = 30

UNREAD_REPLIES = Count("timeline", filter=Q(timeline__kind=TimelineEntry.Kind.REPLY, timeline__read_at=None))


def homes_for(access: Access) -> list[Home]:
    """Every apartment the person may report a defect or send a message about (SRQ-1, SRQ-2): their
    own homes and their wards', each with whose rights the request is sent."""
    homes: dict[str, Home] = {}
    for grant in access.resident_grants():
        home = Home(grant.apartment, grant.holder, grant.via_guardian, grant.agreement)
        homes.setdefault(home.key, home)
    return list(homes.values())


def main_tenant_homes_for(access: Access) -> list[Home]:
    """The apartments of the agreements the person may act on as a main tenant, for service
    requests (SRQ-5): `Access.main_tenancies`, a ward's agreement included (TEN-10)."""
    return [
        Home(tenancy.agreement.apartment, tenancy.holder, tenancy.via_guardian, tenancy.agreement)
        for tenancy in access.main_tenancies()
    ]


def requests_for(person: Person) -> QuerySet[ResidentRequest]:
    return ResidentRequest.objects.filter(submitted_by=person)


OwnRequest = TypeVar("OwnRequest", Defect, Message, ServiceRequest)


def _sent_by(model: type[OwnRequest], person: Person) -> QuerySet[OwnRequest]:
    """SRQ-4: what `person` sent of one kind, newest first, with the count of unread replies."""
    return (
        model.objects.filter(submitted_by=person)
        .select_related("apartment__building", "on_behalf_of")
        .annotate(unread_replies=UNREAD_REPLIES)
        .order_by("-created_at", "-pk")
    )


def defects_for(person: Person) -> QuerySet[Defect]:
    return _sent_by(Defect, person)


def messages_for(person: Person) -> QuerySet[Message]:
    return _sent_by(Message, person)


def service_requests_for(person: Person) -> QuerySet[ServiceRequest]:
    return _sent_by(ServiceRequest, person)


def defect_get_for(person: Person, pk: int) -> Defect:
    return get_object_or_404(defects_for(person).prefetch_related("photos"), pk=pk)


def message_get_for(person: Person, pk: int) -> Message:
    return get_object_or_404(messages_for(person), pk=pk)


def service_request_get_for(person: Person, pk: int) -> ServiceRequest:
    return get_object_or_404(service_requests_for(person), pk=pk)


def defect_photo_get_for(person: Person, defect_pk: int, pk: int) -> DefectPhoto:
    return get_object_or_404(DefectPhoto, pk=pk, defect_id=defect_pk, defect__submitted_by=person)


def timeline_for(request: ResidentRequest) -> list[TimelineEntry]:
    """What the resident sees of the handling; the staff member's identity stays internal."""
    return list(request.timeline.order_by("created_at", "pk"))


@dataclass(frozen=True)
class DashboardSummary:
    open_requests: Sequence[ResidentRequest]
    open_count: int
    unread_replies: int


def dashboard_summary(*, person: Person) -> DashboardSummary:
    """TEN-1: the person's open requests with their status, and how many replies are unread."""
    mine = requests_for(person)
    open_requests = mine.filter(status__in=OPEN_STATUSES)
    newest = list(
        open_requests.select_related("defect", "message", "servicerequest")
        .annotate(unread_replies=UNREAD_REPLIES)
        .order_by("-created_at", "-pk")[:DASHBOARD_OPEN_REQUESTS]
    )
    counts = mine.aggregate(
        open_count=Count("pk", filter=Q(status__in=OPEN_STATUSES), distinct=True),
        unread=Count("timeline", filter=Q(timeline__kind=TimelineEntry.Kind.REPLY, timeline__read_at=None)),
    )
    return DashboardSummary(newest, counts["open_count"], counts["unread"])


def dashboard_panel_context(access: Access) -> dict[str, DashboardSummary]:
    """The context of this app's dashboard panel (heka_portal.registry): three queries."""
    return {"summary": dashboard_summary(person=access.person)}


def draft_get(*, person: Person, form: str) -> Draft | None:
    """The person's kept draft of `form`; one left untouched for weeks is no longer offered."""
    since = timezone.now() - timedelta(days=DRAFT_MAX_AGE_DAYS)
    return Draft.objects.filter(person=person, form=form, saved_at__gte=since).first()
