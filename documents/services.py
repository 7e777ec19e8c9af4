"""Writes of the document archive (DOC-1)."""

from django.db import transaction

from accounts.models import User

from .models import Document
from .validators import read_head, sniff


@transaction.atomic
def document_save(*, document: Document, uploaded_by: User | None) -> Document:
    """Store a new or changed document. A newly chosen file is typed by its first bytes (the form
    has already refused any other kind) and stored under a name the server makes."""
    upload = document.file.file if document.file and not getattr(document.file, "_committed", True) else None
    if upload is not None:
        found = sniff(read_head(upload))
        if found is None:
            raise ValueError("The file was not validated as a document.")
        document.content_type = found[0]
        if uploaded_by is not None:
            document.uploaded_by = uploaded_by
    document.save()
    return document
