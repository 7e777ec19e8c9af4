from datetime import date
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from tenancy.models import RegionOffice


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/home.html")


def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/help.html", {"offices": RegionOffice.objects.all()})


# when the accessibility statement was drawn up and last reviewed against the portal.
ACCESSIBILITY_STATEMENT_PREPARED = date(2026, 12, 1)
ACCESSIBILITY_STATEMENT_REVIEWED = date(2026, 12, 1)


def accessibility(request: HttpRequest) -> HttpResponse:
    context = {"prepared_on": ACCESSIBILITY_STATEMENT_PREPARED, "reviewed_on": ACCESSIBILITY_STATEMENT_REVIEWED}
    return render(request, "pages/accessibility.html", context)


# Nothing behind a login, nor the steps of registration and applications, belongs in a search engine.
ROBOTS_DISALLOW = (
    "/accounts/",
    "/admin/",
    "/applications/",
    "/bookings/",
    "/building/",
    "/bulletins/",
    "/dashboard/",
    "/dev-idp/",
    "/documents/",
    "/economy/",
    "/i18n/",
    "/notifications/",
    "/profile/",
    "/requests/",
    "/saml/",
)


@require_GET
@cache_control(max_age=24 * 60 * 60, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), "Allow: /", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@cache
def _favicon() -> bytes:
    path = finders.find("img/favicon.ico")
    if not isinstance(path, str):
        raise FileNotFoundError("static/img/favicon.ico")
    with open(path, "rb") as icon:
        return icon.read()


@require_GET
@cache_control(max_age=7 * 24 * 60 * 60, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and crawlers ask for /favicon.ico whatever the page links; it is the brand mark."""
    return HttpResponse(_favicon(), content_type="image/x-icon")


def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy statement: what is kept, why, and for how long (OPS-8)."""
    return render(
        request,
        "pages/privacy.html",
        {
            "retention_years": round(settings.HEKA_RETENTION_AFTER_TENANCY_DAYS / 365),
            "outbox_days": settings.HEKA_OUTBOX_RETENTION_DAYS,
        },
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page that had expired (CSRF_FAILURE_VIEW): never a bare error page (X-4,
    SRQ-6). A view may keep what was typed by offering `rescue_post(request, *args, **kwargs)`,
    which returns a response when it did; otherwise the resident is told what to do."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    rescue_post = getattr(match.func, "rescue_post", None) if match else None
    if match is not None and rescue_post is not None:
        response = rescue_post(request, *match.args, **match.kwargs)
        if response is not None:
            return response
    back = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("home")
    return render(request, "pages/csrf_failure.html", {"retry_url": back}, status=403)
