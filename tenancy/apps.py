from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "tenancy"
    verbose_name = _("Tenancy register")

    def ready(self) -> None:
        from heka_portal import registry

        from .panels import overdue_panel_context

        # Before every other panel: money overdue is the most pressing thing on the page (PAY-1).
        registry.dashboard_panel(
            "overdue_invoices", template="tenancy/includes/overdue_panel.html", context=overdue_panel_context, order=5
        )
