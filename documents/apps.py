from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from heka_portal import registry

        from .selectors import building_panel_context

        registry.building_panel("documents", template="documents/includes/building_panel.html", context=building_panel_context)
        registry.demo_seeder("documents", "documents.demo.populate", order=10)
