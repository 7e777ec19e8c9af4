"""What the tenancy register adds to the resident dashboard (heka_portal.registry)."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings

from . import selectors
from .access import Access


def overdue_panel_context(access: Access) -> Mapping[str, Any] | None:
    """PAY-1: the person's overdue invoices with what to do about them; no panel when there are
    none. Two queries at most, however many there are."""
    lines, count = selectors.overdue_invoices_for(access)
    if not lines:
        return None
    tenancies = {tenancy.agreement.pk: tenancy for tenancy in access.main_tenancies()}
    return {
        "overdue": [(line, tenancies[line.invoice.agreement_id]) for line in lines],
        "overdue_count": count,
        "overdue_not_listed": count - len(lines),
        "payment_recipient": {"name": settings.HEKA_PAYMENT_RECIPIENT, "iban": settings.HEKA_PAYMENT_IBAN},
    }
