from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HekaPortalConfig(AppConfig):
    name = "heka_portal"
    # STF-8: the heading of the outbox in the admin's index, in the reader's language.
    verbose_name = _("Resident Portal")

    def ready(self) -> None:
        from celery import signals

        from .ops import metrics, request_id

        # OPS-2: the request id travels with the tasks a request queues; OPS-4: task failures count.
        signals.before_task_publish.connect(request_id.carry_into_task, weak=False, dispatch_uid="heka_request_id_carry")
        signals.task_prerun.connect(request_id.adopt_in_task, weak=False, dispatch_uid="heka_request_id_adopt")
        signals.task_postrun.connect(request_id.forget_in_task, weak=False, dispatch_uid="heka_request_id_forget")
        signals.task_failure.connect(metrics.task_failed, weak=False, dispatch_uid="heka_metrics_task_failed")
        signals.task_retry.connect(metrics.task_retried, weak=False, dispatch_uid="heka_metrics_task_retried")
