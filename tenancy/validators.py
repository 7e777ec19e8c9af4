from django.core.exceptions import ValidationError
from django.core.files import File
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


RESCUE_PLAN_MAX_BYTES = 20 * 1024 * 1024


def validate_rescue_plan(upload: File) -> None:
    """A rescue plan is a PDF of sensible size: checked by its first bytes, not by its name (X-4)."""
    if getattr(upload, "_committed", False):
        return  # already stored: it was checked when it was uploaded
    size = getattr(upload, "size", 0) or 0
    if size > RESCUE_PLAN_MAX_BYTES:
        raise ValidationError(_("The rescue plan may be at most 20 MB."), code="too_large")
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(5)
    upload.seek(position)
    if head != b"%PDF-":
        raise ValidationError(_("The rescue plan must be a PDF file."), code="not_pdf")
