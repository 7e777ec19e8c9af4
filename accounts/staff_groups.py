"""The accounts app's share of the staff groups (STF-3), gathered by `manage.py setup_groups`."""

from tenancy.staff_groups import CUSTOMER_SERVICE, OFFICE_CLERK

GROUP_PERMISSIONS: dict[str, list[str]] = {
    # Records identity checks at an office, for registration (ACC-4) and applications (APP-5) alike
    # (STF-7); may fix the e-mail an applicant gave, and remove a record only while unused.
    OFFICE_CLERK: [
        "accounts.add_officeidentification",
        "accounts.view_officeidentification",
        "accounts.change_officeidentification",
        "accounts.delete_officeidentification",
    ],
    # Sees whether a resident has registered and whether an office identification waits.
    CUSTOMER_SERVICE: ["accounts.view_officeidentification", "accounts.view_registration"],
}
