"""The notification list (NTF-2) and the e-mail preferences (NTF-3)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tenancy.decorators import ResidentHttpRequest, resident_required

from . import kinds, selectors, services
from .forms import EmailPreferencesForm


@resident_required
@require_GET
def notification_list(request: ResidentHttpRequest) -> HttpResponse:
    person = request.access.person
    notifications = list(selectors.notifications_for(person)[: selectors.LIST_LENGTH])
    return render(request, "notifications/list.html", {"notifications": notifications})


@resident_required
@require_POST
def notification_read(request: ResidentHttpRequest, pk: int) -> HttpResponse:
    notification = selectors.notification_get_for(request.access.person, pk)
    services.notification_mark_read(notification=notification)
    return redirect("notifications:list")


@resident_required
@require_POST
def notifications_read_all(request: ResidentHttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(person=request.access.person)
    return redirect("notifications:list")


@resident_required
@require_POST
def email_preferences(request: ResidentHttpRequest) -> HttpResponse:
    form = EmailPreferencesForm(request.POST)
    if not form.is_valid():
        context = {"preferences_form": form, "protective_kinds": protective_labels()}
        return render(request, "notifications/preferences_refused.html", context, status=400)
    services.email_preferences_set(person=request.access.person, email_kinds=form.cleaned_data["email_kinds"])
    messages.success(request, _("Your notification choices were saved."))
    return redirect("accounts:profile")


def protective_labels() -> list[str]:
    return [str(kind.label) for kind in kinds.Kind if kind in kinds.PROTECTIVE]
