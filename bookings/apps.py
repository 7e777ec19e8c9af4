from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = _("Sauna and parking")

    def ready(self) -> None:
        from heka_portal import registry

        registry.demo_seeder("bookings", "bookings.demo.populate", order=20)
