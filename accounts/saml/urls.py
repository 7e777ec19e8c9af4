from django.urls import path

from . import views

app_name = "saml"

urlpatterns = [
    path("metadata/", views.metadata, name="metadata"),
    path("acs/", views.acs, name="acs"),
    path("acs/finish/<str:key>/", views.finish, name="finish"),
    path("refused/<slug:code>/", views.refused, name="refused"),
    path("slo/", views.sls, name="sls"),
]
