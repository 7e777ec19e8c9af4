"""The portal's URLs with the development identity provider mounted, as on a laptop."""

from django.urls import include, path

from heka_portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    *[pattern for pattern in portal_urlpatterns if str(pattern.pattern) != "dev-idp/"],
    path("dev-idp/", include("accounts.devidp.urls")),
]
