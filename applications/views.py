"""The application service's pages (APP-1..APP-6).

Applicants need not be residents, so these pages do not use the resident gate. Who may see what is
decided by `session.viewer_get` and the scoped selectors; every page sends no-store (X-8).

The confirmation path of seed 003: submit → "Go on to confirm the application" → accept the
confirmation page's cookies → "Continue to identification" → strong identification → terms of use
→ "Accept" → choose the application → "Confirm application". A co-applicant walks the same steps
from their e-mailed link, with the identity checked against them before the terms.
"""

import logging
from collections.abc import Callable
from datetime import datetime
from functools import wraps

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.saml.identity import (
    VerifiedIdentity,
    clear_verified_identity,
    get_verified_identity,
    is_same_site_path,
    start_identification,
)
from heka_portal.http import RateLimit, client_address, no_store

from . import selectors, services
from .forms import (
    ApplicantLoginForm,
    ApplicationForm,
    ChooseApplicationsForm,
    CoApplicantFormSet,
    CookieConsentForm,
    SetPasswordForm,
    UsernameRequestForm,
)
from .links import co_applicant_link_from_token, username_link_from_token
from .matching import Identity, identity_matches
from .models import Applicant, CoApplicantLink
from .session import SESSION_FLOW, SESSION_SUBMITTED, viewer_clear, viewer_get, viewer_store_account, viewer_store_identity

logger = logging.getLogger(__name__)

PURPOSE = "application"
CONSENT_COOKIE = "heka_application_cookies"
CONSENT_MAX_AGE = 180 * 24 * 3600
FORMSET_PREFIX = "co"
# ACC-12's spirit for applicants: new co-applicant links per application and client address, and
# user-name requests per client address (each sends an e-mail).
LIMIT_RESEND_PER_CLIENT = RateLimit("applications-resend-client", attempts=5, window_seconds=60 * 60)
LIMIT_USERNAME_PER_CLIENT = RateLimit("applications-username-client", attempts=5, window_seconds=60 * 60)

View = Callable[..., HttpResponse]


def private(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        return no_store(view(request, *args, **kwargs))

    return wrapper


def _consented(request: HttpRequest) -> bool:
    return request.COOKIES.get(CONSENT_COOKIE) == "accepted"


def _identity(verified: VerifiedIdentity) -> Identity:
    return Identity(
        hetu_hash=verified.hetu_hash,
        hetu_encrypted=verified.hetu_encrypted,
        first_names=verified.first_names,
        last_name=verified.last_name,
    )


# The application (APP-1)


@private
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    viewer = viewer_get(request)
    applications = list(selectors.applications_for(viewer)) if viewer else []
    return render(request, "applications/index.html", {"viewer": viewer, "applications": applications})


def _redisplay(request: HttpRequest) -> tuple[ApplicationForm, CoApplicantFormSet]:
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


# Cookies and identification (APP-2)


@private
@require_GET
def confirm(request: HttpRequest) -> HttpResponse:
    return render(request, "applications/confirm.html", {"consented": _consented(request)})


@private
@require_POST
def cookies(request: HttpRequest) -> HttpResponse:
    """The confirmation page's cookie banner, answered without JavaScript."""
    form = CookieConsentForm(request.POST)
    if not form.is_valid():
        return redirect("applications:confirm")
    next_url = request.POST.get("next_url", "")
    if not is_same_site_path(request, next_url):
        next_url = reverse("applications:confirm")
    if form.cleaned_data["choice"] == "decline":
        response = render(request, "applications/cookies_declined.html", {"next_url": next_url})
        response.delete_cookie(CONSENT_COOKIE, path="/applications/")
        return response
    response = redirect(next_url)
    response.set_cookie(
        CONSENT_COOKIE,
        "accepted",
        max_age=CONSENT_MAX_AGE,
        path="/applications/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


@require_POST
def identify(request: HttpRequest) -> HttpResponse:
    if not _consented(request):
        return no_store(redirect("applications:confirm"))
    request.session[SESSION_FLOW] = {"kind": "main"}
    return start_identification(request, purpose=PURPOSE, next_url=reverse("applications:terms"))


def _flow(request: HttpRequest) -> dict:
    flow = request.session.get(SESSION_FLOW)
    return flow if isinstance(flow, dict) else {}


def _flow_link(flow: dict) -> CoApplicantLink | None:
    link_id = flow.get("link_id")
    if flow.get("kind") != "co" or not isinstance(link_id, int):
        return None
    return CoApplicantLink.objects.select_related("applicant__application").filter(pk=link_id).first()


def _mismatch(request: HttpRequest, applicant: Applicant | None) -> HttpResponse:
    """APP-3: someone else than the co-applicant identified. Nothing changes; the link stays usable."""
    clear_verified_identity(request)
    request.session.pop(SESSION_FLOW, None)
    logger.warning("housing application: identity did not match applicant %s", applicant.pk if applicant else "?")
    return render(request, "applications/mismatch.html", {"applicant": applicant}, status=403)


def _identification_expired(request: HttpRequest) -> HttpResponse:
    messages.error(request, _("Your identification has expired or was not completed. Please identify again."))
    return redirect("applications:confirm")


@private
@require_http_methods(["GET", "POST"])
def terms(request: HttpRequest) -> HttpResponse:
    verified = get_verified_identity(request, purpose=PURPOSE)
    flow = _flow(request)
    if verified is None or flow.get("kind") not in ("main", "co"):
        return _identification_expired(request)
    link = _flow_link(flow)
    if flow["kind"] == "co":
        if link is None or link.state() != CoApplicantLink.State.USABLE:
            return _link_invalid(request, link.state() if link else "unknown")
        if not identity_matches(link.applicant, _identity(verified)):
            return _mismatch(request, link.applicant)
    if request.method == "POST":
        viewer_store_identity(request, verified)
        clear_verified_identity(request)
        request.session[SESSION_FLOW] = {**flow, "terms_accepted": True, "identified_at": verified.verified_at.isoformat()}
        return redirect("applications:co_confirm" if link else "applications:choose")
    return render(request, "applications/terms.html", {"identity": verified})


def _accepted_flow(request: HttpRequest, kind: str) -> tuple[Identity, dict] | None:
    viewer = viewer_get(request)
    flow = _flow(request)
    if viewer is None or viewer.identity is None or flow.get("kind") != kind or not flow.get("terms_accepted"):
        return None
    return viewer.identity, flow


def _identified_at(flow: dict) -> datetime:
    return datetime.fromisoformat(flow["identified_at"])


@private
@require_http_methods(["GET", "POST"])
def choose(request: HttpRequest) -> HttpResponse:
    accepted = _accepted_flow(request, "main")
    if accepted is None:
        return _identification_expired(request)
    identity, flow = accepted
    form = ChooseApplicationsForm(request.POST or None, applicants=selectors.applicants_to_confirm(identity))
    if request.method == "POST" and form.is_valid():
        confirmed = []
        for applicant in form.chosen():
            try:
                services.applicant_confirm(applicant=applicant, identity=identity, identified_at=_identified_at(flow))
            except services.IdentityMismatch:
                continue
            confirmed.append(applicant.application)
        request.session.pop(SESSION_FLOW, None)
        if not confirmed:
            return _mismatch(request, None)
        messages.success(request, _("Thank you. Your confirmation has been saved."))
        if len(confirmed) == 1:
            return redirect("applications:detail", pk=confirmed[0].pk)
        return redirect("applications:index")
    return render(request, "applications/choose.html", {"form": form, "identity": identity})


# The co-applicant's link (APP-3)


def _link_invalid(request: HttpRequest, state: str, *, kind: str = "co") -> HttpResponse:
    status = 404 if state == "unknown" else 410
    return render(request, "applications/link_invalid.html", {"state": state, "kind": kind}, status=status)


@private
@require_GET
def co_applicant(request: HttpRequest, token: str) -> HttpResponse:
    link = co_applicant_link_from_token(token)
    if link is None:
        return _link_invalid(request, "unknown")
    if link.state() != CoApplicantLink.State.USABLE:
        return _link_invalid(request, link.state())
    context = {
        "link": link,
        "applicant": link.applicant,
        "application": link.applicant.application,
        "main": link.applicant.application.applicants.get(role=Applicant.Role.MAIN),
        "consented": _consented(request),
        "token": token,
    }
    return render(request, "applications/co_applicant.html", context)


@require_POST
def co_applicant_identify(request: HttpRequest, token: str) -> HttpResponse:
    link = co_applicant_link_from_token(token)
    if link is None or link.state() != CoApplicantLink.State.USABLE:
        return no_store(_link_invalid(request, link.state() if link else "unknown"))
    if not _consented(request):
        return no_store(redirect("applications:co_applicant", token=token))
    request.session[SESSION_FLOW] = {"kind": "co", "link_id": link.pk}
    return start_identification(request, purpose=PURPOSE, next_url=reverse("applications:terms"))


@private
@require_http_methods(["GET", "POST"])
def co_confirm(request: HttpRequest) -> HttpResponse:
    accepted = _accepted_flow(request, "co")
    if accepted is None:
        return _identification_expired(request)
    identity, flow = accepted
    link = _flow_link(flow)
    if link is None:
        return _link_invalid(request, "unknown")
    if request.method == "POST":
        try:
            services.co_applicant_confirm(link=link, identity=identity, identified_at=_identified_at(flow))
        except services.IdentityMismatch:
            return _mismatch(request, link.applicant)
        except services.LinkNotUsable as error:
            return _link_invalid(request, error.state)
        request.session.pop(SESSION_FLOW, None)
        messages.success(request, _("Thank you. Your confirmation has been saved."))
        return redirect("applications:detail", pk=link.applicant.application_id)
    if link.state() != CoApplicantLink.State.USABLE:
        return _link_invalid(request, link.state())
    application = link.applicant.application
    context = {
        "applicant": link.applicant,
        "application": application,
        "main": application.applicants.get(role=Applicant.Role.MAIN),
    }
    return render(request, "applications/co_confirm.html", context)


# The application page (APP-4) and new links (APP-3)


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


# "Create username" (APP-6) and signing in with it


@private
@require_http_methods(["GET", "POST"])
def username(request: HttpRequest) -> HttpResponse:
    form = UsernameRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Over the limit nothing is sent, and the page says the same: it never tells whether an
        # address is known.
        if LIMIT_USERNAME_PER_CLIENT.hit(client_address(request)) is None:
            services.username_request(email=form.cleaned_data["email"], language=get_language()[:2])
        return redirect("applications:username_sent")
    return render(request, "applications/username.html", {"form": form})


@private
@require_GET
def username_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "applications/username_sent.html")


@private
@require_http_methods(["GET", "POST"])
def set_password(request: HttpRequest, token: str) -> HttpResponse:
    link = username_link_from_token(token)
    if link is None or link.state() != link.State.USABLE:
        return _link_invalid(request, link.state() if link else "unknown", kind="username")
    form = SetPasswordForm(request.POST or None, email=link.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.username_create(link=link, password=form.cleaned_data["password1"], language=get_language()[:2])
        except services.AccountExists:
            return render(request, "applications/account_exists.html", status=409)
        except services.LinkNotUsable as error:
            return _link_invalid(request, error.state, kind="username")
        viewer_store_account(request, person_id=user.person_id)
        messages.success(request, _("Your user name has been created. You are now signed in to the application service."))
        return redirect("applications:index")
    return render(request, "applications/set_password.html", {"form": form, "email": link.email})


@private
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = ApplicantLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        try:
            # The Resident Portal's password, so the login's failure limits per account and per
            # client address (ACC-12) count here too: this page must not be a way around them.
            user = get_adapter(request).authenticate(request, email=email, password=form.cleaned_data["password"])
        except ValidationError:
            form.add_error(None, _("Too many attempts. Please try again in 15 minutes."))
        else:
            if user is None or not user.person_id:
                form.add_error(None, _("The e-mail address or the password is wrong."))
            else:
                viewer_store_account(request, person_id=user.person_id)
                return redirect("applications:index")
    return render(request, "applications/sign_in.html", {"form": form})


@private
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    viewer_clear(request)
    request.session.pop(SESSION_FLOW, None)
    messages.info(request, _("You have left the application service."))
    return redirect("applications:index")
