"""The application (APP-1), its page (APP-4) and new links for co-applicants (APP-3)."""

from django.contrib import messages
from django.forms import BaseFormSet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from heka_portal.http import client_address

from .. import selectors, services
from ..forms import (
    ApplicationForm,
    CoApplicantFormSet,
)
from ..session import SESSION_SUBMITTED, viewer_get
from .common import (
    FORMSET_PREFIX,
    LIMIT_RESEND_PER_CLIENT,
    private,
)


@private
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    viewer = viewer_get(request)
    applications = list(selectors.applications_for(viewer)) if viewer else []
    return render(request, "applications/index.html", {"viewer": viewer, "applications": applications})


def _redisplay(request: HttpRequest) -> tuple[ApplicationForm, BaseFormSet]:
    """The form as typed plus one more empty row, without error messages (no-JS "Add a person")."""
    data = request.POST
    form = ApplicationForm(
        initial={name: data.getlist(name) if name == "areas" else data.get(name, "") for name in ApplicationForm.base_fields}
    )
    try:
        rows = min(int(data.get(f"{FORMSET_PREFIX}-TOTAL_FORMS", "0")), CoApplicantFormSet.max_num)
    except ValueError:
        rows = 0
    fields = ["first_names", "last_name", "birth_date", "email"]
    initial = [{field: data.get(f"{FORMSET_PREFIX}-{i}-{field}", "") for field in fields} for i in range(rows)]
    formset = CoApplicantFormSet(initial=initial, prefix=FORMSET_PREFIX)
    formset.extra = 1 if rows < CoApplicantFormSet.max_num else 0
    return form, formset


@private
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and "add_row" in request.POST:
        form, formset = _redisplay(request)
    else:
        form = ApplicationForm(request.POST or None)
        formset = CoApplicantFormSet(request.POST or None, prefix=FORMSET_PREFIX)
        if request.method == "POST" and form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            application = services.application_submit(
                applicant=services.PersonData(data["first_names"], data["last_name"], data["birth_date"], data["email"]),
                co_applicants=[
                    services.PersonData(**row.cleaned_data) for row in formset.forms if row.has_changed() and row.cleaned_data
                ],
                areas=data["areas"],
                apartment_size=data["apartment_size"],
                max_rent=data["max_rent"],
                moving_date=data["moving_date"],
                language=get_language()[:2],
            )
            request.session[SESSION_SUBMITTED] = [*request.session.get(SESSION_SUBMITTED, []), application.pk][-10:]
            return redirect("applications:submitted", pk=application.pk)
    return render(request, "applications/form.html", {"form": form, "formset": formset})


@private
@require_GET
def submitted(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.submitted_application_get(request, pk)
    return render(request, "applications/submitted.html", {"application": application})


@private
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_get(request)
    if viewer is None:
        messages.info(request, _("Identify yourself to see your application."))
        return redirect("applications:index")
    application = selectors.application_get_for(viewer, pk)
    me = selectors.applicant_of_viewer(viewer, application)
    return render(
        request,
        "applications/detail.html",
        {"application": application, "me": me, "rows": selectors.applicant_rows(application)},
    )


@private
@require_POST
def resend_link(request: HttpRequest, pk: int, applicant_pk: int) -> HttpResponse:
    viewer = viewer_get(request)
    if viewer is None:
        raise Http404
    application = selectors.application_get_for(viewer, pk)
    me = selectors.applicant_of_viewer(viewer, application)
    other = next((a for a in application.applicants.all() if a.pk == applicant_pk), None)
    if me is None or not me.is_main or other is None:
        raise Http404
    if LIMIT_RESEND_PER_CLIENT.hit(f"{application.pk}|{client_address(request)}") is not None:
        messages.error(request, _("Too many new links were asked for. Please try again in an hour."))
    elif services.co_applicant_link_send(applicant=other) is None:
        messages.error(request, _("No link can be sent to this person."))
    else:
        messages.success(request, _("A new link was sent to %(email)s. Earlier links no longer work.") % {"email": other.email})
    return redirect("applications:detail", pk=application.pk)
