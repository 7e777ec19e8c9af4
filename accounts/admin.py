from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from heka_portal.http import staff_user

from . import services
from .models import OfficeIdentification, Registration, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "person", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "groups"]
    search_fields = ["email"]
    raw_id_fields = ["person"]
    list_select_related = ["person"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Resident"), {"fields": ["person", "language"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(OfficeIdentification)
class OfficeIdentificationAdmin(admin.ModelAdmin):
    """STF-2 / ACC-4: a clerk records that a person proved their identity at a regional office.

    The clerk is the staff user who saves the record, and the expiry follows from the time; a saved
    record is not edited (record a new one instead), and one already used cannot be deleted.
    """

    list_display = ["person", "document_type", "office", "clerk", "identified_at", "expires_at", "used_at"]
    list_filter = ["document_type", "office", ("used_at", admin.EmptyFieldListFilter)]
    search_fields = ["person__last_name", "person__first_names", "email"]
    list_select_related = ["person", "office", "clerk"]
    autocomplete_fields = ["person"]
    date_hierarchy = "identified_at"
    fields = ["person", "document_type", "office", "email", "identified_at", "clerk", "expires_at", "used_at", "account"]
    readonly_fields = ["clerk", "expires_at", "used_at", "account"]

    def get_readonly_fields(self, request: HttpRequest, obj: OfficeIdentification | None = None) -> list[Any]:
        if obj is not None:
            return list(self.fields)
        return list(self.readonly_fields)

    def has_delete_permission(self, request: HttpRequest, obj: OfficeIdentification | None = None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or obj.used_at is None)

    def save_model(self, request: HttpRequest, obj: OfficeIdentification, form: forms.ModelForm, change: bool) -> None:
        if change:
            return
        recorded = services.office_identification_record(
            person=obj.person,
            document_type=obj.document_type,
            office=obj.office,
            clerk=staff_user(request),
            email=obj.email,
            identified_at=obj.identified_at,
        )
        obj.pk = recorded.pk
        obj.clerk = recorded.clerk
        obj.expires_at = recorded.expires_at
        obj.email = recorded.email


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Who registered how and when; read-only, for answering residents' questions."""

    list_display = ["user", "method", "started_at", "activated_at"]
    list_filter = ["method", ("activated_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    readonly_fields = ["user", "method", "office_identification", "started_at", "activated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Registration | None = None) -> bool:
        return False
