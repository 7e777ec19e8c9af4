"""Reference numbers a resident can quote to customer service: a letter for the kind of item and
its number. They are made from the item, so the receipt, the e-mail and the list show the same."""

from django.db.models import Model

PREFIXES = {
    "servicerequests.defect": "V",
    "servicerequests.message": "M",
    "servicerequests.servicerequest": "P",
    "servicerequests.residentrequest": "R",
    "bookings.reservation": "B",
    "tenancy.occupantchangenotice": "A",
    "tenancy.terminationnotice": "I",
    "applications.application": "H",
    "notifications.outage": "K",
}


def reference_for(item: Model) -> str:
    return f"{PREFIXES.get(item._meta.label_lower, 'X')}-{item.pk}"


def receipt_text(item: Model) -> str:
    """The line of the page a submission ends on (NTF-1): its reference number and the receipt."""
    from django.utils.translation import gettext

    return gettext("Reference %(reference)s: quote it when you contact customer service.") % {"reference": reference_for(item)}
