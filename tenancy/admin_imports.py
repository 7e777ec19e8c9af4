"""The register import in the admin (STF-5): upload, dry run, confirm, progress, history."""

import csv
import io
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.decorators import method_decorator
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from heka_portal.http import download_response

from .importer import COUNTED, STAGES
from .importer.history import (
    errors_of,
    max_bytes,
    register_import_confirm,
    register_import_stage,
    register_import_upload,
)
from .models import (
    AgreementParty,
    Apartment,
    Building,
    Guardianship,
    Invoice,
    Occupancy,
    Payment,
    Person,
    RegionOffice,
    RegisterImport,
    RentalAgreement,
)

# The page shows this many bad rows; all of them are in the CSV download.
ERRORS_ON_PAGE = 1000

# Each section under the name the admin gives its rows.
SECTION_MODELS = {
    "region_offices": RegionOffice,
    "buildings": Building,
    "apartments": Apartment,
    "persons": Person,
    "agreements": RentalAgreement,
    "agreement_parties": AgreementParty,
    "occupancies": Occupancy,
    "guardianships": Guardianship,
    "invoices": Invoice,
    "payments": Payment,
}
STAGE_NAMES = {
    "reading": _("Reading the file"),
    "comparing": _("Comparing with the register"),
    "checking": _("Checking the rows"),
    "writing": _("Writing the changes"),
}


class RegisterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("register file (JSON)"),
        help_text=_("The ERP system's export in the format of docs/register-import.md. Nothing is changed before you confirm."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(
                _("The file is too large (at most %(limit)s)."), params={"limit": filesizeformat(max_bytes())}
            )
        return upload


@admin.register(RegisterImport)
class RegisterImportAdmin(admin.ModelAdmin):
    """The kept history of imports; a new one is an upload, and no import is ever edited."""

    list_display = ["uploaded_at", "file_name", "uploaded_by", "source", "status", "error_count", "finished_at"]
    list_filter = ["status", "source"]
    list_select_related = ["uploaded_by"]
    date_hierarchy = "uploaded_at"
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).defer("content", "errors")

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        info = (self.opts.app_label, self.opts.model_name)
        own = [
            path("<int:pk>/confirm/", self.admin_site.admin_view(self.confirm_view), name="{}_{}_confirm".format(*info)),
            path("<int:pk>/errors.csv", self.admin_site.admin_view(self.errors_view), name="{}_{}_errors".format(*info)),
        ]
        return own + super().get_urls()

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: dict | None = None) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = RegisterUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            record = register_import_upload(file_name=upload.name, content=upload.read(), user=request.user)
            return redirect("admin:tenancy_registerimport_change", record.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Import the tenancy register"),
            "form": form,
            "max_size": max_bytes(),
        }
        return TemplateResponse(request, "admin/tenancy/registerimport_upload.html", context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        record = self._get(request, object_id)
        errors = errors_of(record)
        counts = record.counts if record.status == RegisterImport.Status.APPLIED else record.dry_run_counts
        stage = register_import_stage(register_import=record) if record.is_running else ""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(record),
            "original": record,
            "record": record,
            "errors": errors[:ERRORS_ON_PAGE],
            "errors_left_out": max(0, len(errors) - ERRORS_ON_PAGE),
            "rows": _count_rows(counts),
            "stages": [(STAGE_NAMES[name], index < _stage_index(stage), name == stage) for index, name in enumerate(STAGES)],
            "stage_number": _stage_index(stage) + 1 if stage else 0,
            "stage_count": len(STAGES),
            "may_confirm": record.status == RegisterImport.Status.CHECKED
            and record.source == RegisterImport.Source.ADMIN
            and self.has_add_permission(request),
        }
        return TemplateResponse(request, "admin/tenancy/registerimport_detail.html", context)

    @method_decorator(require_POST)
    def confirm_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        record = self._get(request, str(pk))
        if register_import_confirm(register_import=record, user=request.user):
            record.refresh_from_db(fields=["status"])
            if record.status == RegisterImport.Status.APPLIED:
                messages.success(request, gettext("The register was updated from the file."))
        else:
            messages.warning(request, gettext("This import was not waiting for confirmation; nothing was done again."))
        return HttpResponseRedirect(reverse("admin:tenancy_registerimport_change", args=[pk]))

    def errors_view(self, request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
        record = self._get(request, str(pk))
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([gettext("section"), gettext("row"), gettext("key"), gettext("field"), gettext("message")])
        for error in errors_of(record):
            writer.writerow([error.section, error.row or "", error.key, error.field, error.message])
        return download_response(
            out.getvalue().encode("utf-8-sig"), filename=f"register-import-{record.pk}-errors.csv", content_type="text/csv"
        )

    def _get(self, request: HttpRequest, object_id: str) -> RegisterImport:
        if not self.has_view_permission(request):
            raise PermissionDenied
        record = (
            RegisterImport.objects.defer("content").select_related("uploaded_by", "confirmed_by").filter(pk=object_id).first()
        )
        if record is None:
            raise Http404
        return record


def _stage_index(stage: str) -> int:
    return STAGES.index(stage) if stage in STAGES else -1


def _count_rows(counts: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    return [
        {"name": capfirst(SECTION_MODELS[section]._meta.verbose_name_plural), **counts[section]}
        for section in COUNTED
        if section in counts
    ]
