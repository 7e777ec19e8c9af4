"""The gate every resident page goes through: login, the tenancy register, and no-store caching."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers, patch_cache_control

from .access import Access, access_for, refusal_for

View = Callable[..., HttpResponse]


def get_access(request: HttpRequest) -> Access | None:
    """The logged-in person's access today, computed once per request."""
    if not hasattr(request, "_heka_access"):
        person = getattr(request.user, "person", None)
        request._heka_access = access_for(person) if person is not None else None
    return request._heka_access


def no_store(response: HttpResponse) -> HttpResponse:
    """Pages with personal data are never kept by browsers or proxies (X-8)."""
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


def resident_required(view: View) -> View:
    """Let in residents (and guardians acting for one); a future tenant sees only the start date
    (TEN-11); anyone else the refusal with customer-service contacts (ACC-10).

    The view finds the person's `Access` at `request.access`.
    """

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        access = get_access(request)
        if access is None and request.user.is_staff:
            return no_store(redirect("admin:index"))  # STF-6: staff who are not residents work in the admin
        if access is None:
            # ACC-9: an account made in the rental-application service has no person yet; it is
            # linked once, by strong identification.
            return no_store(redirect("accounts:link_identity"))
        if access is None or not access.may_log_in:
            person = getattr(request.user, "person", None)
            response = render(request, "tenancy/not_resident.html", {"refusal": refusal_for(person)}, status=403)
        elif access.is_future_only:
            response = render(request, "tenancy/future_tenant.html", {"access": access})
        else:
            request.access = access
            response = view(request, *args, **kwargs)
        return no_store(response)

    return wrapper
