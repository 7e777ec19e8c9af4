"""Staff views of housing applications; office identification of applicants (APP-5, STF-2).

Applications come only from applicants, so staff read them here and never edit what an applicant
wrote. An office identification is recorded through the service, which confirms the applicant.
"""

from typing import TYPE_CHECKING

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Applicant, Application

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ApplicantInline(ReadOnlyMixin, admin.TabularInline):
    model = Applicant
    extra = 0
    fields = readonly_fields = ("role", "first_names", "last_name", "birth_date", "email", "status", "office")

    @admin.display(description=_("status"))
    def status(self, applicant: Applicant) -> str:
        return _status(applicant)

    @admin.display(description=_("office identification"))
    def office(self, applicant: Applicant) -> str:
        if applicant.is_confirmed:
            return "—"
        url = reverse("admin:accounts_officeidentification_add") + f"?applicant={applicant.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Record office identification"))


def _status(applicant: Applicant) -> str:
    if applicant.is_confirmed:
        return _("confirmed %(date)s (%(method)s)") % {
            "date": date_format(timezone.localtime(applicant.confirmed_at), "SHORT_DATETIME_FORMAT"),
            "method": applicant.get_identification_method_display(),
        }
    if not applicant.is_adult_on(timezone.localdate()):
        return str(_("under 18, not asked"))
    return str(_("not confirmed"))


class ValidFilter(admin.SimpleListFilter):
    title = _("validity")
    parameter_name = "valid"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, "StrOrPromise"]]:
        return [("yes", _("valid")), ("no", _("waiting for confirmations"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(valid_since__isnull=False)
        if self.value() == "no":
            return queryset.filter(valid_since__isnull=True)
        return queryset


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["application_number", "main_applicant", "apartment_size", "moving_date", "submitted_at", "valid"]
    list_filter = [ValidFilter, "apartment_size"]
    search_fields = ["applicants__last_name", "applicants__first_names", "applicants__email"]
    fields = readonly_fields = (
        "application_number",
        "areas_display",
        "apartment_size",
        "max_rent",
        "moving_date",
        "language",
        "submitted_at",
        "valid_since",
    )
    inlines = [ApplicantInline]
    date_hierarchy = "submitted_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("applicants").distinct()

    @admin.display(description=_("application number"))
    def application_number(self, application: Application) -> str:
        return application.number

    @admin.display(description=_("applicant"))
    def main_applicant(self, application: Application) -> str:
        return next((str(a) for a in application.applicants.all() if a.is_main), "")

    @admin.display(description=_("valid"), boolean=True)
    def valid(self, application: Application) -> bool:
        return application.is_valid

    @admin.display(description=_("wanted areas"))
    def areas_display(self, application: Application) -> str:
        return ", ".join(application.area_labels())


@admin.register(Applicant)
class ApplicantAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["last_name", "first_names", "birth_date", "role", "application", "confirmed_at"]
    list_filter = ["role", "identification_method"]
    search_fields = ["last_name", "first_names", "email"]
    fields = readonly_fields = (
        "application",
        "role",
        "first_names",
        "last_name",
        "birth_date",
        "email",
        "identification_method",
        "identified_at",
        "confirmed_at",
    )
    list_select_related = ["application"]
