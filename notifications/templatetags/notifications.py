from django import template

from .. import kinds
from ..forms import EmailPreferencesForm
from ..models import Outage
from ..selectors import email_opt_outs

register = template.Library()


@register.simple_tag
def notification_headline(kind: str, params: dict) -> str:
    """The notification's line in the active language (the e-mail's, when rendering one)."""
    return kinds.headline(kind, params if isinstance(params, dict) else {})


@register.simple_tag
def notification_details(kind: str, params: dict) -> list[str]:
    return kinds.details(kind, params if isinstance(params, dict) else {})


@register.inclusion_tag("notifications/includes/preferences.html", takes_context=True)
def notification_preferences(context: template.Context) -> dict:
    """NTF-3 on the profile page: the kinds the person receives by e-mail."""
    request = context["request"]
    person = request.user.person
    opted_out = email_opt_outs(person)
    form = EmailPreferencesForm(initial={"email_kinds": [kind for kind in kinds.OPTIONAL if kind not in opted_out]})
    protective = [str(kind.label) for kind in kinds.Kind if kind in kinds.PROTECTIVE]
    return {"preferences_form": form, "protective_kinds": protective, "request": request}


@register.filter
def description_in(outage: Outage, language: str) -> str:
    return outage.localized_description(language)
