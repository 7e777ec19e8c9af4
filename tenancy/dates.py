"""Calendar rules of the rental agreement."""

import calendar
from datetime import date


def last_day_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def termination_end_date(notice_date: date) -> date:
    """The last day of the tenancy after a notice given on `notice_date` (TEN-6).

    The notice period is one calendar month counted from the end of the month of notice, so any
    day of November ends the agreement on 31 December, and any day of December on 31 January.
    """
    year, month = (notice_date.year + 1, 1) if notice_date.month == 12 else (notice_date.year, notice_date.month + 1)
    return last_day_of_month(year, month)
