"""Forms of the Booking section. They validate; `services.py` acts."""

from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .dates import earliest_start, start_choices
from .models import ParkingSpace, SaunaSlot
from .selectors import Availability


def _fee(amount: Decimal) -> str:
    return _("%(fee)s € a month") % {"fee": formats.number_format(amount, 2, use_l10n=True)}


def _availability(choice: Availability, today_start: date) -> str:
    if choice.free_from is None:
        state = _("reserved")
    elif choice.free_from == today_start:
        state = _("free")
    else:
        state = _("free from %(date)s") % {"date": formats.date_format(choice.free_from, "SHORT_DATE_FORMAT")}
    if choice.queued:
        state = _("%(state)s, %(count)s in the queue") % {"state": state, "count": choice.queued}
    return state


def parking_label(choice: Availability, today_start: date) -> str:
    space = cast(ParkingSpace, choice.resource)
    place = f"{space.area} {space.number}" if space.area else space.number
    return f"{place} — {space.get_kind_display()}, {_fee(space.monthly_fee)} ({_availability(choice, today_start)})"


def sauna_label(choice: Availability, today_start: date) -> str:
    slot = cast(SaunaSlot, choice.resource)
    when = capfirst(f"{slot.when}, {slot.place}" if slot.place else slot.when)
    return f"{when}, {_fee(slot.monthly_fee)} ({_availability(choice, today_start)})"


class BookingRequestForm(forms.Form):
    """BKG-1: what to book, additional information and the start."""

    electric_car = forms.BooleanField(label=gettext_lazy("I have an electric car"), required=False)
    disability_permit = forms.BooleanField(label=gettext_lazy("I have a disabled parking permit"), required=False)
    flexible = forms.BooleanField(label=gettext_lazy("I am willing to take another day or time"), required=False)
    wanted_start = forms.TypedChoiceField(
        label=gettext_lazy("Start"),
        coerce=date.fromisoformat,
        help_text=gettext_lazy("The first day of the following month at the earliest. You may choose a later month."),
    )
    message = forms.CharField(
        label=gettext_lazy("Additional information"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, choices: list[Availability], today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        starts = start_choices(today)
        cast(forms.ChoiceField, self.fields["wanted_start"]).choices = [
            (day.isoformat(), formats.date_format(day, "YEAR_MONTH_FORMAT").capitalize()) for day in starts
        ]
        self.fields["wanted_start"].initial = starts[0].isoformat()
        self.resources = {str(choice.resource.pk): choice.resource for choice in choices}


class ParkingRequestForm(BookingRequestForm):
    parking_space = forms.ChoiceField(
        label=gettext_lazy("Parking space"),
        widget=forms.RadioSelect,
        help_text=gettext_lazy("A reserved space can still be requested: your request joins its queue."),
    )
    field_order = ["parking_space", "electric_car", "disability_permit", "wanted_start", "message"]

    def __init__(self, *args: Any, choices: list[Availability], today: date, **kwargs: Any) -> None:
        super().__init__(*args, choices=choices, today=today, **kwargs)
        del self.fields["flexible"]
        start = earliest_start(today)
        cast(forms.ChoiceField, self.fields["parking_space"]).choices = [
            (str(c.resource.pk), parking_label(c, start)) for c in choices
        ]

    def clean_parking_space(self) -> ParkingSpace:
        return cast(ParkingSpace, self.resources[self.cleaned_data["parking_space"]])


class SaunaRequestForm(BookingRequestForm):
    sauna_slots = forms.MultipleChoiceField(
        label=gettext_lazy("Weekly sauna slots"),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("You may choose several slots that follow each other in the same sauna on the same day."),
    )
    field_order = ["sauna_slots", "flexible", "wanted_start", "message"]

    def __init__(self, *args: Any, choices: list[Availability], today: date, **kwargs: Any) -> None:
        super().__init__(*args, choices=choices, today=today, **kwargs)
        del self.fields["electric_car"]
        del self.fields["disability_permit"]
        start = earliest_start(today)
        cast(forms.ChoiceField, self.fields["sauna_slots"]).choices = [
            (str(c.resource.pk), sauna_label(c, start)) for c in choices
        ]

    def clean_sauna_slots(self) -> list[SaunaSlot]:
        chosen = [cast(SaunaSlot, self.resources[pk]) for pk in self.cleaned_data["sauna_slots"]]
        slots = sorted(chosen, key=lambda slot: (slot.weekday, slot.starts_at))
        for earlier, later in pairwise(slots):
            if not earlier.is_followed_by(later):
                raise ValidationError(
                    _("Choose slots that follow each other in the same sauna on the same day, or only one slot."),
                    code="not_consecutive",
                )
        return slots


class TerminationForm(forms.Form):
    """BKG-8: `expected_end` carries the end date the resident saw before sending."""

    message = forms.CharField(
        label=gettext_lazy("Message to customer service"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    expected_end = forms.DateField(required=False, widget=forms.HiddenInput)
