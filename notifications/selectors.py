"""Reads of notifications: a person sees only their own (404 for anyone else's)."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tenancy.access import Access
from tenancy.models import Person

from .models import EmailPreference, Notification, Outage
from .outages import outages_current_for

LIST_LENGTH = 100


def notifications_for(person: Person) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=person)


def notification_get_for(person: Person, pk: int) -> Notification:
    return get_object_or_404(notifications_for(person), pk=pk)


def unread_count(person: Person) -> int:
    """One query on the partial index of unread notifications."""
    return Notification.objects.filter(recipient=person, read_at__isnull=True).count()


def email_opt_outs(person: Person) -> set[str]:
    return set(EmailPreference.objects.filter(person=person).values_list("kind", flat=True))


def dashboard_panel_context(access: Access) -> dict | None:
    """NTF-2, NTF-8: the unread count and the outages of the person's buildings, in two queries."""
    outages: list[Outage] = list(outages_current_for(access.building_ids()))
    unread = unread_count(access.person)
    if not outages and not unread:
        return None
    return {"unread": unread, "outages": outages}
