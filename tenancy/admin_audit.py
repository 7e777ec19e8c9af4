"""Staff views of a person's identity code and bank account, each logged without the value (X-7, STF-3)."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _

from heka_portal.http import no_store, staff_user

from . import hetu as hetu_codes
from .models import Person, PersonalDataAccess
from .services import personal_data_access_record

VIEW_IDENTITY_CODE = "tenancy.view_identity_code"


class PersonalDataAuditMixin(admin.ModelAdmin):
    """For the Person admin: a staff member with `tenancy.view_identity_code` sees the full
    identity code once per press of "Show identity code" (a POST), and every rendering of the
    change page that shows a full bank account number is logged."""

    change_form_template = "admin/tenancy/person_change_form.html"

    def get_urls(self) -> list[URLPattern]:
        info = (self.opts.app_label, self.opts.model_name)
        own = [
            path(
                "<path:object_id>/identity-code/",
                self.admin_site.admin_view(self.identity_code_view),
                name="{}_{}_identity_code".format(*info),
            )
        ]
        return own + super().get_urls()

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        extra_context = {**(extra_context or {}), "may_view_identity_code": request.user.has_perm(VIEW_IDENTITY_CODE)}
        response = super().change_view(request, object_id, form_url, extra_context)
        person = getattr(response, "context_data", {}).get("original") if response.status_code == 200 else None
        if isinstance(person, Person) and person.iban:
            personal_data_access_record(staff_user=staff_user(request), person=person, what=PersonalDataAccess.What.BANK_ACCOUNT)
            response = no_store(response)
        return response

    def identity_code_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        person = self.get_object(request, unquote(object_id))
        if person is None:
            raise Http404
        if not (self.has_view_or_change_permission(request, person) and request.user.has_perm(VIEW_IDENTITY_CODE)):
            raise PermissionDenied
        change_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[person.pk])
        if not person.hetu_encrypted:
            messages.warning(request, _("No identity code is recorded for this person."))
            return redirect(change_url)
        try:
            code = hetu_codes.decrypt(person.hetu_encrypted)
        except ValueError:
            messages.error(request, _("The identity code cannot be shown: it was stored with another key."))
            return redirect(change_url)
        personal_data_access_record(staff_user=staff_user(request), person=person, what=PersonalDataAccess.What.IDENTITY_CODE)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": person,
            "identity_code": code,
            "change_url": change_url,
            "title": _("Identity code of %(name)s") % {"name": person.full_name},
        }
        return no_store(TemplateResponse(request, "admin/tenancy/person_identity_code.html", context))


class ReadOnlyAuditAdmin(admin.ModelAdmin):
    """The access log is written by the portal only; nobody adds, edits or deletes a row."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
