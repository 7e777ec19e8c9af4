from celery import shared_task

from . import outbox


@shared_task(
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=10,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=12,
)
def outbox_send(email_id: int) -> bool:
    return outbox.outbox_send(email_id=email_id)


@shared_task(acks_late=True)
def outbox_relay() -> int:
    return outbox.outbox_relay()
