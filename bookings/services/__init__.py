"""Writes of the Booking section. Views, admin actions and the `allocate_bookings` command call
these, so each rule lives here once.

Never two reservations of one space or slot at the same time (BKG-5): every write that may grant
a resource first locks the resource rows, then checks the holds in Python, then writes. On
PostgreSQL an exclusion constraint backs this up (migration 0002); should it ever fire, a request
is kept in the queue rather than failing.
"""

from .allocation import allocation_run
from .calendar import calendar_feed_renew
from .holds import BookingError, DuplicateRequest, free_from, holds_on, resource_key
from .reservations import (
    STAFF_TRANSITIONS,
    RequestOutcome,
    reservation_request,
    reservation_set_status,
    reservation_terminate,
    reservation_withdraw,
)

__all__ = [
    "STAFF_TRANSITIONS",
    "BookingError",
    "DuplicateRequest",
    "RequestOutcome",
    "allocation_run",
    "calendar_feed_renew",
    "free_from",
    "holds_on",
    "reservation_request",
    "reservation_set_status",
    "reservation_terminate",
    "reservation_withdraw",
    "resource_key",
]
