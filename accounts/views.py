"""Registration (ACC-1, ACC-4), activation (ACC-3), re-registration (ACC-11, ACC-14), the one-time
link of an application-service account to its person (ACC-9) and the profile (ACC-8).

Whoever may register is decided by tenancy.access (ACC-10). The identity code never reaches these
views: strong identification leaves only its keyed hash in the session.
"""

import datetime
import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.saml.identity import clear_verified_identity, get_verified_identity, start_identification
from heka_portal.http import AuthenticatedHttpRequest, RateLimit, client_address, no_store
from tenancy.access import Refusal, access_for, refusal_for
from tenancy.decorators import ResidentHttpRequest, resident_required
from tenancy.models import Person

from . import selectors, services
from .forms import (
    EMAIL_TAKEN,
    ActivationConfirmForm,
    ActivationLinkRequestForm,
    LanguageForm,
    OfficeIdentificationForm,
    OfficePasswordForm,
    RegistrationForm,
)
from .models import OfficeIdentification, User
from .tokens import LinkCheck, LinkStatus, activation_token_check

PURPOSE_REGISTER = "register"
PURPOSE_LINK = "link"
# Time to type an address and a password after identifying; what was typed survives a timeout.
IDENTITY_MAX_AGE_SECONDS = 30 * 60
OFFICE_STEP_MAX_AGE_SECONDS = 30 * 60

SESSION_DRAFT = "heka_registration_draft"
SESSION_SENT = "heka_registration_sent"
SESSION_OFFICE = "heka_office_identification"
SESSION_ACTIVATION = "heka_activation_token"

# ACC-12: (attempts, window in seconds). New activation links per address and per client address;
# office-identification look-ups per client address (they tell whether an address was given at an
# office); activation confirmations per account (they test a password).
LIMIT_LINK_PER_EMAIL = RateLimit("accounts-link-email", attempts=3, window_seconds=60 * 60)
LIMIT_LINK_PER_CLIENT = RateLimit("accounts-link-client", attempts=10, window_seconds=60 * 60)
LIMIT_OFFICE_PER_CLIENT = RateLimit("accounts-office-client", attempts=10, window_seconds=60 * 60)
LIMIT_CONFIRM_PER_ACCOUNT = RateLimit("accounts-confirm-account", attempts=5, window_seconds=15 * 60)

LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


# -- helpers -----------------------------------------------------------------------------------


def _try_again_message(until: datetime.datetime) -> str:
    return _("Too many attempts. Please try again after %(time)s.") % {
        "time": formats.time_format(timezone.localtime(until), "TIME_FORMAT")
    }


def _refusal(person: Person | None) -> Refusal | None:
    """None when the person may register (ACC-10), otherwise why not."""
    if person is not None and access_for(person).may_log_in:
        return None
    return refusal_for(person)


def _refused(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    return no_store(render(request, "accounts/register_refused.html", {"refusal": refusal}, status=403))


def _has_account(request: HttpRequest, account: User, *, continue_url: str = "", status: int = 200) -> HttpResponse:
    """ACC-11: the person already has an active account."""
    context = {"masked_email": selectors.mask_email(account.email), "continue_url": continue_url}
    return no_store(render(request, "accounts/register_has_account.html", context, status=status))


def _language() -> str:
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _sent(request: HttpRequest, email: str) -> HttpResponse:
    request.session[SESSION_SENT] = email
    return redirect("accounts:register_sent")


# -- registration with strong identification (ACC-1) --------------------------------------------


@require_GET
def register(request: HttpRequest) -> HttpResponse:
    return no_store(render(request, "accounts/register.html"))


@require_POST
def register_identify(request: HttpRequest) -> HttpResponse:
    return start_identification(request, purpose=PURPOSE_REGISTER, next_url=reverse("accounts:register_details"))


@require_http_methods(["GET", "POST"])
def register_details(request: HttpRequest) -> HttpResponse:
    identity = get_verified_identity(request, purpose=PURPOSE_REGISTER, max_age_seconds=IDENTITY_MAX_AGE_SECONDS)
    if identity is None:
        if request.method == "POST":
            request.session[SESSION_DRAFT] = {"email": request.POST.get("email", "")[:254]}
        context: dict[str, Any] = {"identification_needed": True}
        return no_store(render(request, "accounts/register.html", context, status=400 if request.method == "POST" else 200))
    person = selectors.person_for_identity(identity)
    refusal = _refusal(person)
    if refusal is not None:
        clear_verified_identity(request)
        return _refused(request, refusal)
    if person is None:
        raise RuntimeError("_refusal refuses a missing person")
    active = selectors.active_account_for(person)
    new_address = "new_address" in request.GET or "new_address" in request.POST
    if active is not None and not new_address:
        if request.method == "GET":
            services.identity_used_for_existing_account(account=active)
        return _has_account(request, active, continue_url=f"{reverse('accounts:register_details')}?new_address=1")
    draft = request.session.get(SESSION_DRAFT) or {}
    form = RegistrationForm(request.POST or None, initial={"email": draft.get("email", "")})
    if request.method == "POST" and form.is_valid():
        try:
            user = services.registration_create(
                person=person,
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                language=_language(),
            )
        except services.RegistrationError:
            form.add_error("email", EMAIL_TAKEN)
        else:
            clear_verified_identity(request)
            request.session.pop(SESSION_DRAFT, None)
            return _sent(request, user.email)
    context = {
        "form": form,
        "first_names": person.first_names,
        "replaced_email": selectors.mask_email(active.email) if active else "",
    }
    return no_store(render(request, "accounts/register_details.html", context, status=400 if form.errors else 200))


@require_GET
def register_sent(request: HttpRequest) -> HttpResponse:
    return no_store(render(request, "accounts/register_sent.html", {"email": request.session.get(SESSION_SENT, "")}))


# -- registration with office identification (ACC-4, ACC-5) ------------------------------------


@require_http_methods(["GET", "POST"])
def register_office(request: HttpRequest) -> HttpResponse:
    form = OfficeIdentificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        until = LIMIT_OFFICE_PER_CLIENT.hit(client_address(request))
        if until is not None:
            form.add_error(None, _try_again_message(until))
            return no_store(render(request, "accounts/register_office.html", {"form": form}, status=429))
        identification = selectors.office_identification_usable(form.cleaned_data["email"])
        if identification is None:
            form.add_error(
                "email",
                _(
                    "We found no valid office identification with this e-mail address. Check the address. An office "
                    "identification can be used once, within %(days)d days; after that, identify again at an office."
                )
                % {"days": int(getattr(settings, "HEKA_OFFICE_IDENTIFICATION_DAYS", 30))},
            )
        else:
            refusal = _refusal(identification.person)
            if refusal is not None:
                return _refused(request, refusal)
            if identification.person is None:
                raise RuntimeError("_refusal refuses a missing person")
            request.session[SESSION_OFFICE] = {"id": identification.pk, "at": time.time()}
            active = selectors.active_account_for(identification.person)
            if active is not None:
                continue_url = reverse("accounts:register_office_password") if active.email != identification.email else ""
                return _has_account(request, active, continue_url=continue_url)
            return redirect("accounts:register_office_password")
    return no_store(render(request, "accounts/register_office.html", {"form": form}, status=400 if form.errors else 200))


def _office_identification(request: HttpRequest) -> OfficeIdentification | None:
    stored = request.session.get(SESSION_OFFICE)
    if not isinstance(stored, dict) or time.time() - float(stored.get("at", 0)) > OFFICE_STEP_MAX_AGE_SECONDS:
        return None
    identification = OfficeIdentification.objects.select_related("person").filter(pk=stored["id"]).first()
    return identification if identification is not None and identification.is_usable() else None


@require_http_methods(["GET", "POST"])
def register_office_password(request: HttpRequest) -> HttpResponse:
    identification = _office_identification(request)
    if identification is None:
        request.session.pop(SESSION_OFFICE, None)
        messages.warning(request, _("Please enter the e-mail address you gave at the office again."))
        return redirect("accounts:register_office")
    person = identification.person
    refusal = _refusal(person)
    if refusal is not None:
        return _refused(request, refusal)
    if person is None:
        raise RuntimeError("_refusal refuses a missing person")
    form = OfficePasswordForm(request.POST or None, email=identification.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.registration_create(
                person=person,
                email=identification.email,
                password=form.cleaned_data["password1"],
                language=_language(),
                office_identification=identification,
            )
        except services.RegistrationError:
            form.add_error(
                None,
                _(
                    "The e-mail address you gave at the office is already the user name of an account. "
                    "Log in with it, or contact customer service."
                ),
            )
        else:
            request.session.pop(SESSION_OFFICE, None)
            return _sent(request, user.email)
    active = selectors.active_account_for(person)
    context = {
        "form": form,
        "email": identification.email,
        "first_names": person.first_names,
        "replaced_email": selectors.mask_email(active.email) if active else "",
    }
    return no_store(render(request, "accounts/register_office_password.html", context, status=400 if form.errors else 200))


# -- activation (ACC-3) -------------------------------------------------------------------------


def _link_problem(request: HttpRequest, status: LinkStatus) -> HttpResponse:
    context = {"status": str(status), "form": ActivationLinkRequestForm()}
    return no_store(render(request, "accounts/activation_link_problem.html", context, status=410))


@require_GET
def activate(request: HttpRequest, token: str) -> HttpResponse:
    check = activation_token_check(token)
    if check.status is not LinkStatus.VALID:
        return _link_problem(request, check.status)
    # The token leaves the address bar, so it is not sent on in Referer headers or kept in history.
    request.session[SESSION_ACTIVATION] = token
    return no_store(redirect("accounts:activate_confirm"))


@require_http_methods(["GET", "POST"])
def activate_confirm(request: HttpRequest) -> HttpResponse:
    token = request.session.get(SESSION_ACTIVATION)
    check = activation_token_check(token) if isinstance(token, str) else LinkCheck(LinkStatus.INVALID)
    if check.status is not LinkStatus.VALID:
        request.session.pop(SESSION_ACTIVATION, None)
        return _link_problem(request, check.status)
    user = check.user
    if user is None:
        raise RuntimeError("a valid link names its account")
    form = ActivationConfirmForm(request.POST or None, user=user)
    if request.method == "POST":
        until = LIMIT_CONFIRM_PER_ACCOUNT.hit(str(user.pk))
        if until is not None:
            form = ActivationConfirmForm(user=user, initial={"email": request.POST.get("email", "")[:254]})
            context = {"form": form, "limit_message": _try_again_message(until)}
            return no_store(render(request, "accounts/activation_confirm.html", context, status=429))
        if form.is_valid():
            try:
                services.account_activate(user=user)
            except services.RegistrationError as error:
                request.session.pop(SESSION_ACTIVATION, None)
                if error.code == "not_resident":
                    return _refused(request, refusal_for(user.person))
                return _link_problem(request, LinkStatus.USED)
            request.session.pop(SESSION_ACTIVATION, None)
            login(request, user, backend=LOGIN_BACKEND)  # rotates the session key
            messages.success(request, _("Your account is now active. Welcome to the Resident Portal!"))
            response = redirect("dashboard")
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
            return no_store(response)
    return no_store(render(request, "accounts/activation_confirm.html", {"form": form}, status=400 if form.errors else 200))


@require_http_methods(["GET", "POST"])
def activation_new(request: HttpRequest) -> HttpResponse:
    """A new activation link. The answer is the same whether or not the address has a pending account."""
    form = ActivationLinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        until = LIMIT_LINK_PER_CLIENT.hit(client_address(request)) or LIMIT_LINK_PER_EMAIL.hit(email)
        if until is not None:
            form.add_error(None, _try_again_message(until))
            return no_store(render(request, "accounts/activation_new.html", {"form": form}, status=429))
        services.activation_link_resend(email=email)
        return no_store(render(request, "accounts/activation_new.html", {"form": None, "email": email}))
    return no_store(render(request, "accounts/activation_new.html", {"form": form}, status=400 if form.errors else 200))


# -- linking an application-service account to its person (ACC-9) -----------------------------


@login_required
@require_GET
def link_identity(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.user.person_id is not None:
        return redirect("dashboard")
    identity = get_verified_identity(request, purpose=PURPOSE_LINK)
    if identity is None:
        return no_store(render(request, "accounts/link_identity.html"))
    person = selectors.person_for_identity(identity)
    refusal = _refusal(person)
    if refusal is not None:
        clear_verified_identity(request)
        return _refused(request, refusal)
    if person is None:
        raise RuntimeError("_refusal refuses a missing person")
    active = selectors.active_account_for(person)
    if active is not None and active.pk != request.user.pk:
        clear_verified_identity(request)
        return _has_account(request, active)
    return no_store(render(request, "accounts/link_identity.html", {"first_names": person.first_names, "identified": True}))


@login_required
@require_POST
def link_identify(request: AuthenticatedHttpRequest) -> HttpResponse:
    return start_identification(request, purpose=PURPOSE_LINK, next_url=reverse("accounts:link_identity"))


@login_required
@require_POST
def link_confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    identity = get_verified_identity(request, purpose=PURPOSE_LINK)
    if identity is None or request.user.person_id is not None:
        return redirect("accounts:link_identity")
    person = selectors.person_for_identity(identity)
    refusal = _refusal(person)
    clear_verified_identity(request)
    if refusal is not None:
        return _refused(request, refusal)
    if person is None:
        raise RuntimeError("_refusal refuses a missing person")
    try:
        services.account_link_person(user=request.user, person=person)
    except services.RegistrationError:
        active = selectors.active_account_for(person)
        if active is not None:
            return _has_account(request, active)
        return redirect("dashboard")
    messages.success(request, _("Your account is now linked to your tenancy."))
    return redirect("dashboard")


# -- profile (ACC-8) -----------------------------------------------------------------------------


def _render_profile(request: ResidentHttpRequest, form: LanguageForm, *, status: int = 200) -> HttpResponse:
    return render(request, "accounts/profile.html", {"form": form}, status=status)


@resident_required
@require_GET
def profile(request: ResidentHttpRequest) -> HttpResponse:
    return _render_profile(request, LanguageForm(initial={"language": request.user.language}))


@resident_required
@require_POST
def profile_language(request: ResidentHttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return _render_profile(request, form, status=400)
    language = form.cleaned_data["language"]
    services.user_set_language(user=request.user, language=language)
    translation.activate(language)
    messages.success(request, _("Your language preference was saved."))
    response = redirect("accounts:profile")
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response
