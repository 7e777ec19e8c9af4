from django.urls import include, path


def broken(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("broken/", broken), path("", include("heka_portal.urls"))]
