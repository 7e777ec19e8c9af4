"""Strings of Django's admin that Django's own Finnish catalogue leaves untranslated (STF-8, X-1).

They are listed here, never used, so that `makemessages` keeps them in locale/*/django.po, whose
translations come before Django's own (LOCALE_PATHS). The admin's JavaScript strings, such as the
help of the two-box selector ("Choose %s by selecting them…"), are in locale/*/djangojs.po.
"""

from django.utils.translation import gettext_noop

DJANGO_ADMIN_STRINGS = (
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),  # noqa: RUF001 (Django's own text)
    gettext_noop("Error:"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("In case you’ve forgotten, you are:"),  # noqa: RUF001 (Django's own text)
    gettext_noop("%(model)s instance with %(field)s %(value)r is not a valid choice."),
    # Translated by Django, but written "Senaste Händelser" in Swedish.
    gettext_noop("Recent actions"),
)
