"""How many rows a staff list has, as its paginator knows it (STF-4): counted, counted up to a
limit ("more than 1,000"), or estimated from the planner's statistics ("about 1,000,000")."""

from django import template
from django.contrib.admin.views.main import ChangeList
from django.utils.formats import number_format
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def list_count(cl: ChangeList) -> str:
    shown = number_format(cl.result_count, force_grouping=True)
    if getattr(cl.paginator, "count_is_estimate", False):
        return gettext("about %(count)s") % {"count": shown}
    if getattr(cl.paginator, "count_is_capped", False):
        return gettext("more than %(count)s") % {"count": shown}
    return shown
