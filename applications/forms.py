"""Forms of the application service. They validate; `services` acts."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.passwords import password_policy_help, validate_password_policy
from tenancy.forms import date_input

from .models import ADULT_AGE, ApartmentSize, Applicant, Application, Area

MAX_PEOPLE_MOVING_IN = 10
OLDEST_AGE = 120
MOVING_WINDOW = timedelta(days=3 * 366)


def _check_birth_date(birth_date: date) -> date:
    today = timezone.localdate()
    if birth_date > today:
        raise ValidationError(_("The birth date cannot be in the future."), code="future_birth_date")
    if birth_date < today.replace(year=today.year - OLDEST_AGE):
        raise ValidationError(_("Check the birth date."), code="birth_date_too_early")
    return birth_date


class ApplicationForm(forms.Form):
    """APP-1: the wanted apartment and the applicant's own information."""

    areas = forms.MultipleChoiceField(
        label=_("Wanted areas"),
        choices=Area.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose one or more."),
        error_messages={"required": _("Choose at least one area.")},
    )
    apartment_size = forms.ChoiceField(label=_("Apartment size"), choices=ApartmentSize.choices, widget=forms.RadioSelect)
    max_rent = forms.DecimalField(
        label=_("Maximum rent (€ a month)"),
        min_value=Decimal(1),
        max_value=Decimal(10000),
        max_digits=8,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )
    moving_date = forms.DateField(label=_("Earliest moving date"), widget=date_input())
    first_names = forms.CharField(
        label=_("Your first names"),
        max_length=200,
        help_text=_("As in the population register; they are compared with your identification."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Your last name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    birth_date = forms.DateField(
        label=_("Your birth date"),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send you a receipt with the address of the confirmation page."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_moving_date(self) -> date:
        moving_date = self.cleaned_data["moving_date"]
        today = timezone.localdate()
        if moving_date < today:
            raise ValidationError(_("The moving date cannot be in the past."), code="past_moving_date")
        if moving_date > today + MOVING_WINDOW:
            raise ValidationError(_("Choose a moving date within three years."), code="far_moving_date")
        return moving_date

    def clean_birth_date(self) -> date:
        birth_date = _check_birth_date(self.cleaned_data["birth_date"])
        today = timezone.localdate()
        if Applicant(birth_date=birth_date).age_on(today) < ADULT_AGE:
            raise ValidationError(_("The applicant must be 18 or over."), code="applicant_minor")
        return birth_date


class CoApplicantForm(forms.Form):
    """APP-1: someone moving in with the applicant. An empty row is left out."""

    first_names = forms.CharField(label=_("First names"), max_length=200)
    last_name = forms.CharField(label=_("Last name"), max_length=200)
    birth_date = forms.DateField(label=_("Birth date"), widget=date_input())
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_(
            "Adults confirm the application through a link sent to this address. Without one, "
            "the person can only confirm it at the advisory office. Children need none."
        ),
    )

    def clean_birth_date(self) -> date:
        return _check_birth_date(self.cleaned_data["birth_date"])


class BaseCoApplicantFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            if not form.has_changed():
                continue
            data = form.cleaned_data
            key = (data["first_names"].strip().casefold(), data["last_name"].strip().casefold(), data["birth_date"])
            if key in seen:
                raise ValidationError(_("The same person is listed twice."), code="duplicate_person")
            seen.add(key)


# absolute_max: a forged row count must not make the server build and render a thousand rows.
CoApplicantFormSet = forms.formset_factory(
    CoApplicantForm,
    formset=BaseCoApplicantFormSet,
    extra=2,
    max_num=MAX_PEOPLE_MOVING_IN,
    validate_max=True,
    absolute_max=MAX_PEOPLE_MOVING_IN,
)


class CookieConsentForm(forms.Form):
    choice = forms.ChoiceField(choices=[("accept", "accept"), ("decline", "decline")])
    next = forms.ChoiceField(choices=[("confirm", "confirm"), ("link", "link")], required=False)


class ChooseApplicationsForm(forms.Form):
    """APP-2: which of the identified person's applications to confirm."""

    applicants = forms.MultipleChoiceField(
        label=_("Applications to confirm"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the application to confirm.")},
    )

    def __init__(self, *args: Any, applicants: list[Applicant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.by_pk = {str(applicant.pk): applicant for applicant in applicants}
        cast(forms.ChoiceField, self.fields["applicants"]).choices = [
            (pk, _application_label(a.application)) for pk, a in self.by_pk.items()
        ]
        if len(applicants) == 1:
            self.fields["applicants"].initial = list(self.by_pk)

    def chosen(self) -> list[Applicant]:
        return [self.by_pk[pk] for pk in self.cleaned_data["applicants"]]


def _application_label(application: Application) -> str:
    return _("Application %(number)s: %(size)s, from %(date)s") % {
        "number": application.number,
        "size": application.get_apartment_size_display(),
        "date": formats.date_format(application.moving_date, "SHORT_DATE_FORMAT"),
    }


class UsernameRequestForm(forms.Form):
    """APP-6: the e-mail address given at the advisory office."""

    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The address you gave at the advisory office when you were identified."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class SetPasswordForm(forms.Form):
    """APP-6: the new account's password, policy P6 (ACC-2)."""

    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["password1"].help_text = password_policy_help("P6")

    def clean_password1(self) -> str:
        password = self.cleaned_data["password1"]
        # An unsaved User, since the similarity check reads the model's field names.
        validate_password_policy(password, policy="P6", user=User(email=self.email))
        return password

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("password1") and cleaned.get("password2") is not None and cleaned["password1"] != cleaned["password2"]:
            self.add_error("password2", ValidationError(_("The passwords do not match."), code="password_mismatch"))
        return cleaned


class ApplicantLoginForm(forms.Form):
    # "username" is for a text field; an e-mail field that is the user name is filled in as "email".
    email = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
