"""The resident's calendar feed link (NTF-9)."""

import secrets

from django.db import transaction
from django.utils import timezone

from tenancy.models import Person

from ..models import CalendarFeed


@transaction.atomic
def calendar_feed_renew(*, person: Person) -> CalendarFeed:
    """Give the person a calendar feed link, or a new one: a new key revokes every earlier link."""
    feed, _created = CalendarFeed.objects.update_or_create(
        person=person, defaults={"key": secrets.token_urlsafe(32), "renewed_at": timezone.now()}
    )
    return feed
