from django.urls import path

from . import views

app_name = "devidp"

urlpatterns = [
    path("metadata/", views.metadata, name="metadata"),
    path("sso/", views.sso, name="sso"),
    path("login/", views.login, name="login"),
    path("slo/", views.slo, name="slo"),
    path("slo/confirm/", views.slo_confirm, name="slo_confirm"),
    path("logout/", views.logout, name="logout"),
]
