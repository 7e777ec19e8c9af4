from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, object]:
    return {
        "customer_service_phone": settings.HEKA_CUSTOMER_SERVICE_PHONE,
        "customer_service_email": settings.HEKA_CUSTOMER_SERVICE_EMAIL,
        "oncall_phone": settings.HEKA_ONCALL_PHONE,
    }
