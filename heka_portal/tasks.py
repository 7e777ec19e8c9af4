import logging
from importlib import import_module

from celery import shared_task
from django.conf import settings

from . import outbox

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=10,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=12,
)
def outbox_send(self, email_id: int) -> bool:
    if self.request.is_eager:
        # Run in-process (a laptop without a broker): retrying at once inside the request would only
        # hold the page; the e-mail stays pending for the relay instead.
        try:
            return outbox.outbox_send(email_id=email_id)
        except Exception:
            logger.warning("Outbox e-mail %s failed in-process; left pending for the relay", email_id)
            return False
    return outbox.outbox_send(email_id=email_id)


# Retried as outbox_send is: with backoff from about ten seconds up to ten minutes apart.
@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=10,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=12,
)
def outbox_send_batch(self, email_ids: list[int]) -> int:
    """A batch of `email_enqueue_many` or the relay: ids only, never an address or a link (NTF-10)."""
    if self.request.is_eager:
        try:
            return outbox.outbox_send_batch(email_ids=email_ids)
        except Exception:
            logger.warning("Outbox batch of %s failed in-process; left pending for the relay", len(email_ids))
            return 0
    return outbox.outbox_send_batch(email_ids=email_ids)


@shared_task(acks_late=True)
def outbox_relay() -> int:
    return outbox.outbox_relay()


@shared_task(acks_late=True)
def sessions_clear() -> None:
    """Expired sessions are deleted every night; Django keeps them in the table until asked to."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
