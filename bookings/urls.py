from django.urls import path

from . import views

app_name = "bookings"

urlpatterns = [
    path("", views.index, name="index"),
    path("agreements/<int:agreement_pk>/new/", views.choose_kind, name="choose_kind"),
    path("agreements/<int:agreement_pk>/new/<str:kind>/", views.request_new, name="request_new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/terminate/", views.terminate, name="terminate"),
    path("<int:pk>/calendar.ics", views.reservation_ics, name="reservation_ics"),
    path("calendar-link/", views.calendar_link_renew, name="calendar_link_renew"),
    # The token is a secret: heka_portal.gunicorn_logging keeps it out of the logs.
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
