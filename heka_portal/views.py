from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from tenancy.models import RegionOffice


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/home.html")


def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/help.html", {"offices": RegionOffice.objects.all()})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")


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
    if rescue_post is not None:
        response = rescue_post(request, *match.args, **match.kwargs)
        if response is not None:
            return response
    back = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("home")
    return render(request, "pages/csrf_failure.html", {"retry_url": back}, status=403)
