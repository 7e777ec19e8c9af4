"""The resident's word on a defect marked done (NTF-7): confirm it, or reopen it with a reason;
either way with an optional rating of the handling."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models.kinds import RATINGS


def _rating_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("How well was the defect handled? 1 is poor, 5 is excellent."),
        choices=RATINGS,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class DefectConfirmForm(forms.Form):
    prefix = "confirm"

    rating = _rating_field()


class DefectReopenForm(forms.Form):
    prefix = "reopen"

    reason = forms.CharField(
        label=_("What is still wrong?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Tell us what is still wrong, so that the repair can be finished.")},
    )
    rating = _rating_field()
