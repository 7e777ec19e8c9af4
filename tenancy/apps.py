from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "tenancy"
    verbose_name = _("Tenancy register")

    def ready(self) -> None:
        # PRF-1: a kept access decision stops counting when any register row is saved or deleted,
        # whoever writes it (services, the admin, the demo data). Bulk writes, which send no
        # signal, call access_cache.register_changed() themselves.
        from .access_cache import register_row_written
        from .models import REGISTER_MODELS

        for model in REGISTER_MODELS:
            post_save.connect(register_row_written, sender=model, dispatch_uid=f"register-version-save-{model.__name__}")
            post_delete.connect(register_row_written, sender=model, dispatch_uid=f"register-version-delete-{model.__name__}")
