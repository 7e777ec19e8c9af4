"""The portal's URLs plus the development identity provider and a page that starts identification.

The account flows that call start_identification live elsewhere; these tests start it directly.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from accounts.saml.identity import start_identification
from heka_portal.middleware import allow_in_policy
from heka_portal.urls import urlpatterns as portal_urlpatterns


def start(request: HttpRequest) -> HttpResponse:
    return start_identification(
        request, purpose=request.GET.get("purpose", "register"), next_url=request.GET.get("next", "/after/")
    )


def frames(request: HttpRequest) -> HttpResponse:
    """A page of another site that frames the portal's single logout service and its front page."""
    site = settings.HEKA_SITE_URL.rstrip("/")
    response = HttpResponse(
        f'<!DOCTYPE html><html lang="en"><title>Frames</title>'
        f'<iframe id="slo" title="slo" src="{site}/saml/slo/?SAMLRequest=x"></iframe>'
        f'<iframe id="front" title="front" src="{site}/"></iframe></html>'
    )
    allow_in_policy(response, {"frame-src": (site,)})
    return response


urlpatterns = [
    *[pattern for pattern in portal_urlpatterns if str(pattern.pattern) != "dev-idp/"],
    path("dev-idp/", include("accounts.devidp.urls")),
    path("test-start/", start, name="test_start"),
    path("test-frames/", frames, name="test_frames"),
]
