"""Forms of the resident's tenancy pages. They validate; the services in `services.py` act."""

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import OccupantChangeNotice
from .validators import normalize_iban

if TYPE_CHECKING:
    from accounts.models import User

PHONE_PATTERN = re.compile(r"^\+?[0-9 ()-]{5,30}$")

# How far from today a move may be reported; further is surely a typing error.
MOVE_WINDOW = timedelta(days=366)


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContactForm(forms.Form):
    """TEN-2: phone and postal address."""

    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        help_text=_("For example 040 123 4567 or +358 40 123 4567."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    street_address = forms.CharField(
        label=_("Street address"),
        max_length=200,
        required=False,
        # One line of the address: "street-address" is for a multi-line field (HTML autofill).
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    postal_code = forms.CharField(
        label=_("Postal code"), max_length=10, required=False, widget=forms.TextInput(attrs={"autocomplete": "postal-code"})
    )
    city = forms.CharField(
        label=_("City"), max_length=100, required=False, widget=forms.TextInput(attrs={"autocomplete": "address-level2"})
    )

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and (not PHONE_PATTERN.match(phone) or sum(c.isdigit() for c in phone) < 5):
            raise ValidationError(_("Enter a phone number with digits only, for example 040 123 4567."), code="invalid_phone")
        return phone

    def clean(self) -> dict[str, Any]:
        # Every field is optional, so a form that arrived cut short would blank the missing ones:
        # a browser always sends all four, so a missing one means the form did not arrive whole.
        if any(name not in self.data for name in self.fields):
            raise ValidationError(
                _("The form did not arrive whole, so nothing was changed. Please check the details and send them again."),
                code="incomplete",
            )
        super().clean()
        return self.cleaned_data


class BankAccountForm(forms.Form):
    """TEN-2: a new bank account number, confirmed with the account's password."""

    iban = forms.CharField(
        label=_("New bank account number (IBAN)"),
        max_length=42,
        help_text=_("For example FI21 1234 5600 0007 85."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        help_text=_("For your security, changing the bank account number asks for your password again."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: "User", locked: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.locked = locked

    def clean_iban(self) -> str:
        return normalize_iban(self.cleaned_data["iban"])

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if self.locked:
            raise ValidationError(_("Too many wrong passwords. Please try again in 15 minutes."), code="locked")
        if not self.user.check_password(password):
            raise ValidationError(_("The password is not correct."), code="wrong_password")
        return password


class OccupantChangeForm(forms.Form):
    """TEN-5: someone moves into or out of the apartment."""

    kind = forms.ChoiceField(label=_("What changes?"), choices=OccupantChangeNotice.Kind.choices, widget=forms.RadioSelect)
    occupant_name = forms.CharField(
        label=_("Full name of the person moving"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    occupant_birth_date = forms.DateField(
        label=_("Birth date of the person moving"),
        required=False,
        help_text=_("Needed for someone moving in."),
        widget=date_input(),
    )
    moves_on = forms.DateField(label=_("Date of the move"), widget=date_input())
    details = forms.CharField(
        label=_("Additional information"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_moves_on(self) -> date:
        moves_on = self.cleaned_data["moves_on"]
        if abs(moves_on - self.today) > MOVE_WINDOW:
            raise ValidationError(_("Give a date within a year from today."), code="move_out_of_range")
        return moves_on

    def clean_occupant_birth_date(self) -> date | None:
        birth_date = self.cleaned_data["occupant_birth_date"]
        if birth_date is not None and birth_date > self.today:
            raise ValidationError(_("The birth date cannot be in the future."), code="birth_date_in_future")
        return birth_date

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("kind") == OccupantChangeNotice.Kind.MOVING_IN and not cleaned.get("occupant_birth_date"):
            self.add_error("occupant_birth_date", _("Give the birth date of the person moving in."))
        return cleaned


class TerminationForm(forms.Form):
    """TEN-6: notice of terminating the agreement. `expected_end` carries the end date the resident
    saw on the confirmation step, so that a notice is never sent with a date they did not see."""

    forwarding_address = forms.CharField(
        label=_("Your new address"),
        required=False,
        max_length=300,
        help_text=_("Where we can send the final invoice and the deposit decision."),
        # The whole address, on as many lines as it needs: the one field "street-address" describes.
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    message = forms.CharField(
        label=_("Message to customer service"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    expected_end = forms.DateField(required=False, widget=forms.HiddenInput)
