"""Staff work the booking queue here (STF-1, STF-2): resources, requests oldest first, the
allocation (BKG-4) and the moves between reservation states (BKG-6)."""

from typing import Any

from django.contrib import admin, messages
from django.db import IntegrityError
from django.db.models import Count, Model, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from heka_portal.admin_lists import LargeListAdmin
from heka_portal.http import staff_user

from . import services
from .models import AllocationDecision, AllocationRun, ParkingSpace, Reservation, ReservationItem, SaunaSlot

RUN_ALLOCATION = "bookings.run_allocation"


def _queued_count() -> Count:
    return Count("items", filter=Q(items__reservation__status=Reservation.Status.REQUESTED))


class AllocateMixin(admin.ModelAdmin):
    """The "Run the allocation" action of the resource lists."""

    actions = ["allocate"]
    resource_field = ""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(queued=_queued_count())

    @admin.display(description=_("in the queue"), ordering="queued")
    def queue_length(self, obj: Any) -> int:  # a resource annotated with `queued`
        return obj.queued

    @admin.action(description=_("Run the allocation for the selected resources"), permissions=["run_allocation"])
    def allocate(self, request: HttpRequest, queryset: QuerySet) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        try:
            selected: dict[str, Any] = {self.resource_field: ids}
            run = services.allocation_run(**selected, run_by=staff_user(request))
        except IntegrityError:
            self.message_user(
                request,
                _("The allocation was stopped because a reservation changed at the same time. Nothing was saved; run it again."),
                messages.ERROR,
            )
            return
        url = reverse("admin:bookings_allocationrun_change", args=[run.pk])
        summary = ngettext(
            "%(considered)d request considered, %(granted)d granted.",
            "%(considered)d requests considered, %(granted)d granted.",
            run.considered,
        ) % {"considered": run.considered, "granted": run.granted}
        self.message_user(
            request, format_html('{} <a href="{}">{}</a>', summary, url, _("See why each request got or did not get it."))
        )

    def has_run_allocation_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(RUN_ALLOCATION)


@admin.register(ParkingSpace)
class ParkingSpaceAdmin(AllocateMixin):
    resource_field = "parking_spaces"
    list_display = ["number", "area", "building", "kind", "monthly_fee", "is_bookable", "queue_length"]
    list_filter = ["kind", "is_bookable", "building__region"]
    search_fields = ["number", "area", "building__name", "building__code", "building__street_address"]
    list_select_related = ["building"]
    autocomplete_fields = ["building"]


@admin.register(SaunaSlot)
class SaunaSlotAdmin(AllocateMixin):
    resource_field = "sauna_slots"
    list_display = ["building", "sauna", "weekday", "starts_at", "length_minutes", "monthly_fee", "is_bookable", "queue_length"]
    list_filter = ["weekday", "is_bookable", "building__region"]
    search_fields = ["sauna", "building__name", "building__code", "building__street_address"]
    list_select_related = ["building"]
    autocomplete_fields = ["building"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ReservationItemInline(ReadOnlyInline):
    model = ReservationItem
    fields = readonly_fields = ("parking_space", "sauna_slot", "held_from", "held_until")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("parking_space__building", "sauna_slot__building")


class ReservationDecisionInline(ReadOnlyInline):
    model = AllocationDecision
    fk_name = "reservation"
    fields = readonly_fields = ("decided_at", "run", "position", "had_parking_space", "outcome", "starts_on", "blocked_by")
    verbose_name_plural = _("allocation decisions: why the request got or did not get it")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("run", "blocked_by")


@admin.register(Reservation)
class ReservationAdmin(LargeListAdmin):
    """Booking requests oldest first (STF-1). Staff move the state with the actions, which keep the
    held spaces and slots in step; the resident's own information stays as written."""

    list_display = ["created_at", "kind", "resources", "building", "requested_by", "wanted_start", "status", "starts_on"]
    list_filter = ["status", "kind", "building__region", "created_at"]
    exact_search_fields = ["agreement__number", "building__code"]
    prefix_search_fields = ["requested_by__last_name", "building__street_address"]
    search_help_text = _(
        "An agreement number or a building code, or the beginning of the requester's last name or of a street address."
    )
    list_select_related = ["building", "requested_by"]
    ordering = ["created_at", "pk"]
    list_per_page = 50
    inlines = [ReservationItemInline, ReservationDecisionInline]
    actions = ["mark_agreement_sent", "mark_active", "cancel"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("items__parking_space__building", "items__sauna_slot__building")

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [field.name for field in self.model._meta.fields if field.name != "id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    @admin.display(description=_("booked"))
    def resources(self, reservation: Reservation) -> str:
        return "; ".join(str(item.resource) for item in reservation.items.all())

    def _move(self, request: HttpRequest, queryset: QuerySet, status: str) -> None:
        moved = sum(services.reservation_set_status(reservation=reservation, status=status) for reservation in queryset)
        skipped = queryset.count() - moved
        label = Reservation.Status(status).label
        self.message_user(
            request,
            ngettext("%(count)d reservation moved to “%(state)s”.", "%(count)d reservations moved to “%(state)s”.", moved)
            % {"count": moved, "state": label},
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d was left as it was: that move is not possible from its state.",
                    "%(count)d were left as they were: that move is not possible from their state.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    @admin.action(description=_("Mark: agreement sent for signing"), permissions=["change"])
    def mark_agreement_sent(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._move(request, queryset, Reservation.Status.AGREEMENT_SENT)

    @admin.action(description=_("Mark: active (agreement signed)"), permissions=["change"])
    def mark_active(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._move(request, queryset, Reservation.Status.ACTIVE)

    @admin.action(description=_("Cancel (frees the space or slot)"), permissions=["change"])
    def cancel(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._move(request, queryset, Reservation.Status.CANCELLED)


class RunDecisionInline(ReadOnlyInline):
    model = AllocationDecision
    fk_name = "run"
    fields = readonly_fields = (
        "parking_space",
        "sauna_slot",
        "position",
        "reservation",
        "had_parking_space",
        "outcome",
        "starts_on",
        "blocked_by",
    )
    ordering = ["parking_space", "sauna_slot", "position"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        related = ["reservation", "parking_space__building", "sauna_slot__building", "blocked_by"]
        return super().get_queryset(request).select_related(*related)


@admin.register(AllocationRun)
class AllocationRunAdmin(admin.ModelAdmin):
    """BKG-4: what each allocation decided, and why, request by request."""

    list_display = ["started_at", "run_by", "resources", "considered", "granted"]
    list_select_related = ["run_by"]
    fields = readonly_fields = ("started_at", "run_by", "resources", "considered", "granted")
    inlines = [RunDecisionInline]
    date_hierarchy = "started_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
