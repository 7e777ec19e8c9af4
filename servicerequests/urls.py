from django.urls import path

from . import views

app_name = "servicerequests"

urlpatterns = [
    path("defects/", views.defect_list, name="defects"),
    path("defects/new/", views.defect_new, name="defect_new"),
    path("defects/<int:pk>/", views.defect_detail, name="defect"),
    path("defects/<int:pk>/confirm/", views.defect_confirm, name="defect_confirm"),
    path("defects/<int:pk>/reopen/", views.defect_reopen, name="defect_reopen"),
    path("defects/<int:pk>/photos/<int:photo_pk>/", views.defect_photo, name="defect_photo"),
    path("messages/", views.message_list, name="messages"),
    path("messages/new/", views.message_new, name="message_new"),
    path("messages/<int:pk>/", views.message_detail, name="message"),
    path("service/", views.service_request_list, name="service_requests"),
    path("service/new/<slug:type>/", views.service_request_new, name="service_request_new"),
    path("service/<int:pk>/", views.service_request_detail, name="service_request"),
    path("drafts/<str:form>/discard/", views.draft_discard, name="draft_discard"),
]
