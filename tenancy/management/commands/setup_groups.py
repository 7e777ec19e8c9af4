"""Create or update the staff groups with least privilege (STF-3).

Each installed app may have a `staff_groups` module with `GROUP_PERMISSIONS`, a dict from group
name to "app_label.codename" strings. The command sets every group's permissions to exactly the
union of those lists, so running it again after an app adds its models (and migrations) grants the
new permissions and takes away any that were added by hand.
"""

from importlib import import_module
from typing import Any

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import module_has_submodule


def wanted_permissions() -> dict[str, set[str]]:
    groups: dict[str, set[str]] = {}
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, "staff_groups"):
            continue
        module = import_module(f"{config.name}.staff_groups")
        for group, permissions in getattr(module, "GROUP_PERMISSIONS", {}).items():
            groups.setdefault(group, set()).update(permissions)
    return groups


class Command(BaseCommand):
    help = "Create or update the staff groups (customer service, office clerk, booking handler, content editor)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--strict", action="store_true", help="Fail when a listed permission does not exist.")

    @transaction.atomic
    def handle(self, *args: Any, strict: bool = False, **options: Any) -> None:
        known = {
            f"{app_label}.{codename}": pk
            for pk, app_label, codename in Permission.objects.values_list("pk", "content_type__app_label", "codename")
        }
        for name, permissions in sorted(wanted_permissions().items()):
            missing = sorted(permissions - known.keys())
            if missing and strict:
                raise CommandError(f"{name}: unknown permissions {', '.join(missing)}; run migrate first.")
            for permission in missing:
                self.stderr.write(f"{name}: skipping unknown permission {permission} (not migrated yet?)")
            group, created = Group.objects.get_or_create(name=name)
            group.permissions.set([known[permission] for permission in permissions if permission in known])
            self.stdout.write(f"{'Created' if created else 'Updated'} {name}: {len(permissions) - len(missing)} permissions")
