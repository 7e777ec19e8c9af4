from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException


def normalize_iban(value: str) -> str:
    """The IBAN in its compact form, or ValidationError naming what is wrong."""
    try:
        return IBAN(value).compact
    except SchwiftyException:
        raise ValidationError(
            _("Enter a valid IBAN bank account number, e.g. FI21 1234 5600 0007 85."), code="invalid_iban"
        ) from None


def validate_iban(value: str) -> None:
    if value:
        normalize_iban(value)


def mask_iban(value: str) -> str:
    """Country and the last four digits: 'FI** **** **** **07 85' reads as 'FI…0785'."""
    compact = value.replace(" ", "")
    return f"{compact[:2]}…{compact[-4:]}" if len(compact) > 6 else "…"
