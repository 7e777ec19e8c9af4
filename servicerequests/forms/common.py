"""What the request forms share: the choice of home and the yes/no questions."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from tenancy.models import Apartment, Person, RentalAgreement

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Home:
    """An apartment the person may send requests about, with whose rights (their own or a ward's)."""

    apartment: Apartment
    holder: Person
    via_guardian: bool
    agreement: RentalAgreement | None = None

    @property
    def key(self) -> str:
        return f"{self.apartment.pk}-{self.holder.pk}"

    @property
    def label(self) -> str:
        if self.via_guardian:
            return str(
                _("%(address)s (on behalf of %(name)s)") % {"address": self.apartment.address, "name": self.holder.full_name}
            )
        return self.apartment.address


class HomeForm(forms.Form):
    """A form about one of the person's homes; with a single home the choice is not shown."""

    home = forms.ChoiceField(label=_("Apartment"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, homes: list[Home], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.homes = {home.key: home for home in homes}
        field = cast(forms.ChoiceField, self.fields["home"])
        field.choices = [(home.key, home.label) for home in homes]
        if len(homes) == 1:
            field.initial = homes[0].key
            field.widget = forms.HiddenInput()

    def clean_home(self) -> Home:
        return self.homes[self.cleaned_data["home"]]

    @property
    def single_home(self) -> Home | None:
        return next(iter(self.homes.values())) if len(self.homes) == 1 else None


def yes_no_field(
    label: "StrOrPromise", *, yes: "StrOrPromise", no: "StrOrPromise", help_text: "StrOrPromise" = ""
) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("yes", yes), ("no", no)],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=help_text,
    )


def text_area(rows: int = 5, maxlength: int = 5000) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "maxlength": maxlength})
