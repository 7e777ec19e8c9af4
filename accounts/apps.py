from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # The worker that sends an activation e-mail builds its link; the builder must be registered.
        from . import tokens  # noqa: F401

        # SFI-4: a login's new session key moves the single-logout mapping along.
        from .saml import sessions  # noqa: F401
