from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path


@login_required
def ceiling(request):
    """The least an authenticated page can cost: session, user and middleware, no page work."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/ceiling/", ceiling), path("", include("heka_portal.urls"))]
