"""The documents app's demo data (heka_portal.registry): each demo building's rescue plan (TEN-8)
and its house rules in Finnish and Swedish, as building documents (DOC-1)."""

from typing import TextIO

from django.core.files.base import ContentFile

from tenancy.models import Building

from .models import Document
from .services import document_save

DEMO_DOCUMENTS = [
    (Document.Kind.RESCUE_PLAN, "fi", "Pelastussuunnitelma"),
    (Document.Kind.HOUSE_RULES, "fi", "Järjestyssäännöt"),
    (Document.Kind.HOUSE_RULES, "sv", "Ordningsregler"),
]


def populate(*, stdout: TextIO | None = None) -> None:
    added = 0
    for building in Building.objects.filter(code__in=["KONT7", "MRT3", "KANN12"]):
        for kind, language, title in DEMO_DOCUMENTS:
            existing = Document.objects.filter(building=building, kind=kind, language=language).first()
            if existing is not None and existing.file.name and existing.file.storage.exists(existing.file.name):
                continue
            document = existing or Document(building=building, kind=kind, language=language, title=title)
            document.file = ContentFile(demo_pdf(building, title=title), name=f"{kind}.pdf")
            document_save(document=document, uploaded_by=None)
            added += 1
    if stdout is not None:
        stdout.write(f"Documents: {added} building document(s) added.")


def demo_pdf(building: Building, *, title: str = "Pelastussuunnitelma") -> bytes:
    """A one-page PDF standing in for the rescue plan (or another document) staff upload for each building."""
    lines = [
        f"{title} - {building.street_address}",
        "(demo)",
        "Kokoontumispaikka: pihan leikkipaikka.",
        "Hätänumero 112. Väestönsuoja: kellarikerros.",
    ]
    text = "BT /F1 16 Tf 56 780 Td " + " ".join(
        f"({line.replace('(', '[').replace(')', ']')}) Tj 0 -26 Td" for line in lines
    ) + " ET"  # fmt: skip
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text.encode("cp1252")), text.encode("cp1252")),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
