from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.saml import constants

from .persons import TEST_PERSONS, TestPerson, person_by_key

LOA_CHOICES = [
    (constants.LOA_FTN_SUBSTANTIAL, _("Substantial: online banking codes (loa2)")),
    (constants.LOA_FTN_HIGH, _("High: mobile certificate or certificate card (loa3)")),
    (constants.TEST_IDENTIFIER, _("Suomi.fi test identifier (test environment only)")),
    (constants.LOA_EIDAS_SUBSTANTIAL, _("eIDAS substantial")),
    (constants.LOA_EIDAS_HIGH, _("eIDAS high")),
    (constants.LOA_EIDAS_LOW, _("eIDAS low (not strong: the portal refuses it)")),
    (constants.FINNISH_AUTHENTICATOR, _("Finnish Authenticator (not strong: the portal refuses it)")),
]
SIGNING_KEY_CHOICES = [
    ("2", _("Certificate 2, the newer one")),
    ("1", _("Certificate 1, the older one")),
]


def person_label(person: TestPerson) -> str:
    name = f"{person.first_names} {person.last_name}"
    if person.is_foreign:
        return "{} ({})".format(name, _("foreign eIDAS identity, no Finnish identity code"))
    if person.note:
        return f"{name}, {person.hetu} ({person.note})"
    return f"{name}, {person.hetu}"


class DevIdpLoginForm(forms.Form):
    person = forms.ChoiceField(label=_("Test person"), widget=forms.RadioSelect)
    loa = forms.ChoiceField(
        label=_("Identification method"),
        choices=LOA_CHOICES,
        initial=constants.LOA_FTN_SUBSTANTIAL,
        widget=forms.Select(attrs={"aria-describedby": "loa-help"}),
    )
    signing_key = forms.ChoiceField(
        label=_("Signing certificate"),
        choices=SIGNING_KEY_CHOICES,
        initial="2",
        required=False,
        widget=forms.Select(attrs={"aria-describedby": "signing-key-help"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["person"]).choices = [(person.key, person_label(person)) for person in TEST_PERSONS]

    def clean_signing_key(self) -> str:
        return self.cleaned_data.get("signing_key") or "2"

    def clean_person(self) -> TestPerson:
        person = person_by_key(self.cleaned_data["person"])
        if person is None:
            raise forms.ValidationError(_("Choose one of the test persons."))
        return person
