"""The applications app's share of the staff groups (STF-3); gathered by `manage.py setup_groups`."""

from tenancy.staff_groups import CUSTOMER_SERVICE, OFFICE_CLERK

_READ = ["applications.view_application", "applications.view_applicant", "applications.view_officeidentification"]

GROUP_PERMISSIONS: dict[str, list[str]] = {
    # Answers applicants' questions about where their confirmation stands.
    CUSTOMER_SERVICE: [*_READ],
    # Checks identity documents at the advisory office and records it (APP-5); may fix the e-mail given.
    OFFICE_CLERK: [*_READ, "applications.add_officeidentification", "applications.change_officeidentification"],
}
