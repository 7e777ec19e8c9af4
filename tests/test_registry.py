"""Apps add dashboard panels and demo data through heka_portal.registry; tenancy names none of them (TEN-1)."""

import ast
from pathlib import Path

import pytest

from heka_portal import registry
from tests.tenancy.pages import login

OTHER_APPS = ("servicerequests", "bookings", "applications", "documents", "accounts")


@pytest.fixture
def extra_panel(monkeypatch):
    monkeypatch.setattr(registry, "_panels", dict(registry._panels))
    seen = []

    def context(access):
        seen.append(access.person)
        return {"greeting": f"Panel for {access.person.first_names}"} if access.is_main_tenant else None

    registry.dashboard_panel("test", template="tests/panel.html", context=context, order=10)
    return seen


def test_a_registered_panel_is_shown_to_whom_its_context_allows_TEN_1(client, household, extra_panel, settings, tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "panel.html").write_text("<section>{{ greeting }} ({{ request.access.person.last_name }})</section>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]

    login(client, household.main_tenant)
    client.cookies["django_language"] = "en"
    body = client.get("/dashboard/").content.decode()
    assert "<section>Panel for Maija (Virtanen)</section>" in body
    assert body.index("Panel for Maija") < body.index("Your requests to Heka"), "panels in their order"

    client.logout()
    login(client, household.family_member)
    assert "Panel for" not in client.get("/dashboard/").content.decode()
    assert extra_panel == [household.main_tenant, household.family_member]


def test_the_apps_register_their_panel_and_demo_data():
    assert [panel.name for panel in registry.dashboard_panels()] == ["overdue_invoices", "notifications", "servicerequests"]
    assert [panel.name for panel in registry.building_panels()] == ["documents"]
    assert [seeder.path for seeder in registry.demo_seeders()] == [
        "documents.demo.populate",
        "bookings.demo.populate",
        "applications.demo.populate",
        "notifications.demo.populate",
    ]


def test_tenancy_imports_no_other_app_of_the_portal():
    """The shell (dashboard, demo data) reaches the other apps only through the registry."""
    for path in Path("tenancy").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in OTHER_APPS[:4], f"{path} imports {name}"
