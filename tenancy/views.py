"""The resident's tenancy pages (TEN-1..TEN-11, X-10). Every view passes `resident_required`, which
sets `request.access` and forbids caching; objects are reached only through the scoped selectors."""

import json
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from heka_portal import registry
from heka_portal.http import RateLimit, download_response
from notifications.references import receipt_text

from . import selectors, services
from .access import Access, MainTenancy
from .dates import termination_end_date
from .decorators import MainTenantFunction, ResidentHttpRequest, main_tenant_required, resident_home, resident_required
from .export import person_data_export
from .forms import BankAccountForm, ContactForm, OccupantChangeForm, TerminationForm
from .my_data import files_for, readable, zip_of

DASHBOARD_BULLETINS = 5
# TEN-2: someone holding an open session must not be able to guess the password on this form.
LIMIT_BANK_PASSWORD_FAILURES = RateLimit("tenancy-bank-password-failures", attempts=5, window_seconds=15 * 60)
BULLETINS_PER_PAGE = 20


@dataclass(frozen=True)
class Section:
    url: str
    title: str
    description: str


def _link(name: str, title: str | Promise, description: str | Promise) -> Section | None:
    """A section of the portal; sections of apps not installed in this build are left out."""
    try:
        return Section(reverse(name), str(title), str(description))
    except NoReverseMatch:
        return None


def _sections(access: Access) -> list[Section]:
    """What this person may use today, from their roles (TEN-1, section 1 of the spec)."""
    everyone = [
        ("servicerequests:defects", _("Defect notifications"), _("Report a defect and follow how it is handled.")),
        ("servicerequests:messages", _("Messages"), _("Send a message to customer service and read the replies.")),
        ("building", _("My building"), _("Building information and the rescue plan.")),
        ("documents:list", _("Documents"), _("House rules, manuals, inspection reports and the documents of your agreement.")),
        ("bulletins", _("Resident bulletins"), _("News from Heka for your building.")),
        ("contact_information", _("Contact information"), _("Your phone, postal address and bank account number.")),
        ("my_data", _("My data"), _("Everything the portal holds about you: read it here or download it.")),
    ]
    main_tenant = [
        (
            "economy",
            _("My economy"),
            _("Your agreement, the occupants, rent and payments; notices of moving and termination."),
        ),
        (
            "servicerequests:service_requests",
            _("Service requests"),
            _("Lease transfer, renovation permission, inspection and more."),
        ),
        ("bookings:index", _("Booking"), _("Sauna slots and parking spaces.")),
    ]
    links = [_link(*item) for item in (main_tenant if access.is_main_tenant else []) + everyone]
    return [link for link in links if link is not None]


def _panels(request: ResidentHttpRequest) -> list[str]:
    """The panels other apps add to the dashboard (heka_portal.registry), rendered in order."""
    rendered: list[str] = []
    for panel in registry.dashboard_panels():
        context = panel.context(request.access)
        if context is not None:
            rendered.append(render_to_string(panel.template, dict(context), request=request))
    return rendered


@resident_home
@require_GET
def dashboard(request: ResidentHttpRequest) -> HttpResponse:
    access = request.access
    bulletins = list(selectors.bulletins_for(access, unread_only=True)[:DASHBOARD_BULLETINS])
    context = {
        "access": access,
        "sections": _sections(access),
        "bulletins": bulletins,
        "panels": _panels(request),
    }
    return render(request, "tenancy/dashboard.html", context)


# TEN-7: an occupant who did not sign the agreement learns why there is nothing to show.
ECONOMY = MainTenantFunction(
    title=_("My economy"),
    explanation=(
        _(
            "The agreement, rent and payment information, notices of moving in or out and the termination of the agreement "
            "are shown only to the signatories of the rental agreement, the main tenants."
        ),
        _(
            "According to our register you live in the apartment but have not signed a rental agreement with Heka, for example "
            "as a family member or as a sublessee of the main tenant. A sublease is an agreement with the main tenant, not with "
            "Heka, so its information is not shown here."
        ),
        _("If you think you should see an agreement here, please contact customer service."),
    ),
)


@main_tenant_required(ECONOMY)
@require_GET
def economy(request: ResidentHttpRequest) -> HttpResponse:
    """TEN-3, TEN-4, PAY-2, PAY-3: open invoices with their bar codes and the last 12 months; older
    invoices one year at a time with `?year=YYYY`, a year the agreements may have invoices in."""
    access = request.access
    years = selectors.economy_years_for(access)
    asked = request.GET.get("year")
    year = _offered_year(asked, years)
    if asked is not None and year is None:
        messages.error(request, _("There are no invoices to show for that year. Choose a year from the list."))
        return redirect("economy")
    recipient = _payment_recipient()
    economies = selectors.economy_for(access, payee_iban=recipient["iban"], year=year)
    changes: dict[int, list] = {}
    for notice in selectors.occupant_change_notices_for(access):
        changes.setdefault(notice.agreement_id, []).append(notice)
    context = {
        "economies": [(economy, changes.get(economy.agreement.pk, [])) for economy in economies],
        "payment_recipient": recipient,
        "year": year,
        "years": years,
    }
    return render(request, "tenancy/economy.html", context)


def _offered_year(value: str | None, years: list[int]) -> int | None:
    """The year asked for when it is one of those offered; None for anything else."""
    if value is None or not (value.isascii() and value.isdigit() and len(value) == 4):
        return None
    return int(value) if int(value) in years else None


def _payment_recipient() -> dict[str, str]:
    return {"name": settings.HEKA_PAYMENT_RECIPIENT, "iban": settings.HEKA_PAYMENT_IBAN}


@main_tenant_required(ECONOMY)
@require_http_methods(["GET", "POST"])
def occupant_change_new(request: ResidentHttpRequest, tenancy: MainTenancy) -> HttpResponse:
    access = request.access
    form = OccupantChangeForm(request.POST or None, today=access.on)
    if request.method == "POST" and form.is_valid():
        notice = services.occupant_change_notice_create(
            agreement=tenancy.agreement,
            submitted_by=access.person,
            on_behalf_of=tenancy.on_behalf_of,
            **form.cleaned_data,
        )
        messages.success(request, _("Your notice was sent to customer service."))
        messages.info(request, receipt_text(notice))
        return redirect("occupant_change", pk=notice.pk)
    return render(request, "tenancy/occupant_change_form.html", {"form": form, "tenancy": tenancy})


@main_tenant_required(ECONOMY)
@require_GET
def occupant_change_detail(request: ResidentHttpRequest, pk: int) -> HttpResponse:
    notice = selectors.occupant_change_notice_get_for(request.access, pk)
    return render(request, "tenancy/occupant_change_detail.html", {"notice": notice})


@main_tenant_required(ECONOMY)
@require_http_methods(["GET", "POST"])
def termination(request: ResidentHttpRequest, tenancy: MainTenancy) -> HttpResponse:
    """TEN-6 in two steps: the form, then a confirmation showing the computed end date; the notice
    is sent only from the confirmation, with the end date the resident saw."""
    access = request.access
    existing = selectors.termination_open_for(agreement=tenancy.agreement)
    if existing is not None:
        return redirect("termination_detail", pk=existing.pk)
    if tenancy.agreement.ends_on is not None:
        # A fixed-term agreement, or one already ended in the register: nothing to give notice of.
        return render(request, "tenancy/termination_unavailable.html", {"tenancy": tenancy})
    ends_on = termination_end_date(access.on)
    form = TerminationForm(request.POST or None, initial={"expected_end": ends_on})
    context = {"form": form, "tenancy": tenancy, "notice_date": access.on, "ends_on": ends_on}
    step = request.POST.get("step")
    if request.method == "GET" or step == "edit" or not form.is_valid():
        return render(request, "tenancy/termination_form.html", context)
    if step != "send" or form.cleaned_data["expected_end"] != ends_on:
        # Also when the day changed between the steps: the resident must see the new date first.
        context["date_changed"] = step == "send"
        return render(request, "tenancy/termination_confirm.html", context)
    notice, _created = services.termination_notice_create(
        agreement=tenancy.agreement,
        submitted_by=access.person,
        on_behalf_of=tenancy.on_behalf_of,
        notice_date=access.on,
        forwarding_address=form.cleaned_data["forwarding_address"],
        message=form.cleaned_data["message"],
    )
    messages.success(request, _("Your notice of termination was sent to customer service."))
    messages.info(request, receipt_text(notice))
    return redirect("termination_detail", pk=notice.pk)


@main_tenant_required(ECONOMY)
@require_GET
def termination_detail(request: ResidentHttpRequest, pk: int) -> HttpResponse:
    notice = selectors.termination_notice_get_for(request.access, pk)
    return render(request, "tenancy/termination_detail.html", {"notice": notice})


def _render_contact(
    request: ResidentHttpRequest, *, contact_form: ContactForm | None = None, bank_form: BankAccountForm | None = None
) -> HttpResponse:
    person = request.access.person
    contact_form = contact_form or ContactForm(
        initial={field: getattr(person, field) for field in ("phone", "street_address", "postal_code", "city")}
    )
    bank_form = bank_form or BankAccountForm(user=request.user, prefix="bank")
    context = {"person": person, "contact_form": contact_form, "bank_form": bank_form}
    return render(request, "tenancy/contact.html", context)


@resident_required
@require_http_methods(["GET", "POST"])
def contact(request: ResidentHttpRequest) -> HttpResponse:
    """TEN-2: the person's own contact information."""
    if request.method == "GET":
        return _render_contact(request)
    form = ContactForm(request.POST)
    if not form.is_valid():
        return _render_contact(request, contact_form=form)
    services.person_update_contact(person=request.access.person, **form.cleaned_data)
    messages.success(request, _("Your contact information was saved."))
    return redirect("contact_information")


@resident_required
@require_POST
def bank_account(request: ResidentHttpRequest) -> HttpResponse:
    """TEN-2: a new bank account number needs the password and is announced by e-mail."""
    account = str(request.user.pk)
    locked = LIMIT_BANK_PASSWORD_FAILURES.check(account) is not None
    form = BankAccountForm(request.POST, user=request.user, prefix="bank", locked=locked)
    if not form.is_valid():
        if form.has_error("password", "wrong_password"):
            LIMIT_BANK_PASSWORD_FAILURES.hit(account)
        return _render_contact(request, bank_form=form)
    LIMIT_BANK_PASSWORD_FAILURES.clear(account)
    services.person_change_bank_account(
        person=request.access.person, iban=form.cleaned_data["iban"], notify_email=request.user.email
    )
    messages.success(request, _("Your bank account number was changed. We sent a notice to your e-mail address."))
    return redirect("contact_information")


@resident_required
@require_GET
def building(request: ResidentHttpRequest) -> HttpResponse:
    buildings = _with_ward_labels(request.access, list(selectors.buildings_for(request.access)))
    return _render_buildings(request, buildings)


@resident_required
@require_GET
def building_detail(request: ResidentHttpRequest, pk: int) -> HttpResponse:
    buildings = _with_ward_labels(request.access, [selectors.building_get_for(request.access, pk)])
    return _render_buildings(request, buildings)


def _render_buildings(request: ResidentHttpRequest, buildings: list) -> HttpResponse:
    """The buildings, each with the panels other apps add to it (heka_portal.registry; TEN-8's
    rescue plan comes from the document archive)."""
    panels = [(panel, panel.context(request.access, buildings)) for panel in registry.building_panels()]
    for building in buildings:
        building.panels = [
            render_to_string(panel.template, {**context, "building": building}, request=request)
            for panel, context in panels
            if context is not None
        ]
    return render(request, "tenancy/building.html", {"buildings": buildings})


def _with_ward_labels(access: Access, buildings: list) -> list:
    """TEN-10: a building the person sees only as a guardian names the ward(s) it is shown for."""
    own = {grant.apartment.building_id for grant in access.grants if not grant.via_guardian}
    for building in buildings:
        wards = {
            grant.holder.full_name for grant in access.grants if grant.via_guardian and grant.apartment.building_id == building.pk
        }
        building.ward_names = ", ".join(sorted(wards)) if building.pk not in own else ""
    return buildings


@resident_required
@require_GET
def bulletins(request: ResidentHttpRequest) -> HttpResponse:
    page = Paginator(selectors.bulletins_for(request.access), BULLETINS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "tenancy/bulletin_list.html", {"page": page, "items": list(page)})


@resident_required
@require_GET
def bulletin_detail(request: ResidentHttpRequest, pk: int) -> HttpResponse:
    bulletin = selectors.bulletin_get_for(request.access, pk)
    services.bulletin_mark_read(bulletin=bulletin, person=request.access.person)
    return render(request, "tenancy/bulletin_detail.html", {"bulletin": bulletin})


@resident_required
@require_GET
def data_export(request: ResidentHttpRequest) -> HttpResponse | FileResponse:
    """X-10: everything the portal holds about the logged-in person, and nobody else, as JSON."""
    person = request.access.person
    payload = json.dumps(person_data_export(person=person), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    return download_response(
        payload.encode(),
        filename=f"heka-my-data-{request.access.on:%Y-%m-%d}.json",
        content_type="application/json; charset=utf-8",
    )


@resident_required
@require_GET
def my_data(request: ResidentHttpRequest) -> HttpResponse:
    """X-10: the same data as the download, readable, with the files to download."""
    export = person_data_export(person=request.access.person)
    context = {"entries": readable(export), "exported_at": export["exported_at"], "has_files": _has_files(request)}
    return render(request, "tenancy/my_data.html", context)


def _has_files(request: ResidentHttpRequest) -> bool:
    return next(files_for(request.access.person), None) is not None


@resident_required
@require_GET
def data_export_photos(request: ResidentHttpRequest) -> HttpResponse | FileResponse:
    """X-10: the photos the person sent with their defect notifications, as one zip file."""
    archive = zip_of(files_for(request.access.person))
    return download_response(archive, filename=f"heka-my-photos-{request.access.on:%Y-%m-%d}.zip", content_type="application/zip")
