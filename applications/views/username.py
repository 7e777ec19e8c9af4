""" "Create username" (APP-6) and signing in with it."""

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from heka_portal.http import client_address

from .. import services
from ..forms import (
    ApplicantLoginForm,
    SetPasswordForm,
    UsernameRequestForm,
)
from ..links import username_link_from_token
from ..session import SESSION_FLOW, viewer_clear, viewer_store_account
from .common import (
    LIMIT_USERNAME_PER_CLIENT,
    _link_invalid,
    private,
)


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
        if user.person_id is not None:  # username_create links the account to the applicant's person
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
