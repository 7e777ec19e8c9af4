from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from heka_portal.admin_lists import LargeListAdmin

from . import hetu as hetu_codes
from .admin_audit import VIEW_IDENTITY_CODE, PersonalDataAuditMixin, ReadOnlyAuditAdmin
from .models import (
    AgreementParty,
    Apartment,
    Building,
    Bulletin,
    Guardianship,
    Invoice,
    Occupancy,
    OccupantChangeNotice,
    Payment,
    Person,
    PersonalDataAccess,
    RegionOffice,
    RentalAgreement,
    TerminationNotice,
)
from .services import occupant_change_notice_set_status, person_change_bank_account, termination_notice_set_status
from .validators import mask_iban


@admin.register(RegionOffice)
class RegionOfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "street_address", "phone", "email"]
    search_fields = ["name"]


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "street_address", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name", "street_address"]


@admin.register(Apartment)
class ApartmentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "building", "rooms", "area_m2"]
    list_filter = ["building__region"]
    search_fields = ["number", "building__street_address", "building__code"]
    list_select_related = ["building"]
    autocomplete_fields = ["building"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Also for the autocomplete of other forms, which names each apartment by its building.
        return super().get_queryset(request).select_related("building")


class PersonAdminForm(forms.ModelForm):
    hetu = forms.CharField(
        label=capfirst(_("personal identity code")),
        required=False,
        help_text=_("Write-only: the code is stored encrypted and is never shown in lists. Leave empty to keep it."),
    )

    class Meta:
        model = Person
        fields = [
            "first_names",
            "last_name",
            "birth_date",
            "preferred_language",
            "email",
            "phone",
            "street_address",
            "postal_code",
            "city",
            "iban",
            "external_id",
        ]

    def clean_hetu(self) -> str:
        value = self.cleaned_data["hetu"].strip()
        if not value:
            return ""
        code = hetu_codes.normalize(value)
        other = Person.objects.filter(hetu_hash__in=hetu_codes.lookup_hashes(code)).exclude(pk=self.instance.pk)
        if other.exists():
            raise forms.ValidationError(_("Another person already has this identity code."))
        return code

    def save(self, commit: bool = True) -> Person:
        if self.cleaned_data.get("hetu"):
            self.instance.set_hetu(self.cleaned_data["hetu"])
        return super().save(commit=commit)


class IdentityCodeSearchForm(forms.Form):
    code = forms.CharField(label=capfirst(_("personal identity code")), max_length=20)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not hetu_codes.is_valid(code):
            raise forms.ValidationError(_("That is not a valid personal identity code."))
        return hetu_codes.normalize(code)


def _may_set_identity_code(request: HttpRequest) -> bool:
    """The identity code decides whom strong identification finds (ACC-1): only staff trusted to see
    codes (STF-3) may set one, not everyone who may fix a person's contact details."""
    return request.user.has_perm(VIEW_IDENTITY_CODE)


@admin.register(Person)
class PersonAdmin(PersonalDataAuditMixin, LargeListAdmin):
    form = PersonAdminForm
    change_list_template = "admin/tenancy/person_change_list.html"
    list_display = ["last_name", "first_names", "masked_hetu", "email", "masked_iban", "preferred_language"]
    list_filter = ["preferred_language"]
    ordering = ["last_name", "first_names", "pk"]
    exact_search_fields = ["external_id"]
    prefix_search_fields = ["last_name", "first_names", "email"]
    search_help_text = _("The beginning of a name or e-mail address, or the ERP person id.")
    fields = [
        "first_names",
        "last_name",
        "hetu",
        "birth_date",
        "preferred_language",
        "email",
        "phone",
        "street_address",
        "postal_code",
        "city",
        "iban",
        "external_id",
    ]

    def save_model(self, request: HttpRequest, obj: Person, form: forms.ModelForm, change: bool) -> None:
        """A bank account changed by staff is told to the resident as when they change it (TEN-2)."""
        account = obj.accounts.filter(is_active=True).first() if change else None
        if not (account and "iban" in form.changed_data and obj.iban):
            super().save_model(request, obj, form, change)
            return
        new_iban = obj.iban
        obj.iban = form.initial.get("iban", "")
        super().save_model(request, obj, form, change)
        person_change_bank_account(person=obj, iban=new_iban, notify_email=account.email)

    def get_fields(self, request: HttpRequest, obj: Person | None = None) -> list[Any]:
        fields: list[Any] = list(super().get_fields(request, obj))
        return fields if _may_set_identity_code(request) else [name for name in fields if name != "hetu"]

    def get_form(self, request: HttpRequest, obj: Person | None = None, change: bool = False, **kwargs: Any) -> type:
        form = super().get_form(request, obj, change, **kwargs)
        if not _may_set_identity_code(request):
            # A declared form field stays in the form even when it is not shown; drop it so a POST cannot set it.
            form.base_fields.pop("hetu", None)
        return form

    @admin.display(description=_("identity code"))
    def masked_hetu(self, person: Person) -> str:
        return person.hetu_masked()

    @admin.display(description=_("bank account"))
    def masked_iban(self, person: Person) -> str:
        return mask_iban(person.iban) if person.iban else ""

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        # A search is a GET: its words end up in the address, browser history and access logs, where
        # an identity code must never be. Codes are looked up with the POST form instead.
        if hetu_codes.is_valid(search_term.strip()):
            messages.warning(request, _("Identity codes are not searched here. Use “Find by identity code”."))
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)

    def get_urls(self) -> list[URLPattern]:
        info = (self.opts.app_label, self.opts.model_name)
        view = self.admin_site.admin_view(self.find_by_identity_code_view)
        own = [path("find-by-identity-code/", view, name="{}_{}_find_by_identity_code".format(*info))]
        return own + super().get_urls()

    def find_by_identity_code_view(self, request: HttpRequest) -> HttpResponse:
        """STF-3: the person with a whole identity code, found by its keyed hash (X-3) from a POST."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        changelist = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        form = IdentityCodeSearchForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("That is not a valid personal identity code."))
            return redirect(changelist)
        person = self.get_queryset(request).filter(hetu_hash__in=hetu_codes.lookup_hashes(form.cleaned_data["code"])).first()
        if person is None:
            messages.warning(request, _("No person in the register has this identity code."))
            return redirect(changelist)
        return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[person.pk]))


class AgreementPartyInline(admin.TabularInline):
    model = AgreementParty
    extra = 0
    autocomplete_fields = ["person"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Each row is titled with its party's name.
        return super().get_queryset(request).select_related("person")


@admin.register(RentalAgreement)
class RentalAgreementAdmin(LargeListAdmin):
    list_display = ["number", "apartment", "signed_on", "starts_on", "ends_on", "rent"]
    list_filter = ["apartment__building__region", "starts_on"]
    ordering = ["-starts_on", "-pk"]
    exact_search_fields = ["number"]
    prefix_search_fields = ["parties__last_name"]
    apartment_search_field = "apartment"
    search_help_text = _(
        "An agreement number, the beginning of a main tenant's last name, a building code, or an address with the apartment."
    )
    list_select_related = ["apartment__building"]
    autocomplete_fields = ["apartment"]
    inlines = [AgreementPartyInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Also for the autocomplete of other forms, which names each agreement by its apartment.
        return super().get_queryset(request).select_related("apartment__building")


@admin.register(Occupancy)
class OccupancyAdmin(admin.ModelAdmin):
    list_display = ["person", "apartment", "starts_on", "ends_on", "is_sublessee"]
    list_filter = ["is_sublessee", "apartment__building__region"]
    search_fields = ["person__last_name", "apartment__building__street_address"]
    list_select_related = ["person", "apartment__building"]
    autocomplete_fields = ["person", "apartment"]


@admin.register(Guardianship)
class GuardianshipAdmin(admin.ModelAdmin):
    list_display = ["guardian", "ward", "starts_on", "ends_on"]
    search_fields = ["guardian__last_name", "ward__last_name"]
    list_select_related = ["guardian", "ward"]
    autocomplete_fields = ["guardian", "ward"]


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Each row is titled with its invoice's number.
        return super().get_queryset(request).select_related("invoice")


@admin.register(Invoice)
class InvoiceAdmin(LargeListAdmin):
    list_display = ["number", "agreement", "kind", "due_on", "amount", "reference_number"]
    list_filter = ["kind", "due_on"]
    ordering = ["-due_on", "-pk"]
    exact_search_fields = ["reference_number", "number", "agreement__number"]
    search_help_text = _("A reference number, an invoice number or an agreement number, in full.")
    list_select_related = ["agreement__apartment__building"]
    autocomplete_fields = ["agreement"]
    inlines = [PaymentInline]


@admin.register(Payment)
class PaymentAdmin(LargeListAdmin):
    list_display = ["paid_on", "invoice", "amount", "reference_number"]
    list_filter = ["paid_on"]
    ordering = ["-paid_on", "-pk"]
    exact_search_fields = ["invoice__reference_number", "invoice__number"]
    search_help_text = _("The reference number or the number of the invoice paid, in full.")
    list_select_related = ["invoice"]
    autocomplete_fields = ["invoice"]

    @admin.display(description=_("reference number"), ordering="invoice__reference_number")
    def reference_number(self, payment: Payment) -> str:
        return payment.invoice.reference_number


class BulletinAdminForm(forms.ModelForm):
    class Meta:
        model = Bulletin
        fields = [
            "title",
            "body",
            "title_sv",
            "body_sv",
            "title_en",
            "body_en",
            "audience",
            "regions",
            "buildings",
            "published_at",
            "expires_at",
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        audience = cleaned.get("audience")
        if audience == Bulletin.Audience.REGIONS and not cleaned.get("regions"):
            self.add_error("regions", _("Choose at least one region office for this audience."))
        if audience == Bulletin.Audience.BUILDINGS and not cleaned.get("buildings"):
            self.add_error("buildings", _("Choose at least one building for this audience."))
        for language in ("sv", "en"):
            if bool(cleaned.get(f"title_{language}")) != bool(cleaned.get(f"body_{language}")):
                self.add_error(f"body_{language}", _("Give both the title and the text of a translation, or neither."))
        return cleaned


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    """TEN-9: content editors publish bulletins to everyone, region offices or buildings."""

    form = BulletinAdminForm
    list_display = ["title", "audience", "published_at", "expires_at"]
    list_filter = ["audience", "regions"]
    search_fields = ["title", "title_sv", "title_en"]
    date_hierarchy = "published_at"
    filter_horizontal = ["regions"]
    autocomplete_fields = ["buildings"]
    fieldsets = [
        (None, {"fields": ["title", "body"]}),
        (_("Translations"), {"fields": ["title_sv", "body_sv", "title_en", "body_en"]}),
        (_("Audience"), {"fields": ["audience", "regions", "buildings"]}),
        (_("Publishing"), {"fields": ["published_at", "expires_at"]}),
    ]


class ResidentNoticeAdmin(admin.ModelAdmin):
    """A resident's notice: what they wrote stays as written; staff only move its status."""

    list_select_related = ["agreement__apartment__building__region", "submitted_by"]
    list_filter = ["status", "agreement__apartment__building__region"]
    search_fields = ["agreement__number", "submitted_by__last_name", "agreement__apartment__building__street_address"]
    ordering = ["created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [field.name for field in self.model._meta.fields if field.name not in ("id", "status")]

    def save_model(self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool) -> None:
        # The status goes through the service, which tells the resident (NTF-2), never a bare save.
        chosen = form.cleaned_data.get("status", obj.status)
        obj.status = form.initial.get("status", obj.status)
        if "status" in form.changed_data:
            self.set_status(notice=obj, status=chosen)

    def set_status(self, *, notice: Any, status: str) -> bool:
        raise NotImplementedError


@admin.register(OccupantChangeNotice)
class OccupantChangeNoticeAdmin(ResidentNoticeAdmin):
    """TEN-5: notices of moving in or out, oldest first, for updating the register of occupants."""

    list_display = ["created_at", "agreement", "kind", "occupant_name", "moves_on", "status"]
    list_filter = ["status", "kind", "agreement__apartment__building__region"]

    def set_status(self, *, notice: Any, status: str) -> bool:
        return occupant_change_notice_set_status(notice=notice, status=status)


@admin.register(TerminationNotice)
class TerminationNoticeAdmin(ResidentNoticeAdmin):
    """TEN-6: notices of termination, oldest first; customer service confirms or cancels them."""

    list_display = ["created_at", "agreement", "notice_date", "ends_on", "submitted_by", "status"]

    def set_status(self, *, notice: Any, status: str) -> bool:
        return termination_notice_set_status(notice=notice, status=status)


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAuditAdmin):
    """X-7: who saw whose identity code or bank account, and when."""

    list_display = ["at", "staff_user", "person", "what"]
    list_filter = ["what"]
    list_select_related = ["staff_user", "person"]
    search_fields = ["staff_user__email", "person__last_name"]
    date_hierarchy = "at"


from . import admin_imports  # noqa: E402,F401  (STF-5: the register import)
