from celery import shared_task
from django.conf import settings

from . import services


@shared_task(acks_late=True, time_limit=3600, soft_time_limit=3300)
def retention_apply() -> int:
    """OPS-8, every night (beat): returns the id of the run's record."""
    return services.retention_apply(dry_run=settings.HEKA_RETENTION_DRY_RUN).pk
