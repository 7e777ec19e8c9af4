"""One form per service request type (SRQ-5), each with the fields of the paper form it replaces.

The cleaned fields other than the home are stored as JSON in `ServiceRequest.details`; the same
form class gives the labels to show them with.
"""

from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from tenancy.forms import date_input

from ..models import ServiceRequest
from .common import HomeForm, text_area, yes_no_field

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Type = ServiceRequest.Type


def _date(label: "StrOrPromise", **kwargs: Any) -> forms.DateField:
    # The browser's date picker reads and writes ISO dates whatever the page's language.
    return forms.DateField(label=label, widget=date_input(), **kwargs)


class ServiceRequestForm(HomeForm):
    type: Type
    intro: "StrOrPromise" = ""

    @property
    def draft_fields(self) -> tuple[str, ...]:
        return tuple(self.fields)

    def details_as_json(self) -> dict[str, object]:
        """The type's own fields as JSON values."""
        return {
            name: value.isoformat() if isinstance(value, date) else value
            for name, value in self.cleaned_data.items()
            if name != "home"
        }

    def _check_period(self, start: str, end: str, *, not_before: date | None = None) -> None:
        starts, ends = self.cleaned_data.get(start), self.cleaned_data.get(end)
        if starts and not_before and starts < not_before:
            self.add_error(start, _("The date cannot be in the past."))
        if starts and ends and ends < starts:
            self.add_error(end, _("The end date must be on or after the start date."))


class DisruptiveBehaviourForm(ServiceRequestForm):
    type = Type.DISRUPTIVE_BEHAVIOUR
    intro = _("Tell what disturbs you. Customer service may contact the residents concerned; your name is not given to them.")

    source = forms.CharField(
        label=_("Where does the disturbance come from?"), max_length=200, help_text=_("An apartment number or a place.")
    )
    occurred = forms.CharField(label=_("When did it happen?"), max_length=300, help_text=_("Dates and times."))
    description = forms.CharField(label=_("What happened?"), max_length=5000, widget=text_area())


class SmokingForm(ServiceRequestForm):
    type = Type.SMOKING
    intro = _("Smoking is forbidden in the common areas and, in many buildings, on balconies.")

    PLACES = [
        ("balcony", _("On a balcony")),
        ("apartment", _("Inside an apartment")),
        ("stairwell", _("In the stairwell or other common rooms")),
        ("yard", _("In the yard")),
        ("other", _("Elsewhere")),
    ]
    place = forms.ChoiceField(label=_("Where is smoked?"), choices=[("", "---------"), *PLACES])
    source = forms.CharField(label=_("Which apartment, if you know"), max_length=200, required=False)
    occurred = forms.CharField(label=_("When?"), max_length=300, help_text=_("Dates and times, or how often."))
    description = forms.CharField(label=_("More information"), max_length=5000, widget=text_area(), required=False)


class RenovationForm(ServiceRequestForm):
    type = Type.RENOVATION
    intro = _("Apply before you start: painting, wallpapering or new fixtures need Heka's permission.")

    work = forms.CharField(label=_("What do you plan to do?"), max_length=5000, widget=text_area())
    rooms = forms.CharField(label=_("In which rooms?"), max_length=200)
    starts_on = _date(_("Planned start"))
    ends_on = _date(_("Planned end"))
    done_by = forms.ChoiceField(
        label=_("Who does the work?"),
        choices=[("self", _("I do it myself")), ("contractor", _("A contractor"))],
        widget=forms.RadioSelect,
    )
    contractor = forms.CharField(label=_("Name of the contractor"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        self._check_period("starts_on", "ends_on", not_before=timezone.localdate())
        if cleaned.get("done_by") == "contractor" and not cleaned.get("contractor"):
            self.add_error("contractor", _("Give the name of the contractor."))
        return cleaned


class LeaseTransferForm(ServiceRequestForm):
    type = Type.LEASE_TRANSFER
    intro = _(
        "The lease can be transferred to a family member who lives in the apartment. Customer service checks the conditions."
    )

    new_tenant_name = forms.CharField(label=_("Name of the new tenant"), max_length=200)
    new_tenant_birth_date = _date(_("Birth date of the new tenant"))
    relationship = forms.CharField(label=_("How is the new tenant related to you?"), max_length=200)
    transfer_on = _date(_("Transfer date"))
    reason = forms.CharField(label=_("Reason for the transfer"), max_length=5000, widget=text_area())

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        self._check_period("transfer_on", "transfer_on", not_before=timezone.localdate())
        return cleaned


class RelinquishmentForm(ServiceRequestForm):
    type = Type.RELINQUISHMENT
    intro = _(
        "You may let the whole apartment for a fixed time, for example during studies or work elsewhere, with Heka's permission."
    )

    REASONS = [
        ("work", _("Work elsewhere")),
        ("studies", _("Studies elsewhere")),
        ("service", _("Military or civil service")),
        ("care", _("Care or hospital stay")),
        ("other", _("Other reason")),
    ]
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "---------"), *REASONS])
    starts_on = _date(_("From"))
    ends_on = _date(_("Until"))
    occupant_name = forms.CharField(label=_("Who will live in the apartment meanwhile?"), max_length=200, required=False)
    details = forms.CharField(label=_("More information"), max_length=5000, widget=text_area(), required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        self._check_period("starts_on", "ends_on", not_before=timezone.localdate())
        return cleaned


class NameChangeForm(ServiceRequestForm):
    type = Type.NAME_CHANGE
    intro = _("Tell us your new name so that the agreement and invoices are correct. Customer service may ask for a document.")

    new_first_names = forms.CharField(label=_("New first names"), max_length=200, required=False)
    new_last_name = forms.CharField(label=_("New last name"), max_length=200)
    changed_on = _date(_("Date of the change"))


class InspectionForm(ServiceRequestForm):
    type = Type.INSPECTION
    intro = _("An inspection is made, for example, before you move out, to agree on what needs repairing.")

    REASONS = [
        ("moving_out", _("I am moving out")),
        ("condition", _("The condition of the apartment")),
        ("other", _("Other reason")),
    ]
    reason = forms.ChoiceField(label=_("Reason for the inspection"), choices=[("", "---------"), *REASONS])
    preferred_times = forms.CharField(
        label=_("Suitable days and times"), max_length=300, help_text=_("For example: weekdays after 15.")
    )
    master_key_allowed = yes_no_field(
        _("May the inspector enter with a master key when you are not at home?"),
        yes=_("Yes, you may enter with a master key"),
        no=_("No, I want to be present"),
    )
    has_pets = yes_no_field(_("Are there pets in the apartment?"), yes=_("Yes"), no=_("No"))
    details = forms.CharField(label=_("More information"), max_length=5000, widget=text_area(), required=False)


SERVICE_FORMS: dict[str, type[ServiceRequestForm]] = {
    form.type.value: form
    for form in (
        DisruptiveBehaviourForm,
        SmokingForm,
        RenovationForm,
        LeaseTransferForm,
        RelinquishmentForm,
        NameChangeForm,
        InspectionForm,
    )
}


def details_for_display(request: ServiceRequest) -> list[tuple[str, str]]:
    """The stored details as (label, value) lines in the reader's language."""
    form_class = SERVICE_FORMS.get(request.type)
    if form_class is None:
        return [(str(name), str(value)) for name, value in request.details.items()]
    lines = []
    for name, field in form_class.base_fields.items():
        value = request.details.get(name)
        if name == "home" or value in (None, ""):
            continue
        if isinstance(field, forms.ChoiceField):
            # Normalised to a list of pairs when the field was made; the stubs name what may be given.
            choices = dict(cast(list[tuple[Any, Any]], field.choices))
            shown = str(choices.get(("yes" if value else "no") if isinstance(value, bool) else value, value))
        elif isinstance(field, forms.DateField):
            shown = formats.date_format(date.fromisoformat(value), "DATE_FORMAT")
        else:
            shown = str(value)
        lines.append((str(field.label), shown))
    return lines
