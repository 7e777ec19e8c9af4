from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "tenancy"
    verbose_name = _("Tenancy register")

    def ready(self) -> None:
        from heka_portal import registry

        from .access_cache import register_row_written
        from .models import REGISTER_MODELS
        from .panels import overdue_panel_context

        # Before every other panel: money overdue is the most pressing thing on the page (PAY-1).
        registry.dashboard_panel(
            "overdue_invoices", template="tenancy/includes/overdue_panel.html", context=overdue_panel_context, order=5
        )

        # PRF-1: a kept access decision stops counting when any register row is saved or deleted,
        # whoever writes it (services, the admin, the demo data). Bulk writes, which send no
        # signal, call access_cache.register_changed() themselves.
        for model in REGISTER_MODELS:
            post_save.connect(register_row_written, sender=model, dispatch_uid=f"register-version-save-{model.__name__}")
            post_delete.connect(register_row_written, sender=model, dispatch_uid=f"register-version-delete-{model.__name__}")
