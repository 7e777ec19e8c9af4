"""Page parts rendered once and shown in more than one place (PRF-3).

    {% rendered "includes/site_nav_links.html" as site_nav_links %}
    ... {{ site_nav_links }} ... {{ site_nav_links }}

renders the template with the page's context, as {% include %} would, into a variable: the
phone menu and the desktop bar show the same links without rendering them twice.
"""

from django import template
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def rendered(context: template.Context, template_name: str) -> SafeString:
    if context.template is None:
        raise template.TemplateSyntaxError("{% rendered %} works only inside a template being rendered.")
    part = context.template.engine.get_template(template_name)
    with context.push():
        return part.render(context)
