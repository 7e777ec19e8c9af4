"""The staff admin: logged into through the resident login (rate limited, ACC-12) and, where
HEKA_ADMIN_REQUIRE_MFA is on (always in production), only with a second factor (X-9)."""

from functools import wraps

from allauth.account.decorators import secure_admin_login
from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


def used_second_factor(request: HttpRequest) -> bool:
    """Whether this session was authenticated (or reauthenticated) with an authenticator code."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


class HekaAdminSite(admin.AdminSite):
    def login(self, request, extra_context=None):
        return secure_admin_login(super().login)(request, extra_context)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def second_factor_first(request, *args, **kwargs):
            user = request.user
            if settings.HEKA_ADMIN_REQUIRE_MFA and user.is_active and user.is_staff:
                query = urlencode({"next": request.get_full_path()})
                if not is_mfa_enabled(user, [Authenticator.Type.TOTP]):
                    return redirect(f"{reverse('mfa_activate_totp')}?{query}")
                if not used_second_factor(request):
                    return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
            return inner(request, *args, **kwargs)

        return second_factor_first
