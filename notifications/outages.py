"""Outage notices (NTF-8): staff publish, update and resolve; every affected resident is told once
per version, by a task that writes the notifications and e-mails in bulk (notify_many)."""

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from tenancy.models import Person

from .kinds import Kind
from .models import Outage
from .services import About, notify_many

logger = logging.getLogger(__name__)


class OutageError(ValueError):
    pass


def _check(outage: Outage, building_count: int) -> None:
    if outage.expected_end_at <= outage.starts_at:
        raise OutageError("An outage must end after it starts.")
    if building_count == 0:
        raise OutageError("An outage is published for at least one building.")


@transaction.atomic
def outage_publish(*, outage: Outage) -> Outage:
    """Publish a new outage or an update of one (its buildings set): a new version, told once."""
    _check(outage, outage.buildings.count())
    Outage.objects.filter(pk=outage.pk).update(version=F("version") + 1)
    outage.refresh_from_db(fields=["version"])
    _queue_notice(outage)
    return outage


@transaction.atomic
def outage_resolve(*, outage: Outage, at: datetime | None = None) -> bool:
    """Mark the outage over and tell its residents; idempotent (a second call does nothing)."""
    changed = Outage.objects.filter(pk=outage.pk, resolved_at__isnull=True).update(
        resolved_at=at or timezone.now(), version=F("version") + 1, resolved_version=F("version") + 1
    )
    if changed:
        outage.refresh_from_db(fields=["resolved_at", "version", "resolved_version"])
        _queue_notice(outage)
    return bool(changed)


def _queue_notice(outage: Outage) -> None:
    from .tasks import outage_notify

    outage_id, version = outage.pk, outage.version

    def queue() -> None:
        try:
            outage_notify.delay(outage_id, version)
        except Exception as error:  # the broker is down: the relay queues it later
            logger.warning("Outage %s notice could not be queued now (%s)", outage_id, type(error).__name__)

    transaction.on_commit(queue, robust=True)


def residents_of(building_ids: list[int], *, on: datetime | None = None) -> QuerySet[Person]:
    """Everyone who lives in the buildings today: main tenants of agreements in force and the
    occupants and sublessees of the register of occupants."""
    day = timezone.localdate(on) if on else timezone.localdate()
    tenant = (
        Q(party_links__agreement__apartment__building_id__in=building_ids)
        & Q(party_links__agreement__signed_on__lte=day, party_links__agreement__starts_on__lte=day)
        & (Q(party_links__agreement__ends_on__isnull=True) | Q(party_links__agreement__ends_on__gte=day))
    )
    occupant = (
        Q(occupancies__apartment__building_id__in=building_ids)
        & Q(occupancies__starts_on__lte=day)
        & (Q(occupancies__ends_on__isnull=True) | Q(occupancies__ends_on__gte=day))
    )
    return Person.objects.filter(pk__in=Person.objects.filter(tenant | occupant).values("pk"))


def outage_notice_send(*, outage_id: int, version: int) -> int:
    """Tell the residents of the outage's buildings about `version` of it, once each. Returns how
    many were told now (0 when it ran before)."""
    outage = Outage.objects.filter(pk=outage_id).first()
    if outage is None or outage.version < version:
        return 0
    buildings = list(outage.buildings.order_by("street_address"))
    resolved = outage.resolved_version is not None and version >= outage.resolved_version
    params = {
        "utility": outage.utility,
        "planned": outage.planned,
        "version": version,
        "resolved": resolved,
        "resolved_at": outage.resolved_at.isoformat() if resolved and outage.resolved_at else "",
        "starts_at": outage.starts_at.isoformat(),
        "expected_end_at": outage.expected_end_at.isoformat(),
        "buildings": [building.street_address for building in buildings],
        "description": {language: outage.localized_description(language) for language in ("fi", "sv", "en")},
    }
    people = residents_of([building.pk for building in buildings]).only("pk", "first_names", "email", "preferred_language")
    told = notify_many(
        recipients=people.iterator(chunk_size=2000),
        kind=Kind.OUTAGE,
        about=About.of(outage, reference=f"K-{outage.pk}", url_name="dashboard"),
        params=params,
        key_prefix=f"outage-{outage.pk}-{version}",
    )
    logger.info("outage %s version %s: %s resident(s) told", outage.pk, version, told)
    return told


def outages_current_for(building_ids: set[int]) -> QuerySet[Outage]:
    """The outages of the buildings that have not ended: shown on the dashboard (NTF-8)."""
    return (
        Outage.objects.filter(buildings__in=building_ids, resolved_at__isnull=True, expected_end_at__gt=timezone.now())
        .filter(version__gt=0)
        .distinct()
        .order_by("starts_at")
        .prefetch_related("buildings")
    )
