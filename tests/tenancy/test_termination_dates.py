"""TEN-6: notice given on any day of a month ends the agreement on the last day of the next month."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tenancy.dates import termination_end_date

CASES = [
    # November → 31 December, whatever the day
    (date(2026, 11, 1), date(2026, 12, 31)),
    (date(2026, 11, 15), date(2026, 12, 31)),
    (date(2026, 11, 30), date(2026, 12, 31)),
    # December → January of the next year
    (date(2026, 12, 1), date(2027, 1, 31)),
    (date(2026, 12, 15), date(2027, 1, 31)),
    (date(2026, 12, 31), date(2027, 1, 31)),
    # January → February, in a common year and in leap years
    (date(2027, 1, 1), date(2027, 2, 28)),
    (date(2027, 1, 15), date(2027, 2, 28)),
    (date(2027, 1, 31), date(2027, 2, 28)),
    (date(2028, 1, 1), date(2028, 2, 29)),
    (date(2028, 1, 15), date(2028, 2, 29)),
    (date(2028, 1, 31), date(2028, 2, 29)),
    (date(2000, 1, 31), date(2000, 2, 29)),
    (date(2100, 1, 31), date(2100, 2, 28)),
    # February (short) → March, and a 30-day month after a 31-day one
    (date(2028, 2, 29), date(2028, 3, 31)),
    (date(2026, 3, 31), date(2026, 4, 30)),
    (date(2026, 8, 31), date(2026, 9, 30)),
]


@pytest.mark.parametrize(("notice", "end"), CASES, ids=[str(notice) for notice, _ in CASES])
def test_termination_ends_on_the_last_day_of_the_month_after_the_notice_TEN_6(notice, end):
    assert termination_end_date(notice) == end


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 12, 31)))
def test_termination_end_is_always_the_last_day_of_the_next_month_TEN_6(notice):
    end = termination_end_date(notice)
    assert (end + timedelta(days=1)).day == 1
    months_between = (end.year - notice.year) * 12 + end.month - notice.month
    assert months_between == 1
