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
]
