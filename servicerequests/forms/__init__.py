from .common import Home, HomeForm
from .requests import DefectForm, MessageForm
from .review import DefectConfirmForm, DefectReopenForm
from .service import SERVICE_FORMS, ServiceRequestForm, details_for_display

__all__ = [
    "SERVICE_FORMS",
    "DefectConfirmForm",
    "DefectForm",
    "DefectReopenForm",
    "Home",
    "HomeForm",
    "MessageForm",
    "ServiceRequestForm",
    "details_for_display",
]
