from django.contrib import admin

from .models import OutboxEmail


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    """Read-only: staff see what went out and what is waiting, never a token or link."""

    list_display = ["created_at", "template", "to", "status", "attempts", "sent_at"]
    list_filter = ["status", "template"]
    search_fields = ["to"]
    fields = ["created_at", "template", "to", "language", "status", "attempts", "last_error", "queued_at", "sent_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
