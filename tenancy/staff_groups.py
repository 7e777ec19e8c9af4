"""The tenancy app's share of the staff groups (STF-3). `manage.py setup_groups` gathers the
`GROUP_PERMISSIONS` of every installed app's `staff_groups` module; an app adds the permissions of
its own models here, under the same group names, and the command is run again."""

from django.utils.translation import gettext_noop

# The names are the groups' keys in the database; the admin shows them translated (heka_portal.admin).
CUSTOMER_SERVICE = gettext_noop("Customer service")
OFFICE_CLERK = gettext_noop("Office clerk")
BOOKING_HANDLER = gettext_noop("Booking handler")
CONTENT_EDITOR = gettext_noop("Content editor")

GROUPS = (CUSTOMER_SERVICE, OFFICE_CLERK, BOOKING_HANDLER, CONTENT_EDITOR)

_REGISTER_READ = [
    "tenancy.view_regionoffice",
    "tenancy.view_building",
    "tenancy.view_apartment",
    "tenancy.view_person",
    "tenancy.view_rentalagreement",
    "tenancy.view_agreementparty",
    "tenancy.view_occupancy",
]

GROUP_PERMISSIONS: dict[str, list[str]] = {
    # Answers residents: reads the register and their invoices, fixes contact details, handles
    # notices. Does not see identity codes.
    CUSTOMER_SERVICE: [
        *_REGISTER_READ,
        "tenancy.view_guardianship",
        "tenancy.view_invoice",
        "tenancy.view_payment",
        "tenancy.change_person",
        "tenancy.view_occupantchangenotice",
        "tenancy.change_occupantchangenotice",
        "tenancy.view_terminationnotice",
        "tenancy.change_terminationnotice",
        "tenancy.view_bulletin",
    ],
    # Meets people at a regional office, checks identity documents and keeps the register.
    OFFICE_CLERK: [
        *_REGISTER_READ,
        "tenancy.add_person",
        "tenancy.change_person",
        "tenancy.view_identity_code",
        "tenancy.add_rentalagreement",
        "tenancy.change_rentalagreement",
        "tenancy.add_agreementparty",
        "tenancy.change_agreementparty",
        "tenancy.delete_agreementparty",
        "tenancy.add_occupancy",
        "tenancy.change_occupancy",
        "tenancy.view_guardianship",
        "tenancy.add_guardianship",
        "tenancy.change_guardianship",
        # STF-5: keeps the register up to date from the ERP system's export.
        "tenancy.add_registerimport",
        "tenancy.view_registerimport",
    ],
    # Allocates sauna slots and parking spaces: needs to know who lives where.
    BOOKING_HANDLER: [*_REGISTER_READ],
    # Publishes bulletins and keeps the residents' building information and rescue plans.
    CONTENT_EDITOR: [
        "tenancy.view_regionoffice",
        "tenancy.view_building",
        "tenancy.change_building",
        "tenancy.view_bulletin",
        "tenancy.add_bulletin",
        "tenancy.change_bulletin",
        "tenancy.delete_bulletin",
    ],
}
