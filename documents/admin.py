from django.contrib import admin
from django.http import HttpRequest

from .models import Document
from .services import document_save


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """DOC-1: content editors upload building and agreement documents; the save goes through the
    service, which types the file by its content and records who uploaded it."""

    list_display = ["title", "kind", "language", "building", "agreement", "uploaded_at"]
    list_filter = ["kind", "language"]
    search_fields = ["title", "building__code", "building__street_address", "agreement__number"]
    autocomplete_fields = ["building", "agreement"]
    readonly_fields = ["content_type", "uploaded_at", "uploaded_by"]
    list_select_related = ["building", "agreement"]

    def save_model(self, request: HttpRequest, obj: Document, form: object, change: bool) -> None:
        document_save(document=obj, uploaded_by=request.user if request.user.is_authenticated else None)
