from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import services
from .forms import OfficeIdentificationAdminForm
from .models import OfficeIdentification, Registration, User

# The advisory office where housing applicants are identified (APP-5); HEKA_APPLICATION_OFFICE overrides it.
DEFAULT_APPLICATION_OFFICE = "Työpajankatu 8, Helsinki"


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


OFFICE_IDENTIFICATION_FIELDS = [
    "person",
    "applicant",
    "document_type",
    "identity_code",
    "office",
    "office_name",
    "email",
    "identified_at",
    "clerk",
    "expires_at",
    "used_at",
    "account",
]
# Set by the service from who records it and when, never typed in.
OFFICE_IDENTIFICATION_SET = ["clerk", "expires_at", "used_at", "account"]


@admin.register(OfficeIdentification)
class OfficeIdentificationAdmin(admin.ModelAdmin):
    """STF-7 (ACC-4, APP-5, STF-2): the one place a clerk records that someone proved their
    identity at an office, for registering, for confirming an application, or for both.

    The clerk is the staff user who saves the record, and the expiry follows from the time; a saved
    record is not edited (record a new one instead), except the e-mail an applicant gave for a user
    name, and one already used, or one that confirmed an application, cannot be deleted.
    """

    form = OfficeIdentificationAdminForm
    list_display = ["__str__", "person", "applicant", "document_type", "office", "clerk", "identified_at", "used_at"]
    list_filter = ["document_type", "office", ("used_at", admin.EmptyFieldListFilter), ("applicant", admin.EmptyFieldListFilter)]
    search_fields = ["person__last_name", "person__first_names", "applicant__last_name", "applicant__first_names", "email"]
    list_select_related = ["person", "applicant", "office", "clerk"]
    autocomplete_fields = ["person", "applicant"]
    date_hierarchy = "identified_at"
    readonly_fields = OFFICE_IDENTIFICATION_SET

    def get_fields(self, request: HttpRequest, obj: OfficeIdentification | None = None) -> Any:
        if obj is not None:
            return [name for name in OFFICE_IDENTIFICATION_FIELDS if name != "identity_code"]
        return [name for name in OFFICE_IDENTIFICATION_FIELDS if name not in OFFICE_IDENTIFICATION_SET]

    def get_readonly_fields(self, request: HttpRequest, obj: OfficeIdentification | None = None) -> list[Any]:
        if obj is not None:
            editable = ["email"] if obj.applicant_id and obj.account_id is None else []
            return [name for name in self.get_fields(request, obj) if name not in editable]
        return list(self.readonly_fields)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is not None:
            kwargs["form"] = forms.ModelForm
        return super().get_form(request, obj, change, **kwargs)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        initial: dict[str, Any] = dict(super().get_changeform_initial_data(request))
        initial.setdefault("identified_at", timezone.now())
        if "applicant" in initial:
            initial.setdefault("office_name", getattr(settings, "HEKA_APPLICATION_OFFICE", DEFAULT_APPLICATION_OFFICE))
        return initial

    def has_delete_permission(self, request: HttpRequest, obj: OfficeIdentification | None = None) -> bool:
        # An applicant's confirmation stands; a mistake is corrected by customer service, not by deleting.
        return super().has_delete_permission(request, obj) and (obj is None or (obj.used_at is None and obj.applicant_id is None))

    def save_model(self, request: HttpRequest, obj: OfficeIdentification, form: Any, change: bool) -> None:
        if change:
            obj.email = User.objects.normalize_email(obj.email)
            obj.save(update_fields=["email"])
            return
        if not isinstance(request.user, User):
            raise RuntimeError("unexpected request.user")
        data = form.cleaned_data
        # The form has checked the identity code against the applicant, so the service accepts it.
        recorded = services.office_identification_record(
            person=data.get("person"),
            applicant=data.get("applicant"),
            identity_code=data.get("identity_code", ""),
            document_type=data["document_type"],
            office=data.get("office") or data.get("office_name", ""),
            clerk=request.user,
            email=data.get("email", ""),
            identified_at=data["identified_at"],
        )
        obj.pk = recorded.pk
        obj.clerk = recorded.clerk
        obj.expires_at = recorded.expires_at
        obj.email = recorded.email
        if recorded.applicant_id:
            messages.success(request, _("The applicant's identification is recorded and counts as their confirmation."))


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
