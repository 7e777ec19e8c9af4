"""The portal's URLs plus the development identity provider and a page that starts identification.

The account flows that call start_identification live elsewhere; these tests start it directly.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from accounts.saml.identity import start_identification
from heka_portal.urls import urlpatterns as portal_urlpatterns


def start(request: HttpRequest) -> HttpResponse:
    return start_identification(
        request, purpose=request.GET.get("purpose", "register"), next_url=request.GET.get("next", "/after/")
    )


urlpatterns = [
    *[pattern for pattern in portal_urlpatterns if str(pattern.pattern) != "dev-idp/"],
    path("dev-idp/", include("accounts.devidp.urls")),
    path("test-start/", start, name="test_start"),
]
