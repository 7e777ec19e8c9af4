from celery import shared_task
from django.db import OperationalError

from .importer.history import register_import_run


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=10,
    retry_jitter=True,
    max_retries=3,
    # A whole register (~100,000 persons) takes well under a minute; the default limit is for e-mails.
    time_limit=1800,
    soft_time_limit=1700,
)
def register_import_run_task(import_id: int) -> None:
    """STF-5: the dry run or the application of a large register file."""
    register_import_run(import_id=import_id)
