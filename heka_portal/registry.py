"""Where an app plugs into the portal's shell without the shell naming it: dashboard panels and demo data.

An app contributes from its `AppConfig.ready()`:

    from heka_portal import registry

    class ServiceRequestsConfig(AppConfig):
        def ready(self) -> None:
            from .selectors import dashboard_panel_context

            registry.dashboard_panel(
                "servicerequests",
                template="servicerequests/includes/dashboard_panel.html",
                context=dashboard_panel_context,
                order=20,
            )
            registry.demo_seeder("servicerequests", "servicerequests.demo.populate", order=20)

Dashboard panels (TEN-1): `context(access)` returns the panel template's context for the person
whose `tenancy.access.Access` it is given, or None to leave the panel out for them. The dashboard
renders the panels in `order` (then name) below the person's homes and above the bulletins, each
template with the request, so `request.access` is at hand. A panel runs on every dashboard view:
keep it to a fixed number of queries, however much data the person has.

Demo seeders (`manage.py demo_data`, run by bin/demo): `populate(stdout=...)` adds the app's demo
data once the demo register exists, and adds nothing on a second run. The function is named by its
import path, so a production process never imports demo code. They run in `order` (then name).

Registering a name again replaces the earlier entry, so a `ready()` that runs twice is harmless.
(An app's part of "Download my data" is found by the module convention of `tenancy/export.py`.)
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from io import TextIOBase
from typing import TYPE_CHECKING, Any, TextIO

from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from tenancy.access import Access

PanelContext = Callable[["Access"], Mapping[str, Any] | None]
BuildingPanelContext = Callable[["Access", list[Any]], Mapping[str, Any] | None]


@dataclass(frozen=True)
class DashboardPanel:
    name: str
    template: str
    context: PanelContext
    order: int


@dataclass(frozen=True)
class BuildingPanel:
    name: str
    template: str
    context: BuildingPanelContext
    order: int


@dataclass(frozen=True)
class DemoSeeder:
    name: str
    path: str  # import path of `populate(*, stdout: TextIO | None) -> None`
    order: int

    def populate(self, *, stdout: TextIO | TextIOBase | None = None) -> None:
        import_string(self.path)(stdout=stdout)


_panels: dict[str, DashboardPanel] = {}
_seeders: dict[str, DemoSeeder] = {}
_building_panels: dict[str, BuildingPanel] = {}


def dashboard_panel(name: str, *, template: str, context: PanelContext, order: int = 50) -> None:
    """Add a panel to the resident dashboard (see the module's docstring)."""
    _panels[name] = DashboardPanel(name, template, context, order)


def dashboard_panels() -> list[DashboardPanel]:
    return sorted(_panels.values(), key=lambda panel: (panel.order, panel.name))


def building_panel(name: str, *, template: str, context: BuildingPanelContext, order: int = 50) -> None:
    """Add a panel to each building of "My building" (see the module's docstring)."""
    _building_panels[name] = BuildingPanel(name, template, context, order)


def building_panels() -> list[BuildingPanel]:
    return sorted(_building_panels.values(), key=lambda panel: (panel.order, panel.name))


def demo_seeder(name: str, path: str, *, order: int = 50) -> None:
    """Add an app's demo data to `manage.py demo_data` (see the module's docstring)."""
    _seeders[name] = DemoSeeder(name, path, order)


def demo_seeders() -> list[DemoSeeder]:
    return sorted(_seeders.values(), key=lambda seeder: (seeder.order, seeder.name))
