"""The documents app's share of the staff groups (STF-3, see tenancy/staff_groups.py)."""

from tenancy.staff_groups import CONTENT_EDITOR

GROUP_PERMISSIONS: dict[str, list[str]] = {
    # Keeps the building and agreement documents (DOC-1); picks the agreement from the register.
    CONTENT_EDITOR: [
        "documents.view_document",
        "documents.add_document",
        "documents.change_document",
        "documents.delete_document",
        "tenancy.view_rentalagreement",
    ],
}
