"""Calendar rules of sauna and parking reservations."""

from datetime import date, timedelta

from tenancy.dates import last_day_of_month, termination_end_date

__all__ = ["earliest_start", "start_choices", "termination_end_date"]

# How many months ahead a resident may ask the reservation to start.
START_MONTHS = 12


def earliest_start(today: date) -> date:
    """A reservation starts on the first day of the following month at the earliest (BKG-3)."""
    return last_day_of_month(today.year, today.month) + timedelta(days=1)


def start_choices(today: date, months: int = START_MONTHS) -> list[date]:
    """The first days of the months a resident may choose as the start, the earliest first."""
    choices = [earliest_start(today)]
    while len(choices) < months:
        choices.append(earliest_start(choices[-1]))
    return choices
