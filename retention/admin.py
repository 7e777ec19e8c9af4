from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import RetentionRun


@admin.register(RetentionRun)
class RetentionRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "dry_run", "tenancy_ended_before", "persons", "finished_at"]
    list_filter = ["dry_run"]
    fields = ["started_at", "finished_at", "dry_run", "tenancy_ended_before", "persons", "removed"]
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description=_("removed, by kind"))
    def removed(self, run: RetentionRun) -> str:
        return ", ".join(f"{kind}: {count}" for kind, count in sorted(run.counts.items())) or "—"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: RetentionRun | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: RetentionRun | None = None) -> bool:
        return False
