from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/identify/", views.register_identify, name="register_identify"),
    path("register/details/", views.register_details, name="register_details"),
    path("register/office/", views.register_office, name="register_office"),
    path("register/office/password/", views.register_office_password, name="register_office_password"),
    path("register/sent/", views.register_sent, name="register_sent"),
    path("activate/new/", views.activation_new, name="activation_new"),
    path("activate/confirm/", views.activate_confirm, name="activate_confirm"),
    path("activate/<str:token>/", views.activate, name="activate"),
    path("link/", views.link_identity, name="link_identity"),
    path("link/identify/", views.link_identify, name="link_identify"),
    path("link/confirm/", views.link_confirm, name="link_confirm"),
    path("profile/", views.profile, name="profile"),
    path("profile/language/", views.profile_language, name="profile_language"),
]
