"""The resident's tenancy pages (TEN-1..TEN-11, X-10). Every view passes `resident_required`, which
sets `request.access` and forbids caching; objects are reached only through the scoped selectors."""

import json
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import selectors, services
from .access import Access
from .dates import termination_end_date
from .decorators import resident_required
from .export import person_data_export
from .forms import BankAccountForm, ContactForm, OccupantChangeForm, TerminationForm
from .models import Person
from .my_data import files_for, readable, zip_of

DASHBOARD_BULLETINS = 5
PASSWORD_ATTEMPTS = 5
PASSWORD_LOCKOUT_SECONDS = 15 * 60
BULLETINS_PER_PAGE = 20
SERVICEREQUESTS_PANEL = "servicerequests/includes/dashboard_panel.html"


@dataclass(frozen=True)
class Section:
    url: str
    title: str
    description: str


def _link(name: str, title: str, description: str) -> Section | None:
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


def _servicerequests_panel(person: Person) -> dict | None:
    """Open requests and unread replies, when the servicerequests app provides its panel."""
    try:
        from servicerequests.selectors import dashboard_summary

        get_template(SERVICEREQUESTS_PANEL)
    except (ImportError, TemplateDoesNotExist):
        return None
    return {"template": SERVICEREQUESTS_PANEL, "summary": dashboard_summary(person=person)}


@resident_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    access = request.access
    bulletins = list(selectors.bulletins_for(access).filter(is_read=False)[:DASHBOARD_BULLETINS])
    context = {
        "access": access,
        "sections": _sections(access),
        "bulletins": bulletins,
        "servicerequests_panel": _servicerequests_panel(access.person),
    }
    return render(request, "tenancy/dashboard.html", context)


def _not_a_party(request: HttpRequest) -> HttpResponse:
    """TEN-7: an occupant who did not sign the agreement learns why there is nothing to show."""
    return render(request, "tenancy/not_a_party.html", {"access": request.access})


@resident_required
@require_GET
def economy(request: HttpRequest) -> HttpResponse:
    access = request.access
    economies = selectors.economy_for(access)
    if not economies:
        wards = _wards_seen_only_as_guardian(access)
        if wards:
            context = {"ward_names": ", ".join(wards), "ward_count": len(wards)}
            return render(request, "tenancy/ward_not_a_party.html", context)
        return _not_a_party(request)
    changes: dict[int, list] = {}
    for notice in selectors.occupant_change_notices_for(access):
        changes.setdefault(notice.agreement_id, []).append(notice)
    context = {
        "economies": [(economy, changes.get(economy.agreement.pk, [])) for economy in economies],
        "payment_recipient": _payment_recipient(),
    }
    return render(request, "tenancy/economy.html", context)


def _wards_seen_only_as_guardian(access: Access) -> list[str]:
    """TEN-10: the wards of a person whose every grant is a guardian's, by name; else nobody."""
    if not access.grants or not all(grant.via_guardian for grant in access.grants):
        return []
    return sorted({grant.holder.full_name for grant in access.grants})


def _payment_recipient() -> dict[str, str]:
    return {"name": settings.HEKA_PAYMENT_RECIPIENT, "iban": settings.HEKA_PAYMENT_IBAN}


@resident_required
@require_http_methods(["GET", "POST"])
def occupant_change_new(request: HttpRequest, agreement_pk: int) -> HttpResponse:
    access = request.access
    if not access.is_main_tenant:
        return _not_a_party(request)
    tenancy = selectors.main_tenancy_get(access, agreement_pk)
    form = OccupantChangeForm(request.POST or None, today=access.on)
    if request.method == "POST" and form.is_valid():
        notice = services.occupant_change_notice_create(
            agreement=tenancy.agreement,
            submitted_by=access.person,
            on_behalf_of=tenancy.holder if tenancy.via_guardian else None,
            **form.cleaned_data,
        )
        messages.success(request, _("Your notice was sent to customer service."))
        return redirect("occupant_change", pk=notice.pk)
    return render(request, "tenancy/occupant_change_form.html", {"form": form, "tenancy": tenancy})


@resident_required
@require_GET
def occupant_change_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.occupant_change_notice_get_for(request.access, pk)
    return render(request, "tenancy/occupant_change_detail.html", {"notice": notice})


@resident_required
@require_http_methods(["GET", "POST"])
def termination(request: HttpRequest, agreement_pk: int) -> HttpResponse:
    """TEN-6 in two steps: the form, then a confirmation showing the computed end date; the notice
    is sent only from the confirmation, with the end date the resident saw."""
    access = request.access
    if not access.is_main_tenant:
        return _not_a_party(request)
    tenancy = selectors.main_tenancy_get(access, agreement_pk)
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
        on_behalf_of=tenancy.holder if tenancy.via_guardian else None,
        notice_date=access.on,
        forwarding_address=form.cleaned_data["forwarding_address"],
        message=form.cleaned_data["message"],
    )
    messages.success(request, _("Your notice of termination was sent to customer service."))
    return redirect("termination_detail", pk=notice.pk)


@resident_required
@require_GET
def termination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.termination_notice_get_for(request.access, pk)
    return render(request, "tenancy/termination_detail.html", {"notice": notice})


def _render_contact(
    request: HttpRequest, *, contact_form: ContactForm | None = None, bank_form: BankAccountForm | None = None
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
def contact(request: HttpRequest) -> HttpResponse:
    """TEN-2: the person's own contact information."""
    if request.method == "GET":
        return _render_contact(request)
    form = ContactForm(request.POST)
    if not form.is_valid():
        return _render_contact(request, contact_form=form)
    services.person_update_contact(person=request.access.person, **form.cleaned_data)
    messages.success(request, _("Your contact information was saved."))
    return redirect("contact_information")


def _count_failure(key: str) -> None:
    if not cache.add(key, 1, PASSWORD_LOCKOUT_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, PASSWORD_LOCKOUT_SECONDS)


@resident_required
@require_POST
def bank_account(request: HttpRequest) -> HttpResponse:
    """TEN-2: a new bank account number needs the password and is announced by e-mail."""
    failures_key = f"tenancy:bank-password-failures:{request.user.pk}"
    # Someone holding an open session must not be able to guess the password here.
    locked = cache.get(failures_key, 0) >= PASSWORD_ATTEMPTS
    form = BankAccountForm(request.POST, user=request.user, prefix="bank", locked=locked)
    if not form.is_valid():
        if form.has_error("password", "wrong_password"):
            _count_failure(failures_key)
        return _render_contact(request, bank_form=form)
    cache.delete(failures_key)
    services.person_change_bank_account(
        person=request.access.person, iban=form.cleaned_data["iban"], notify_email=request.user.email
    )
    messages.success(request, _("Your bank account number was changed. We sent a notice to your e-mail address."))
    return redirect("contact_information")


@resident_required
@require_GET
def building(request: HttpRequest) -> HttpResponse:
    buildings = _with_ward_labels(request.access, list(selectors.buildings_for(request.access)))
    return render(request, "tenancy/building.html", {"buildings": buildings})


@resident_required
@require_GET
def building_detail(request: HttpRequest, pk: int) -> HttpResponse:
    buildings = _with_ward_labels(request.access, [selectors.building_get_for(request.access, pk)])
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
def rescue_plan(request: HttpRequest, pk: int) -> FileResponse:
    """TEN-8, X-8: the rescue plan of the person's own building, as a download that is never sniffed."""
    building = selectors.building_get_for(request.access, pk)
    if not building.rescue_plan:
        raise Http404("No rescue plan.")
    is_pdf = building.rescue_plan.name.lower().endswith(".pdf")
    try:
        handle = building.rescue_plan.open("rb")
    except FileNotFoundError:
        raise Http404("The rescue plan file is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"rescue-plan-{building.code}.{'pdf' if is_pdf else 'bin'}",
        content_type="application/pdf" if is_pdf else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@resident_required
@require_GET
def bulletins(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.bulletins_for(request.access), BULLETINS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "tenancy/bulletin_list.html", {"page": page, "items": list(page)})


@resident_required
@require_GET
def bulletin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = selectors.bulletin_get_for(request.access, pk)
    services.bulletin_mark_read(bulletin=bulletin, person=request.access.person)
    return render(request, "tenancy/bulletin_detail.html", {"bulletin": bulletin})


@resident_required
@require_GET
def data_export(request: HttpRequest) -> HttpResponse:
    """X-10: everything the portal holds about the logged-in person, and nobody else, as JSON."""
    person = request.access.person
    payload = json.dumps(person_data_export(person=person), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="heka-my-data-{request.access.on:%Y-%m-%d}.json"'
    return response


@resident_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    """X-10: the same data as the download, readable, with the files to download."""
    export = person_data_export(person=request.access.person)
    context = {"entries": readable(export), "exported_at": export["exported_at"], "has_files": _has_files(request)}
    return render(request, "tenancy/my_data.html", context)


def _has_files(request: HttpRequest) -> bool:
    return next(files_for(request.access.person), None) is not None


@resident_required
@require_GET
def data_export_photos(request: HttpRequest) -> FileResponse:
    """X-10: the photos the person sent with their defect notifications, as one zip file."""
    archive = zip_of(files_for(request.access.person))
    response = FileResponse(
        archive,
        as_attachment=True,
        filename=f"heka-my-photos-{request.access.on:%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
