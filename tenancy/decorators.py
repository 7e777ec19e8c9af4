"""The gates every resident page goes through: login, the tenancy register, and no-store caching.

- `resident_required`: residents, and guardians acting for one. The view gets a
  `ResidentHttpRequest`, whose `access` says what the person may see and do.
- `resident_home`: the same for the dashboard, where a future tenant's notice is their page.
- `main_tenant_required(function)`: the gate of every main-tenant function (TEN-3..TEN-7, SRQ-5,
  BKG-*). Anyone else gets the one refusal page (`main_tenant_refusal`) with 403.

Who may act on which agreement is `Access.main_tenancies()`; this module only answers with pages.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.functional import Promise

from heka_portal.http import AuthenticatedHttpRequest, no_store

from .access import Access, MainTenancy, refusal_for
from .access_cache import access_of_user

if TYPE_CHECKING:
    from accounts.models import User

View = Callable[..., HttpResponseBase]


class ResidentHttpRequest(AuthenticatedHttpRequest):
    """The request a resident view receives: logged in, with the person's `Access` of today."""

    access: Access


def get_access(request: HttpRequest) -> Access | None:
    """The logged-in person's access today: once per request, and kept between requests until the
    register changes or the day turns (PRF-1, tenancy.access_cache)."""
    if not hasattr(request, "_heka_access"):
        user = request.user
        has_person = user.is_authenticated and getattr(user, "person_id", None) is not None
        request._heka_access = access_of_user(cast("User", user)) if has_person else None  # type: ignore[attr-defined]
    return cast(Access | None, request._heka_access)  # type: ignore[attr-defined]


def _gate(view: View, *, home: bool) -> View:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        access = get_access(request)
        response: HttpResponseBase
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
            # TEN-11: the start date is a future tenant's front page; every function is refused.
            response = render(request, "tenancy/future_tenant.html", {"access": access}, status=200 if home else 403)
        else:
            resident_request = cast(ResidentHttpRequest, request)
            resident_request.access = access
            response = view(resident_request, *args, **kwargs)
        return no_store(response)

    return wrapper


def resident_required(view: View) -> View:
    """Let in residents (and guardians acting for one); a future tenant sees only the start date
    (TEN-11, with 403), anyone else the refusal with customer-service contacts (ACC-10).

    The view receives a `ResidentHttpRequest`: the person's `Access` is at `request.access`.
    """
    return _gate(view, home=False)


def resident_home(view: View) -> View:
    """`resident_required` for the page a resident lands on after login, where a future tenant's
    notice of the start date is what they came for (200, not a refusal)."""
    return _gate(view, home=True)


@dataclass(frozen=True)
class MainTenantFunction:
    """A function only the signatories of an agreement use, as its refusal page names it: the
    page title and why the visitor cannot use it (TEN-7)."""

    title: str | Promise
    explanation: tuple[str | Promise, ...]


def main_tenant_refusal(request: ResidentHttpRequest, function: MainTenantFunction) -> HttpResponse:
    """The one refusal page of every main-tenant function: why, and what the visitor can do instead."""
    wards = request.access.wards_only()
    context = {
        "function": function,
        "access": request.access,
        # TEN-10: a guardian of an occupant is told about the ward, not "you live in the apartment".
        "ward_names": ", ".join(ward.full_name for ward in wards),
        "ward_count": len(wards),
    }
    return render(request, "tenancy/not_main_tenant.html", context, status=403)


def main_tenant_required(function: MainTenantFunction) -> Callable[[View], View]:
    """Let in only those who may act as a main tenant of some agreement (`Access.main_tenancies`):
    a signatory, or a guardian of a ward who is one (TEN-10). Others get `main_tenant_refusal`.

    A view whose URL names an agreement (`agreement_pk`) receives `tenancy` instead: the main
    tenancy of that agreement, or a 404 when the person may not act on it.
    """

    def decorator(view: View) -> View:
        @resident_required
        @wraps(view)
        def wrapper(request: ResidentHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.access.is_main_tenant:
                return main_tenant_refusal(request, function)
            if "agreement_pk" in kwargs:
                tenancy = request.access.main_tenancy(kwargs.pop("agreement_pk"))
                if tenancy is None:
                    raise Http404("No such agreement.")
                kwargs["tenancy"] = tenancy
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


__all__ = [
    "MainTenancy",
    "MainTenantFunction",
    "ResidentHttpRequest",
    "get_access",
    "main_tenant_refusal",
    "main_tenant_required",
    "no_store",
    "resident_home",
    "resident_required",
]
