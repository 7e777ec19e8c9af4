"""The accounts app's share of the staff groups (STF-3), gathered by `manage.py setup_groups`."""

from tenancy.staff_groups import CUSTOMER_SERVICE, OFFICE_CLERK

GROUP_PERMISSIONS: dict[str, list[str]] = {
    # Records identity checks at a regional office (ACC-4); may remove one only while unused.
    OFFICE_CLERK: [
        "accounts.add_officeidentification",
        "accounts.view_officeidentification",
        "accounts.delete_officeidentification",
    ],
    # Sees whether a resident has registered and whether an office identification waits.
    CUSTOMER_SERVICE: ["accounts.view_officeidentification", "accounts.view_registration"],
}
