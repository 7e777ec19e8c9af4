"""The resident's requests to Heka (SRQ-1..SRQ-6). Every view passes `resident_required` (login,
the register, no-store); objects come only from selectors scoped to the submitter (SRQ-4)."""

from typing import Any, TypeVar

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from heka_portal.http import file_download
from notifications.references import receipt_text
from tenancy.decorators import (
    MainTenantFunction,
    ResidentHttpRequest,
    main_tenant_refusal,
    main_tenant_required,
    resident_required,
)
from tenancy.selectors import invoice_get_for, paid_of

from . import selectors, services
from .drafts import form_token, keeps_drafts
from .forms import (
    SERVICE_FORMS,
    DefectConfirmForm,
    DefectForm,
    DefectReopenForm,
    Home,
    HomeForm,
    MessageForm,
    details_for_display,
)
from .models import Defect, DefectPhoto, Draft, Message, ResidentRequest, ServiceRequest

FormT = TypeVar("FormT", bound=HomeForm)

PER_PAGE = 20


def _list(request: ResidentHttpRequest, queryset: QuerySet[Any], template: str, **context: Any) -> HttpResponse:
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, template, {"page": page, **context})


def _form(
    request: ResidentHttpRequest, form_class: type[FormT], draft_name: str, *, homes: list[Home]
) -> tuple[FormT, Draft | None]:
    """The form bound to what was sent, or filled from the person's draft when there is one."""
    if request.method == "POST":
        return form_class(request.POST, request.FILES, homes=homes), None
    draft = selectors.draft_get(person=request.access.person, form=draft_name)
    form = form_class(homes=homes)
    if draft is not None:
        known_homes = form.homes
        form.initial = {name: value for name, value in draft.data.items() if name != "home" or value in known_homes}
    return form, draft


def _render_form(
    request: ResidentHttpRequest, template: str, form: HomeForm, draft: Draft | None, **context: Any
) -> HttpResponse:
    photos_lost = request.method == "POST" and bool(request.FILES) and not form.is_valid()
    context = {
        "form": form,
        "draft": draft,
        "draft_token": form_token(request.access.person),
        "photos_lost": photos_lost,
        **context,
    }
    return render(request, template, context)


def _mark_read_and_render(request: ResidentHttpRequest, template: str, item: ResidentRequest, **context: Any) -> HttpResponse:
    timeline = selectors.timeline_for(item)
    services.replies_mark_read(request=item)
    return render(request, template, {"item": item, "timeline": timeline, **context})


@resident_required
@require_GET
def defect_list(request: ResidentHttpRequest) -> HttpResponse:
    return _list(request, selectors.defects_for(request.access.person), "servicerequests/defect_list.html")


@keeps_drafts(lambda: ("defect", DefectForm.draft_fields))
@resident_required
@require_http_methods(["GET", "POST"])
def defect_new(request: ResidentHttpRequest) -> HttpResponse:
    """SRQ-1: a defect notification with photos, master-key permission and pets."""
    form, draft = _form(request, DefectForm, "defect", homes=selectors.homes_for(request.access))
    if request.method == "POST" and form.is_valid():
        defect = services.defect_create(person=request.access.person, **form.cleaned_data)
        messages.success(request, _("Your defect notification was sent. You can follow its handling here."))
        messages.info(request, receipt_text(defect))

        return redirect("servicerequests:defect", pk=defect.pk)
    return _render_form(request, "servicerequests/defect_form.html", form, draft)


@resident_required
@require_GET
def defect_detail(request: ResidentHttpRequest, pk: int) -> HttpResponse:
    defect = selectors.defect_get_for(request.access.person, pk)
    return _render_defect(request, defect)


def _render_defect(
    request: ResidentHttpRequest,
    defect: Defect,
    *,
    confirm_form: DefectConfirmForm | None = None,
    reopen_form: DefectReopenForm | None = None,
) -> HttpResponse:
    return _mark_read_and_render(
        request,
        "servicerequests/defect_detail.html",
        defect,
        confirm_form=confirm_form or DefectConfirmForm(),
        reopen_form=reopen_form or DefectReopenForm(),
    )


@resident_required
@require_POST
def defect_confirm(request: ResidentHttpRequest, pk: int) -> HttpResponse:
    """NTF-7: the repair is done, as the resident sees it."""
    defect = selectors.defect_get_for(request.access.person, pk)
    form = DefectConfirmForm(request.POST)
    if not form.is_valid():
        return _render_defect(request, defect, confirm_form=form)
    try:
        confirmed = services.defect_confirm(defect=defect, rating=form.cleaned_data["rating"])
    except services.ReviewRefused as refusal:
        messages.error(request, str(refusal))
    else:
        if confirmed:
            messages.success(request, _("Thank you. You confirmed that the defect has been repaired."))
        else:
            messages.info(request, _("You have already confirmed this repair."))
    return redirect("servicerequests:defect", pk=defect.pk)


@resident_required
@require_POST
def defect_reopen(request: ResidentHttpRequest, pk: int) -> HttpResponse:
    """NTF-7: the repair is not done, as the resident sees it; the reason goes to the staff queue."""
    defect = selectors.defect_get_for(request.access.person, pk)
    form = DefectReopenForm(request.POST)
    if not form.is_valid():
        return _render_defect(request, defect, reopen_form=form)
    try:
        reopened = services.defect_reopen(defect=defect, **form.cleaned_data)
    except services.ReviewRefused as refusal:
        messages.error(request, str(refusal))
    else:
        if reopened:
            messages.success(request, _("The defect notification was reopened. Customer service will continue the repair."))
        else:
            messages.info(request, _("This defect notification has already been reopened."))
    return redirect("servicerequests:defect", pk=defect.pk)


@resident_required
@require_GET
def defect_photo(request: ResidentHttpRequest, pk: int, photo_pk: int) -> HttpResponse | FileResponse:
    """X-8: the person's own photo, through this access check only, never sniffed as anything else."""
    photo = selectors.defect_photo_get_for(request.access.person, pk, photo_pk)
    return photo_response(photo)


def photo_response(photo: DefectPhoto) -> HttpResponse | FileResponse:
    """An attachment, never rendered as a page of this site; an `<img>` still shows it (X-8)."""
    return file_download(
        photo.image, filename=f"defect-{photo.defect_id}-photo-{photo.pk}.{photo.extension}", content_type=photo.content_type
    )


@resident_required
@require_GET
def message_list(request: ResidentHttpRequest) -> HttpResponse:
    return _list(request, selectors.messages_for(request.access.person), "servicerequests/message_list.html")


@keeps_drafts(lambda: ("message", MessageForm.draft_fields))
@resident_required
@require_http_methods(["GET", "POST"])
def message_new(request: ResidentHttpRequest) -> HttpResponse:
    """SRQ-2: a message to customer service in one of the SPEC's subject areas, key orders included."""
    form, draft = _form(request, MessageForm, "message", homes=selectors.homes_for(request.access))
    if request.method == "GET" and "invoice" in request.GET:
        _prefill_payment_agreement(request, form, request.GET["invoice"])
    if request.method == "POST" and form.is_valid():
        message = services.message_create(person=request.access.person, **form.cleaned_data)
        messages.success(request, _("Your message was sent to customer service."))
        messages.info(request, receipt_text(message))
        return redirect("servicerequests:message", pk=message.pk)
    return _render_form(request, "servicerequests/message_form.html", form, draft)


def _prefill_payment_agreement(request: ResidentHttpRequest, form: MessageForm, invoice_pk: str) -> None:
    """PAY-1: the message form opened from an overdue invoice asks for a payment agreement on it.
    Only an invoice of the person's own agreements (or a ward's) fills it in."""
    invoice = invoice_get_for(request.access, invoice_pk)
    tenancy = request.access.main_tenancy(invoice.agreement_id) if invoice is not None else None
    home = next(
        (
            home
            for home in form.homes.values()
            if tenancy is not None and home.apartment.pk == tenancy.agreement.apartment_id and home.holder == tenancy.holder
        ),
        None,
    )
    if invoice is None or home is None:
        messages.error(request, _("That invoice was not found among yours, so the form is not filled in."))
        return
    details = {
        "number": invoice.number,
        "amount": number_format(invoice.amount - paid_of(invoice), 2, use_l10n=True, force_grouping=True),
        "due": date_format(invoice.due_on, "DATE_FORMAT"),
        "reference": invoice.reference_number,
    }
    form.initial = {
        **form.initial,
        "home": home.key,
        "category": Message.Category.PAYMENT_AGREEMENT,
        "subject": gettext("Payment agreement for invoice %(number)s") % details,
        "body": gettext(
            "I would like to agree on paying invoice %(number)s (reference number %(reference)s, %(amount)s € left to pay, "
            "due on %(due)s) in instalments. I could pay as follows:"
        )
        % details,
    }


@resident_required
@require_GET
def message_detail(request: ResidentHttpRequest, pk: int) -> HttpResponse:
    message = selectors.message_get_for(request.access.person, pk)
    return _mark_read_and_render(request, "servicerequests/message_detail.html", message)


# SRQ-5 is for main tenants; anyone else learns why instead of meeting an empty page.
SERVICE_REQUESTS = MainTenantFunction(
    title=_("Service requests"),
    explanation=(
        _(
            "Service requests, such as a lease transfer or permission for a renovation, can be sent by the main tenants, who "
            "signed the rental agreement. Ask a main tenant of your apartment to send the request."
        ),
        _("You can still report a defect or write a message to customer service."),
    ),
)


@resident_required
@require_GET
def service_request_list(request: ResidentHttpRequest) -> HttpResponse:
    """SRQ-5: the types a main tenant may send, and the requests this person sent. The list is also
    the submitter's own history (SRQ-4), so someone who is no longer a main tenant still sees what
    they sent; with nothing to show they get the main-tenant refusal."""
    mine = selectors.service_requests_for(request.access.person)
    if not request.access.is_main_tenant:
        if not mine.exists():
            return main_tenant_refusal(request, SERVICE_REQUESTS)
        return _list(request, mine, "servicerequests/service_request_list.html", types=[], moving_url="")
    types = [
        (value, label, reverse("servicerequests:service_request_new", args=[value]))
        for value, label in ServiceRequest.Type.choices
    ]
    return _list(request, mine, "servicerequests/service_request_list.html", types=types, moving_url=_moving_url(request))


def _moving_url(request: ResidentHttpRequest) -> str:
    """The notice of moving in or out is the tenancy app's occupant change notice (TEN-5)."""
    tenancies = request.access.main_tenancies()
    if len(tenancies) == 1:
        return reverse("occupant_change_new", args=[tenancies[0].agreement.pk])
    return reverse("economy")


def _service_form_of(type: str) -> tuple[str, tuple[str, ...]] | None:
    form_class = SERVICE_FORMS.get(type)
    return (f"service:{type}", tuple(form_class.base_fields)) if form_class else None


@keeps_drafts(_service_form_of)
@main_tenant_required(SERVICE_REQUESTS)
@require_http_methods(["GET", "POST"])
def service_request_new(request: ResidentHttpRequest, type: str) -> HttpResponse:
    homes = selectors.main_tenant_homes_for(request.access)
    form_class = SERVICE_FORMS.get(type)
    if form_class is None:
        # An old link or a form of a type that no longer exists: back to the choice, not an error.
        messages.info(request, _("That form is no longer in use. Choose the request from the list."))
        return redirect("servicerequests:service_requests")
    form, draft = _form(request, form_class, f"service:{type}", homes=homes)
    if request.method == "POST" and form.is_valid():
        service_request = services.service_request_create(
            person=request.access.person, home=form.cleaned_data["home"], type=type, details=form.details_as_json()
        )
        messages.success(request, _("Your request was sent to customer service."))
        messages.info(request, receipt_text(service_request))
        return redirect("servicerequests:service_request", pk=service_request.pk)
    return _render_form(request, "servicerequests/service_request_form.html", form, draft, title=ServiceRequest.Type(type).label)


@resident_required
@require_GET
def service_request_detail(request: ResidentHttpRequest, pk: int) -> HttpResponse:
    item = selectors.service_request_get_for(request.access.person, pk)
    return _mark_read_and_render(request, "servicerequests/service_request_detail.html", item, details=details_for_display(item))


DRAFT_FORMS = {"defect": "servicerequests:defect_new", "message": "servicerequests:message_new"}


@resident_required
@require_POST
def draft_discard(request: ResidentHttpRequest, form: str) -> HttpResponse:
    """Throw away a kept draft and start the form empty."""
    if form.startswith("service:") and form.removeprefix("service:") in SERVICE_FORMS:
        target = reverse("servicerequests:service_request_new", args=[form.removeprefix("service:")])
    elif form in DRAFT_FORMS:
        target = reverse(DRAFT_FORMS[form])
    else:
        raise Http404("No such form.")
    services.draft_discard(person=request.access.person, form=form)
    messages.info(request, _("The draft was removed."))
    return redirect(target)
