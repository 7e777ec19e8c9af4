from celery import shared_task

from . import outages


@shared_task(
    acks_late=True, autoretry_for=(Exception,), retry_backoff=10, retry_backoff_max=600, retry_jitter=True, max_retries=12
)
def outage_notify(outage_id: int, version: int) -> int:
    return outages.outage_notice_send(outage_id=outage_id, version=version)
