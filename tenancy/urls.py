from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("economy/", views.economy, name="economy"),
    path("economy/agreements/<int:agreement_pk>/occupant-changes/new/", views.occupant_change_new, name="occupant_change_new"),
    path("economy/occupant-changes/<int:pk>/", views.occupant_change_detail, name="occupant_change"),
    path("economy/agreements/<int:agreement_pk>/terminate/", views.termination, name="termination"),
    path("economy/terminations/<int:pk>/", views.termination_detail, name="termination_detail"),
    path("profile/contact/", views.contact, name="contact_information"),
    path("profile/contact/bank-account/", views.bank_account, name="bank_account"),
    path("profile/data/", views.data_export, name="data_export"),
    path("profile/my-data/", views.my_data, name="my_data"),
    path("profile/data/photos.zip", views.data_export_photos, name="data_export_photos"),
    path("building/", views.building, name="building"),
    path("building/<int:pk>/", views.building_detail, name="building_detail"),
    path("bulletins/", views.bulletins, name="bulletins"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin"),
]
