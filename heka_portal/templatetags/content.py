from django import template

from heka_portal.content import LocalizedText, localized

register = template.Library()


@register.simple_tag
def localized_text(obj: object, field: str) -> LocalizedText:
    """`{% localized_text building "information" as information %}`: see heka_portal.content."""
    return localized(obj, field)
