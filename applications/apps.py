from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Housing applications")

    def ready(self) -> None:
        # The outbox worker builds the e-mailed links by name; registering them needs this import.
        from heka_portal import registry

        from . import links  # noqa: F401

        registry.demo_seeder("applications", "applications.demo.populate", order=30)
