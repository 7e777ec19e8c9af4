"""The bookings app's share of the staff groups (STF-3); see tenancy/staff_groups.py."""

from tenancy.staff_groups import BOOKING_HANDLER, CUSTOMER_SERVICE

GROUP_PERMISSIONS: dict[str, list[str]] = {
    # Keeps the spaces and slots, works the queue, runs the allocation and moves the reservations.
    BOOKING_HANDLER: [
        "bookings.view_parkingspace",
        "bookings.add_parkingspace",
        "bookings.change_parkingspace",
        "bookings.view_saunaslot",
        "bookings.add_saunaslot",
        "bookings.change_saunaslot",
        "bookings.view_reservation",
        "bookings.change_reservation",
        "bookings.view_reservationitem",
        "bookings.view_allocationrun",
        "bookings.run_allocation",
        "bookings.view_allocationdecision",
    ],
    # Answers residents' questions about their bookings; does not allocate.
    CUSTOMER_SERVICE: [
        "bookings.view_parkingspace",
        "bookings.view_saunaslot",
        "bookings.view_reservation",
        "bookings.view_reservationitem",
        "bookings.view_allocationrun",
        "bookings.view_allocationdecision",
    ],
}
