from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceRequestsConfig(AppConfig):
    name = "servicerequests"
    verbose_name = _("Requests to Heka")

    def ready(self) -> None:
        from heka_portal import registry

        from .selectors import dashboard_panel_context

        registry.dashboard_panel(
            "servicerequests",
            template="servicerequests/includes/dashboard_panel.html",
            context=dashboard_panel_context,
            order=20,
        )
