"""Outage notices' share of the staff groups (STF-3); see tenancy.staff_groups."""

from tenancy.staff_groups import CONTENT_EDITOR, CUSTOMER_SERVICE

_OUTAGES = ["notifications.view_outage", "notifications.add_outage", "notifications.change_outage"]

GROUP_PERMISSIONS: dict[str, list[str]] = {
    # Customer service hears of a sudden outage first; content editors publish the planned ones.
    CUSTOMER_SERVICE: _OUTAGES,
    CONTENT_EDITOR: _OUTAGES,
}
