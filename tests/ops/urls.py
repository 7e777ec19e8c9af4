from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def explode(request: HttpRequest, token: str) -> HttpResponse:
    # A bug that puts what the resident sent into the exception's message.
    raise ValueError(f"could not save {request.POST.get('hetu')} with account {request.POST.get('iban')}")


urlpatterns = [path("accounts/activate/<str:token>/boom/", explode), path("", include("heka_portal.urls"))]
