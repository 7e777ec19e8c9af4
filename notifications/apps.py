from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from heka_portal import registry

        from .selectors import dashboard_panel_context

        registry.dashboard_panel(
            "notifications",
            template="notifications/includes/dashboard_panel.html",
            context=dashboard_panel_context,
            order=10,
        )
        registry.demo_seeder("notifications", "notifications.demo.populate", order=40)
