from django.apps import apps
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import RetentionRun


def _kind_label(kind: str) -> str:
    """ "servicerequests.Defect" as staff read it: the model's name in their language."""
    label, anonymised, _rest = kind.partition(" (anonymised)")
    try:
        name = str(apps.get_model(label)._meta.verbose_name_plural)
    except (LookupError, ValueError):
        name = label
    if anonymised:
        return "{} ({})".format(name, _("anonymised"))
    return name


@admin.register(RetentionRun)
class RetentionRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "dry_run", "tenancy_ended_before", "persons", "finished_at"]
    list_filter = ["dry_run"]
    fields = readonly_fields = ("started_at", "finished_at", "dry_run", "tenancy_ended_before", "persons", "removed")
    show_full_result_count = False

    @admin.display(description=_("removed, by kind"))
    def removed(self, run: RetentionRun) -> str:
        return "; ".join(f"{_kind_label(kind)}: {count}" for kind, count in sorted(run.counts.items())) or "—"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: RetentionRun | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: RetentionRun | None = None) -> bool:
        return False
