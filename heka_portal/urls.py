from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.saml import views as saml_views
from documents import views as documents_views

from . import views

admin.site.site_header = _("Heka Resident Portal — customer service")
admin.site.site_title = _("Heka customer service")
admin.site.index_title = _("Queues and the tenancy register")

urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.help_page, name="help"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("privacy/", views.privacy, name="privacy"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    # SFI-4: allauth's logout, which also ends the SAML session at the identity provider.
    path("accounts/logout/", saml_views.logout, name="account_logout"),
    path("accounts/", include("allauth.urls")),
    # TEN-8's address of the rescue plan, which is now a building document (DOC-1).
    path("building/<int:pk>/rescue-plan/", documents_views.rescue_plan, name="rescue_plan"),
    path("", include("tenancy.urls")),
    path("requests/", include("servicerequests.urls")),
    path("bookings/", include("bookings.urls")),
    path("applications/", include("applications.urls")),
    path("documents/", include("documents.urls")),
    path("notifications/", include("notifications.urls")),
    path("admin/", admin.site.urls),
    path("saml/", include("accounts.saml.urls")),
]
if settings.HEKA_DEV_IDP_ENABLED:
    urlpatterns.append(path("dev-idp/", include("accounts.devidp.urls")))

# allauth's rate limits answer with this page, which says when to try again (ACC-12).
handler429 = "accounts.lockout.too_many_requests"
