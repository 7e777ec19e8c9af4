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


def email_opt_outs(person: Person) -> set[str]:
    return set(EmailPreference.objects.filter(person=person).values_list("kind", flat=True))


def dashboard_panel_context(access: Access) -> dict:
    """NTF-2, NTF-8: the outages of the person's buildings (one query, and one for their buildings
    when there are any); the unread count is the navigation's (notifications.context_processors)."""
    outages: list[Outage] = list(outages_current_for(access.building_ids()))
    return {"outages": outages}
