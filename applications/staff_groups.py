"""The applications app's share of the staff groups (STF-3); gathered by `manage.py setup_groups`."""

from tenancy.staff_groups import CUSTOMER_SERVICE, OFFICE_CLERK

# Office identifications of applicants are the accounts app's one record (STF-7): see accounts.staff_groups.
_READ = ["applications.view_application", "applications.view_applicant"]

GROUP_PERMISSIONS: dict[str, list[str]] = {
    # Answers applicants' questions about where their confirmation stands.
    CUSTOMER_SERVICE: [*_READ],
    OFFICE_CLERK: [*_READ],
}
