from django import forms
from django.utils.translation import gettext_lazy as _

from . import kinds


class EmailPreferencesForm(forms.Form):
    """NTF-3: the optional kinds to receive by e-mail. The protective kinds are not choices: the
    page lists them as always sent, and a forged value for one of them is refused."""

    email_kinds = forms.MultipleChoiceField(
        label=_("Also send me by e-mail"),
        choices=[(kind.value, kind.label) for kind in kinds.OPTIONAL],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
