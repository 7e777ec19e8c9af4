"""Outage notices for staff (NTF-8). Saving publishes (or updates) the notice and "Mark resolved"
ends it; both go through notifications.outages, which tells every affected resident once."""

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import Outage
from .outages import outage_publish, outage_resolve


class OutageForm(forms.ModelForm):
    class Meta:
        model = Outage
        fields = [
            "planned",
            "utility",
            "buildings",
            "starts_at",
            "expected_end_at",
            "description",
            "description_sv",
            "description_en",
        ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if "buildings" in self.fields:
            self.fields["buildings"].error_messages["required"] = _("Choose at least one building the outage concerns.")

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("expected_end_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("expected_end_at", _("The expected end must be after the start."))
        if "buildings" in cleaned and not cleaned["buildings"]:
            self.add_error("buildings", _("Choose at least one building the outage concerns."))
        return cleaned


@admin.register(Outage)
class OutageAdmin(admin.ModelAdmin):
    form = OutageForm
    list_display = ["utility", "planned", "starts_at", "expected_end_at", "resolved_at", "version"]
    list_filter = ["utility", "planned", "resolved_at"]
    filter_horizontal = ["buildings"]
    search_fields = ["buildings__street_address", "buildings__name"]
    readonly_fields = ["resolved_at", "version"]
    actions = ["mark_resolved"]

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: list, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # The buildings are saved now: publish the new version and tell the residents.
        if not change or form.changed_data:
            outage_publish(outage=form.instance)
            messages.info(request, _("The residents of the buildings are being told about the outage."))

    @admin.action(description=_("Mark resolved and tell the residents"), permissions=["change"])
    def mark_resolved(self, request: HttpRequest, queryset: QuerySet[Outage]) -> None:
        resolved = sum(outage_resolve(outage=outage) for outage in queryset)
        self.message_user(request, _("%(count)d outage(s) marked resolved.") % {"count": resolved}, messages.SUCCESS)
