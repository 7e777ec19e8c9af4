"""DOC-1: every rescue plan stored on a building (TEN-8) becomes the building's rescue-plan
document. The file is not copied nor moved: the document names the same stored file. Backwards,
the newest rescue-plan document of each building becomes its rescue plan again."""

from django.db import migrations

SIGNATURES = ((b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))
TITLES = {"fi": "Pelastussuunnitelma", "sv": "Räddningsplan", "en": "Rescue plan"}


def _content_type(field_file) -> str:
    try:
        with field_file.storage.open(field_file.name, "rb") as handle:
            head = handle.read(8)
    except OSError:  # gone from the storage: still listed, and a download answers 404
        return "application/pdf"
    return next((kind for signature, kind in SIGNATURES if head.startswith(signature)), "application/octet-stream")


def forwards(apps, schema_editor):
    Building = apps.get_model("tenancy", "Building")
    Document = apps.get_model("documents", "Document")
    for building in Building.objects.exclude(rescue_plan="").exclude(rescue_plan__isnull=True).iterator():
        if Document.objects.filter(building=building, kind="rescue_plan", file=building.rescue_plan.name).exists():
            continue
        Document.objects.create(
            building=building,
            kind="rescue_plan",
            title=TITLES["fi"],
            language="fi",
            file=building.rescue_plan.name,
            content_type=_content_type(building.rescue_plan),
        )


def backwards(apps, schema_editor):
    Building = apps.get_model("tenancy", "Building")
    Document = apps.get_model("documents", "Document")
    for document in Document.objects.filter(kind="rescue_plan", building__isnull=False).order_by("uploaded_at", "pk"):
        Building.objects.filter(pk=document.building_id).update(rescue_plan=document.file.name)
    Document.objects.filter(kind="rescue_plan").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_archive"),
        ("tenancy", "0004_content_in_swedish_and_english"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
