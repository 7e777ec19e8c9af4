"""Forms of registration, activation and the profile. They validate; the views call services."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from .models import OfficeIdentification, User
from .passwords import password_policy_help, validate_password_policy
from .selectors import account_for_email, is_pending

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

EMAIL_TAKEN = _("This e-mail address is already the user name of an account. Log in with it, or give another address.")


def _email_field(label: "StrOrPromise | None" = None) -> forms.EmailField:
    return forms.EmailField(
        label=label or _("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class PasswordPairForm(forms.Form):
    """A new password typed twice, checked against a password policy (ACC-2, ACC-5)."""

    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, policy: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.policy = policy
        self.fields["password1"].help_text = password_policy_help(policy)

    def account_email(self) -> str:
        return ""

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1:
            try:
                validate_password_policy(password1, policy=self.policy, user=User(email=self.account_email()))
            except ValidationError as error:
                self.add_error("password1", error)
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords are not the same."))
        return cleaned


class RegistrationForm(PasswordPairForm):
    """ACC-1: the address that becomes the user name, and a password under P6."""

    field_order = ["email", "password1", "password2"]

    email = _email_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("policy", "P6")
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = _(
            "This address will be your user name. It cannot be changed later, so use one you will keep."
        )

    def account_email(self) -> str:
        return self.cleaned_data.get("email", "")

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"])
        existing = account_for_email(email)
        if existing is not None and not is_pending(existing):
            raise ValidationError(EMAIL_TAKEN, code="email_taken")
        return email


class OfficePasswordForm(PasswordPairForm):
    """ACC-4: the password chosen after office identification, under P8 (ACC-5)."""

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        self.email = email
        kwargs.setdefault("policy", "P8")
        super().__init__(*args, **kwargs)

    def account_email(self) -> str:
        return self.email


class OfficeIdentificationForm(forms.Form):
    email = _email_field(_("The e-mail address you gave at the office"))

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["email"])


class ActivationConfirmForm(forms.Form):
    """ACC-3: the person confirms the registration with the address and password they chose."""

    email = _email_field()
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        email, password = cleaned.get("email"), cleaned.get("password")
        if email and password:
            same_address = User.objects.normalize_email(email) == self.user.email
            # Check the password even for a wrong address, so that both take the same time.
            right_password = self.user.check_password(password)
            if not (same_address and right_password):
                raise ValidationError(
                    _("The e-mail address or the password is not the one you chose when you registered."),
                    code="mismatch",
                )
        return cleaned


class ActivationLinkRequestForm(forms.Form):
    email = _email_field()

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["email"])


def _language_choices() -> list[tuple[str, str]]:
    # Each language in its own name, so that someone who cannot read the current one finds theirs.
    return [(code, get_language_info(code)["name_local"].capitalize()) for code, _name in settings.LANGUAGES]


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the portal and of e-mails"), choices=_language_choices, widget=forms.RadioSelect
    )


class OfficeIdentificationAdminForm(forms.ModelForm):
    """STF-7: the one form for an office identification, whether it lets a person of the register
    register online (ACC-4), confirms an applicant's housing application (APP-5), or both.

    For an applicant the identity code is read from the document, checked against them and never
    stored in clear; the clerk is whoever records it, and the expiry follows from the time."""

    identity_code = forms.CharField(
        label=capfirst(_("personal identity code")),
        required=False,
        help_text=_(
            "For an applicant: from the identity document. Checked against the applicant's birth date; stored only encrypted."
        ),
    )

    class Meta:
        model = OfficeIdentification
        fields = ["person", "applicant", "document_type", "identity_code", "office", "office_name", "identified_at", "email"]

    def clean(self) -> dict:
        from applications.models import Applicant
        from tenancy import hetu

        cleaned = super().clean() or {}
        person, applicant, code = cleaned.get("person"), cleaned.get("applicant"), cleaned.get("identity_code", "")
        # Neither a person nor an applicant: the model's constraint says so, in the same words.
        if not cleaned.get("office") and not (cleaned.get("office_name") or "").strip():
            self.add_error("office", _("Choose the region office or write out the office."))
        if person is not None and not cleaned.get("email"):
            self.add_error("email", _("The person registers online with this address: it is needed."))
        if applicant is None:
            return cleaned
        if not code:
            self.add_error("identity_code", _("The identity code from the document is needed to confirm for an applicant."))
            return cleaned
        try:
            normalized = hetu.normalize(code)
        except ValidationError as error:
            self.add_error("identity_code", error)
            return cleaned
        if hetu.birth_date(normalized) != applicant.birth_date:
            self.add_error("identity_code", _("The identity code does not match the applicant's birth date."))
        elif applicant.hetu_hash and applicant.hetu_hash not in hetu.lookup_hashes(normalized):
            self.add_error("identity_code", _("This applicant has already identified with a different identity code."))
        elif (
            Applicant.objects.filter(application=applicant.application_id, hetu_hash__in=hetu.lookup_hashes(normalized))
            .exclude(pk=applicant.pk)
            .exists()
        ):
            self.add_error("identity_code", _("This identity code has already confirmed for another applicant."))
        elif person is not None and person.hetu_hash and person.hetu_hash not in hetu.lookup_hashes(normalized):
            self.add_error("person", _("The identity code of the document is not this person's."))
        return cleaned
