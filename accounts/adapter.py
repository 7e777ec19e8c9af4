"""How allauth's login and password reset behave in the portal (ACC-6, ACC-7, ACC-10, ACC-12, ACC-13).

- Accounts are created only after strong or office identification, never by allauth's sign-up.
- A person who holds no grant in the tenancy register today is refused before anything logs
  them in, with the customer-service contacts (ACC-10).
- New passwords follow policy P6 plus Django's checks, each failed rule named (ACC-2, X-9).
- allauth's e-mails go through the outbox; the reset link is made by the worker (X-6).
- The lockout message says when to try again (ACC-12).
"""

import logging
import uuid
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import ChangePasswordForm, ResetPasswordKeyForm
from allauth.account.internal.stagekit import clear_login
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from heka_portal.http import site_url
from heka_portal.ops.metrics import login_refused
from heka_portal.outbox import email_enqueue
from tenancy.access import access_for, refusal_for

from .links import PASSWORD_RESET_LINK_BUILDER
from .lockout import retry_message, seconds_until_allowed
from .models import User
from .passwords import password_policy_help, validate_password_policy

logger = logging.getLogger(__name__)

PASSWORD_RESET_EMAIL = "accounts_password_reset"  # noqa: S105 (a template name)
UNKNOWN_ACCOUNT_EMAIL = "accounts_password_reset_unknown"


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": _("The e-mail address or the password is not correct."),
        "invalid_password_reset": _("The link is not valid: it has expired or it has already been used."),
        "too_many_login_attempts": _("Too many failed login attempts."),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are created only after strong or office identification against the register.
        return False

    def clean_password(self, password: str, user: Any = None) -> str:
        """Passwords set through allauth (reset, change) follow policy P6 (ACC-2), each failed rule named."""
        validate_password_policy(password, policy="P6", user=user)
        return password

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            key = self._get_login_attempts_cache_key(request, **credentials)
            seconds = seconds_until_allowed(request, action="login_failed", key=key)
            logger.info("Login locked for a while after repeated failures (%s s)", seconds)
            login_refused("locked")
            raise ValidationError(
                f"{self.error_messages['too_many_login_attempts']} {retry_message(seconds)}",
                code="too_many_login_attempts",
            ) from None

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        # Counted for brute-force monitoring; the address typed is not logged (it may be anyone's).
        logger.info("Failed login attempt")
        login_refused("bad_credentials")

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """STF-6: staff who sign in on the resident login page land in the admin, their place of work."""
        if request.user.is_staff:
            return reverse("admin:index")
        return super().get_login_redirect_url(request)

    def pre_login(self, request: HttpRequest, user: User, **kwargs: Any) -> HttpResponse | None:
        response = super().pre_login(request, user, **kwargs)
        if response is not None:
            return response
        return self._refuse_if_not_resident(request, user)

    def _refuse_if_not_resident(self, request: HttpRequest, user: User) -> HttpResponse | None:
        """ACC-10: only the roles of SPEC section 1 log in. Staff work in the admin; an account
        with no person yet is linked at its first login (ACC-9) and passes the gate there."""
        if user.is_staff or user.person is None:
            return None
        if access_for(user.person).may_log_in:
            return None
        clear_login(request)
        logger.info("Login refused for account %s: no tenancy in the register", user.pk)
        login_refused("no_tenancy")
        return render(request, "account/login_refused.html", {"refusal": refusal_for(user.person)}, status=403)

    def send_password_reset_mail(self, user: User, email: str, context: dict[str, Any]) -> None:
        """Write the reset e-mail to the outbox. allauth's context holds a live link; it is not
        used: the worker makes the link from the account id when it sends the e-mail."""
        person = user.person
        email_enqueue(
            to=email,
            template=PASSWORD_RESET_EMAIL,
            context={
                **_portal_context(),
                "first_names": person.first_names if person else "",
                "email": user.email,
                "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
            },
            language=user.language,
            idempotency_key=f"{PASSWORD_RESET_EMAIL}:{user.pk}:{uuid.uuid4().hex}",
            link_builder=PASSWORD_RESET_LINK_BUILDER,
            link_args={"user_id": user.pk},
        )

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every e-mail goes through the outbox. Of allauth's own e-mails the portal uses only the
        reset ones: accounts are never created or changed through allauth."""
        if template_prefix == "account/email/unknown_account":
            email_enqueue(
                to=email,
                template=UNKNOWN_ACCOUNT_EMAIL,
                context={**_portal_context(), "email": email},
                language=translation.get_language() or settings.LANGUAGE_CODE,
                idempotency_key=f"{UNKNOWN_ACCOUNT_EMAIL}:{uuid.uuid4().hex}",
            )
            return
        logger.warning("allauth e-mail %s is not used by the portal and was not sent", template_prefix)


def _portal_context() -> dict[str, str]:
    site = site_url()
    return {
        "site_url": site,
        "login_url": f"{site}{reverse('account_login')}",
        "reset_url": f"{site}{reverse('account_reset_password')}",
        "help_url": f"{site}{reverse('help')}#register",
        "customer_service_phone": settings.HEKA_CUSTOMER_SERVICE_PHONE,
        "customer_service_email": settings.HEKA_CUSTOMER_SERVICE_EMAIL,
    }


def _tell_policy_p6(form: Any) -> None:
    form.fields["password1"].help_text = " ".join(
        [password_policy_help("P6"), str(_("It must not be a common password or resemble your e-mail address."))]
    )


class PasswordResetKeyForm(ResetPasswordKeyForm):
    """allauth's new-password form, telling policy P6 next to the field (ACC-2, ACC-7)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _tell_policy_p6(self)


class PasswordChangeForm(ChangePasswordForm):
    """allauth's password change, telling policy P6 next to the field (ACC-2)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _tell_policy_p6(self)
