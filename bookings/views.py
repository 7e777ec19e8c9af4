"""The Booking section (BKG-1..BKG-8). Every view passes `main_tenant_required`: only main tenants
book, and a reservation is reached only by the main tenant who made it (BKG-7)."""

from datetime import date, datetime

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from heka_portal.http import RateLimit, client_address, download_response, no_store
from notifications.references import receipt_text
from tenancy.access import MainTenancy, access_for
from tenancy.decorators import MainTenantFunction, ResidentHttpRequest, main_tenant_required

from . import selectors, services
from .calendar import feed_calendar, feed_for_token, feed_token, in_calendar, reservation_calendar
from .dates import earliest_start, termination_end_date
from .forms import BookingRequestForm, ParkingRequestForm, SaunaRequestForm, TerminationForm
from .models import ResourceKind

FORMS: dict[str, type[BookingRequestForm]] = {ResourceKind.PARKING: ParkingRequestForm, ResourceKind.SAUNA: SaunaRequestForm}


# BKG-1, BKG-7: only main tenants book; anyone else learns why.
BOOKING = MainTenantFunction(
    title=_("Booking"),
    explanation=(
        _(
            "Sauna slots and parking spaces are booked by the main tenants, the signatories of the rental agreement. "
            "According to our register you live in the apartment but have not signed the rental agreement, so you cannot "
            "make or see bookings here."
        ),
        _(
            "Ask a main tenant of your apartment to make the booking request. If you think you should see bookings here, "
            "please contact customer service."
        ),
    ),
)


@main_tenant_required(BOOKING)
@require_GET
def index(request: ResidentHttpRequest) -> HttpResponse:
    access = request.access
    tenancies = access.main_tenancies()
    reservations = list(selectors.reservations_for(access))
    hidden = selectors.hidden_reservations_by_agreement(access)
    sections = [
        (
            tenancy,
            [reservation for reservation in reservations if reservation.agreement_id == tenancy.agreement.pk],
            hidden.get(tenancy.agreement.pk, 0),
        )
        for tenancy in tenancies
    ]
    feed = selectors.calendar_feed_for(access.person)
    feed_url = request.build_absolute_uri(reverse("bookings:calendar_feed", args=[feed_token(feed)])) if feed else ""
    return render(request, "bookings/index.html", {"sections": sections, "feed_url": feed_url})


@main_tenant_required(BOOKING)
@require_GET
def choose_kind(request: ResidentHttpRequest, tenancy: MainTenancy) -> HttpResponse:
    return render(request, "bookings/choose_kind.html", {"tenancy": tenancy})


@main_tenant_required(BOOKING)
@require_http_methods(["GET", "POST"])
def request_new(request: ResidentHttpRequest, tenancy: MainTenancy, kind: str) -> HttpResponse:
    """BKG-1..BKG-3: choose a space or slots of one's own building, add information, send."""
    access = request.access
    if kind not in FORMS:
        raise Http404("No such kind of booking.")
    choices = selectors.availability_for(tenancy, kind, today=access.on)
    form = FORMS[kind](request.POST or None, choices=choices, today=access.on)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            outcome = services.reservation_request(
                agreement=tenancy.agreement,
                requested_by=access.person,
                tenant=tenancy.holder,
                kind=kind,
                parking_space=data.pop("parking_space", None),
                sauna_slots=data.pop("sauna_slots", ()),
                today=access.on,
                **data,
            )
        except services.DuplicateRequest as duplicate:
            # BKG-1: the same request twice creates nothing; the resident is shown the first one.
            form.add_error(
                None, _("You already have a booking request or reservation for this space or sauna slot; no new one was made.")
            )
            context = {**_form_context(tenancy, kind, form, access.on), "duplicate_of": duplicate.reservation_id}
            return render(request, "bookings/request_form.html", context, status=409)
        except services.BookingError:
            # The space or slot was withdrawn from booking, or the month turned, while the form was open.
            form = FORMS[kind](request.POST, choices=selectors.availability_for(tenancy, kind, today=access.on), today=access.on)
            form.is_valid()
            form.add_error(None, _("The choice is no longer available. Please check your choices and send the request again."))
            return render(request, "bookings/request_form.html", _form_context(tenancy, kind, form, access.on))
        if outcome.granted:
            messages.success(request, _("Your booking request was sent. The space was free and is now offered to you."))
        else:
            messages.success(request, _("Your booking request was sent and is in the queue."))
        messages.info(request, receipt_text(outcome.reservation))
        return redirect("bookings:detail", pk=outcome.reservation.pk)
    return render(request, "bookings/request_form.html", _form_context(tenancy, kind, form, access.on))


def _form_context(tenancy: MainTenancy, kind: str, form: BookingRequestForm, today: date) -> dict:
    return {
        "tenancy": tenancy,
        "kind": kind,
        "form": form,
        "has_choices": bool(form.resources),
        "earliest_start": earliest_start(today),
    }


@main_tenant_required(BOOKING)
@require_GET
def detail(request: ResidentHttpRequest, pk: int) -> HttpResponse:
    reservation = selectors.reservation_get_for(request.access, pk)
    context = {"reservation": reservation, "in_calendar": in_calendar(reservation, today=request.access.on)}
    return render(request, "bookings/detail.html", context)


@main_tenant_required(BOOKING)
@require_POST
def withdraw(request: ResidentHttpRequest, pk: int) -> HttpResponse:
    """Withdraw a request in the queue, or decline an offer before it starts (BKG-6)."""
    reservation = selectors.reservation_get_for(request.access, pk)
    was_offered = reservation.status in reservation.DECLINABLE
    if services.reservation_withdraw(reservation=reservation, today=request.access.on):
        if was_offered:
            messages.success(request, _("You declined the offer. Customer service can now offer it to the next in the queue."))
        else:
            messages.success(request, _("Your booking request was withdrawn."))
    return redirect("bookings:detail", pk=reservation.pk)


@main_tenant_required(BOOKING)
@require_http_methods(["GET", "POST"])
def terminate(request: ResidentHttpRequest, pk: int) -> HttpResponse:
    """BKG-8 in two steps, as TEN-6: the end date is shown, then the notice is sent with that date."""
    access = request.access
    reservation = selectors.reservation_get_for(access, pk)
    if not reservation.may_terminate:
        return redirect("bookings:detail", pk=reservation.pk)
    ends_on = termination_end_date(access.on)
    form = TerminationForm(request.POST or None, initial={"expected_end": ends_on})
    context = {
        "form": form,
        "reservation": reservation,
        "notice_date": access.on,
        "ends_on": ends_on,
        "ends_before_start": reservation.starts_on is not None and ends_on < reservation.starts_on,
    }
    step = request.POST.get("step")
    if request.method == "GET" or step == "edit" or not form.is_valid():
        return render(request, "bookings/terminate_form.html", context)
    if step != "send" or form.cleaned_data["expected_end"] != ends_on:
        context["date_changed"] = step == "send"
        return render(request, "bookings/terminate_confirm.html", context)
    services.reservation_terminate(
        reservation=reservation, acting_person=access.person, notice_date=access.on, message=form.cleaned_data["message"]
    )
    messages.success(request, _("Your notice of termination was sent to customer service. They will contact you."))
    return redirect("bookings:detail", pk=reservation.pk)


ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"


@main_tenant_required(BOOKING)
@require_GET
def reservation_ics(request: ResidentHttpRequest, pk: int) -> HttpResponse | FileResponse:
    """NTF-9: one reservation as an ICS file, through the same check as its page (BKG-7)."""
    reservation = selectors.reservation_get_for(request.access, pk)
    if not in_calendar(reservation, today=request.access.on):
        raise Http404("Not in a calendar: the reservation holds nothing.")
    content = reservation_calendar(reservation, person=request.access.person)
    return download_response(content, filename=f"heka-{reservation.kind}-{reservation.pk}.ics", content_type=ICS_CONTENT_TYPE)


@main_tenant_required(BOOKING)
@require_POST
def calendar_link_renew(request: ResidentHttpRequest) -> HttpResponse:
    """NTF-9: a new calendar feed link; the old one stops working at once."""
    services.calendar_feed_renew(person=request.access.person)
    messages.success(
        request, _("Your calendar link is ready. Any earlier link no longer works; add this one to your calendar app.")
    )
    return redirect(f"{reverse('bookings:index')}#calendar-feed")


# A calendar app asks for the feed every few minutes to hours; a client guessing tokens is cut off.
FEED_FETCHES = RateLimit(scope="calendar-feed", attempts=120, window_seconds=3600)
FEED_MISSES = RateLimit(scope="calendar-feed-miss", attempts=20, window_seconds=3600)


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse | FileResponse:
    """NTF-9: the person's sauna and parking reservations, for a calendar app that has no session
    (some ask with HEAD first to see whether anything changed).
    A forged or revoked token is a 404 like any unknown address; the token never reaches a log
    (heka_portal.gunicorn_logging)."""
    address = client_address(request)
    if (retry_at := FEED_MISSES.check(address)) is not None:
        return _too_many(retry_at)
    feed = feed_for_token(token)
    if feed is None:
        FEED_MISSES.hit(address)
        raise Http404("No such calendar.")
    if (retry_at := FEED_FETCHES.hit(str(feed.pk))) is not None:
        return _too_many(retry_at)
    access = access_for(feed.person)
    reservations = [item for item in selectors.reservations_for(access) if in_calendar(item, today=access.on)]
    return download_response(feed_calendar(feed, reservations), filename="heka.ics", content_type=ICS_CONTENT_TYPE)


def _too_many(retry_at: datetime) -> HttpResponse:
    seconds = max(1, int((retry_at - timezone.now()).total_seconds()))
    response = HttpResponse("Too many requests.", status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(seconds)
    return no_store(response)
