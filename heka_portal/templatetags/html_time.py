import datetime

from django import template

register = template.Library()


@register.filter
def html_datetime(value: datetime.datetime | None) -> str:
    """A moment for `<time datetime>`: in UTC to the second, as HTML allows at most three digits
    of a second's fraction (Django's "c" format writes six)."""
    if not isinstance(value, datetime.datetime):
        return ""
    return value.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
