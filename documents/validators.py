"""What a document may be (DOC-1, X-4): a PDF or a picture of at most 20 MB, known by its first
bytes, never by the name or the type the uploading browser gave it."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DOCUMENT_MAX_BYTES = 20 * 1024 * 1024

# The first bytes of each allowed kind of file, the type it is served with, and its suffix.
SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, suffix) of a file starting with `head`, or None for a kind not allowed."""
    for signature, content_type, suffix in SIGNATURES:
        if head.startswith(signature):
            return content_type, suffix
    return None


def read_head(upload: object) -> bytes:
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)  # type: ignore[attr-defined]
    head: bytes = upload.read(8)  # type: ignore[attr-defined]
    upload.seek(position)  # type: ignore[attr-defined]
    return head


def validate_document(upload: object) -> None:
    if getattr(upload, "_committed", False):
        return  # already stored: it was checked when it was uploaded
    size = getattr(upload, "size", 0) or 0
    if size > DOCUMENT_MAX_BYTES:
        raise ValidationError(_("A document may be at most 20 MB."), code="too_large")
    if sniff(read_head(upload)) is None:
        raise ValidationError(_("A document must be a PDF file, or a PNG or JPEG picture."), code="not_allowed")
