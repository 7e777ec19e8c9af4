"""Staff queues for requests to Heka (STF-1): oldest first, filtered by status, region office and
type. Staff change the status and reply; both go through the services, so the resident sees
them on the timeline and a reply e-mails the resident. What the resident wrote stays as written."""

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from heka_portal.admin_lists import LargeListAdmin
from heka_portal.http import staff_user

from . import services
from .forms.service import details_for_display
from .models import Defect, DefectPhoto, HandlingTime, Message, ResidentRequest, ServiceRequest, TimelineEntry
from .models.base import QUEUE_ORDERING, QueueRank
from .views import photo_response


class RequestAdminForm(forms.ModelForm):
    reply = forms.CharField(
        label=_("Reply to the resident"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Shown on the resident's timeline. The resident gets an e-mail, in their language, saying that Heka has replied."
        ),
    )

    class Meta:
        fields = ["status"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "status" in self.fields:
            status_field = cast(forms.ChoiceField, self.fields["status"])
            status_field.choices = [(status.value, status.label) for status in self._meta.model.STATUSES]
            self.fields["status"].help_text = _("The resident sees every change of status on their timeline.")


class TimelineInline(admin.TabularInline):
    model = TimelineEntry
    fk_name = "request"
    extra = 0
    can_delete = False
    fields = readonly_fields = ("created_at", "kind", "status", "text", "author", "read_at")
    verbose_name_plural = _("timeline seen by the resident")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Each row is titled with its request and shows its author.
        return super().get_queryset(request).select_related("request", "author")

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class OverdueFilter(admin.SimpleListFilter):
    """NTF-6: open requests past their due date, or those still within it."""

    title = _("handling time")
    parameter_name = "handling"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("overdue", gettext("Past the due date")), ("on_time", gettext("Open, within the handling time"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        still_open = Q(queue_rank__lt=QueueRank.HANDLED)
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.filter(still_open, due_on__lt=today)
        if self.value() == "on_time":
            return queryset.filter(still_open, due_on__gte=today)
        return queryset


class RequestAdmin(LargeListAdmin):
    """The queue of one kind of request (STF-1, SRQ-3, NTF-6): reopened ones first, then the other
    open ones by due date, so the overdue come first, then the handled. The order is that of the
    kind's queue index (`<kind>_queue_idx`), which the kind's condition on the queryset lets the
    database use."""

    form = RequestAdminForm
    inlines = [TimelineInline]
    ordering = tuple(QUEUE_ORDERING)
    kind: str
    list_select_related = ["apartment__building__region", "submitted_by"]
    search_model = ResidentRequest
    exact_search_fields = ["id"]
    prefix_search_fields = ["submitted_by__last_name"]
    apartment_search_field = "apartment"
    search_help_text = _(
        "The request's number, the beginning of the sender's last name, a building code, or an address with the apartment."
    )
    list_per_page = 50
    resident_fields: list[str] = []

    handling_fields = ["due", "status", "reply"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).filter(kind=self.kind)

    def _all(self) -> QuerySet:
        # What a search finds is of the queue's kind already, which tells the database how few they are.
        return super()._all().filter(kind=self.kind)

    def get_list_display(self, request: HttpRequest) -> tuple[str, ...]:
        return ("created_at", "due", "status", "__str__", "apartment", "region", "submitted_by")

    def get_fieldsets(self, request: HttpRequest, obj: Model | None = None) -> list:
        common = ["submitted_by", "on_behalf_of", "apartment", "region", "created_at"]
        return [
            (_("Sent by"), {"fields": common}),
            (_("What the resident wrote"), {"fields": self.resident_fields}),
            (_("Handling"), {"fields": self.handling_fields}),
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        readonly = ["submitted_by", "on_behalf_of", "apartment", "region", "created_at", *self.resident_fields]
        return readonly + [name for name in self.handling_fields if name not in ("status", "reply")]

    @admin.display(description=_("due"), ordering="due_on")
    def due(self, obj: ResidentRequest) -> str:
        due_on = date_format(obj.due_on, "SHORT_DATE_FORMAT")
        if obj.is_overdue:
            return format_html('<strong class="overdue">{} ({})</strong>', due_on, _("overdue"))
        return due_on

    @admin.display(description=_("region office"), ordering="apartment__building__region__name")
    def region(self, obj: ResidentRequest) -> str:
        return str(obj.apartment.building.region)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ResidentRequest, form: forms.ModelForm, change: bool) -> None:
        # The form has already put the chosen status on `obj`; the services decide what it means.
        chosen = form.cleaned_data.get("status", obj.status)
        obj.status = form.initial.get("status", obj.status)
        if form.cleaned_data.get("reply", "").strip():
            services.request_reply(request=obj, text=form.cleaned_data["reply"], staff_user=staff_user(request))
        if "status" in form.changed_data:
            services.request_change_status(request=obj, status=chosen, staff_user=staff_user(request))


@admin.register(Defect)
class DefectAdmin(RequestAdmin):
    kind = ResidentRequest.Kind.DEFECT
    list_filter = [OverdueFilter, "status", "apartment__building__region", "category", "master_key_allowed", "created_at"]
    handling_fields = ["due", "status", "reply", "reopened_count", "rating", "confirmed_at"]
    resident_fields = [
        "category",
        "location",
        "location_details",
        "description",
        "master_key_allowed",
        "has_pets",
        "pets_details",
        "photo_thumbnails",
    ]

    def get_list_display(self, request: HttpRequest) -> tuple[str, ...]:
        return (
            "created_at",
            "due",
            "status",
            "reopened_count",
            "rating",
            "category",
            "apartment",
            "region",
            "submitted_by",
            "master_key_allowed",
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("photos")

    @admin.display(description=_("photos"))
    def photo_thumbnails(self, obj: Defect) -> str:
        photos = list(obj.photos.all())
        if not photos:
            return str(_("No photos"))
        return format_html_join(
            " ",
            '<a href="{0}" target="_blank" rel="noopener"><img src="{0}" alt="{1}" width="160"></a>',
            (
                (
                    reverse("admin:servicerequests_defect_photo", args=[obj.pk, photo.pk]),
                    _("Photo %(number)d") % {"number": number},
                )
                for number, photo in enumerate(photos, start=1)
            ),
        )

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<int:defect_pk>/photos/<int:photo_pk>/",
                self.admin_site.admin_view(self.photo_view),
                name="servicerequests_defect_photo",
            )
        ]
        return own + super().get_urls()

    def photo_view(self, request: HttpRequest, defect_pk: int, photo_pk: int) -> HttpResponse | FileResponse:
        """X-8: staff see a defect's photo only with the right to view the defect."""
        defect = get_object_or_404(Defect, pk=defect_pk)
        if not self.has_view_permission(request, defect):
            raise PermissionDenied
        photo = get_object_or_404(DefectPhoto, pk=photo_pk, defect=defect)
        return photo_response(photo)


@admin.register(Message)
class MessageAdmin(RequestAdmin):
    kind = ResidentRequest.Kind.MESSAGE
    list_filter = [OverdueFilter, "status", "apartment__building__region", "category", "key_type", "created_at"]
    resident_fields = ["category", "subject", "body", "key_type", "key_count"]

    def get_list_display(self, request: HttpRequest) -> tuple[str, ...]:
        return ("created_at", "due", "status", "subject", "category", "key_order", "apartment", "region", "submitted_by")

    @admin.display(description=_("key order"))
    def key_order(self, obj: Message) -> str:
        return f"{obj.get_key_type_display()}: {obj.key_count}" if obj.is_key_order else ""


@admin.register(ServiceRequest)
class ServiceRequestAdmin(RequestAdmin):
    kind = ResidentRequest.Kind.SERVICE_REQUEST
    list_filter = [OverdueFilter, "status", "apartment__building__region", "type", "created_at"]
    resident_fields = ["type", "details_display"]

    def get_list_display(self, request: HttpRequest) -> tuple[str, ...]:
        return ("created_at", "due", "status", "type", "apartment", "region", "submitted_by")

    @admin.display(description=_("details"))
    def details_display(self, obj: ServiceRequest) -> str:
        lines = details_for_display(obj)
        if not lines:
            return ""
        return format_html("<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd>{}</dd>", lines))


@admin.register(HandlingTime)
class HandlingTimeAdmin(admin.ModelAdmin):
    """NTF-6: staff set the expected handling time of each request type. A change applies to
    requests sent after it; those already sent keep the date the resident was given."""

    list_display = ["request_type", "days"]
    list_editable = ["days"]
    fields = ["request_type", "days"]

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return ["request_type"] if obj else []

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
