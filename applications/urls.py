from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/submitted/", views.submitted, name="submitted"),
    path("<int:pk>/applicants/<int:applicant_pk>/link/", views.resend_link, name="resend_link"),
    path("confirm/", views.confirm, name="confirm"),
    path("confirm/cookies/", views.cookies, name="cookies"),
    path("confirm/identify/", views.identify, name="identify"),
    path("confirm/terms/", views.terms, name="terms"),
    path("confirm/choose/", views.choose, name="choose"),
    path("link/confirm/", views.co_confirm, name="co_confirm"),
    path("link/<str:token>/", views.co_applicant, name="co_applicant"),
    path("link/<str:token>/identify/", views.co_applicant_identify, name="co_applicant_identify"),
    path("username/", views.username, name="username"),
    path("username/sent/", views.username_sent, name="username_sent"),
    path("username/<str:token>/", views.set_password, name="set_password"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
]
