"""STF-7: copy every applicant's office identification into the one record (see 0002)."""

import datetime

from django.conf import settings
from django.db import migrations


def move_to_the_one_record(apps, schema_editor):
    Old = apps.get_model("applications", "OfficeIdentification")
    New = apps.get_model("accounts", "OfficeIdentification")
    UsernameLink = apps.get_model("applications", "UsernameLink")
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("admin", "LogEntry")
    days = int(getattr(settings, "HEKA_OFFICE_IDENTIFICATION_DAYS", 30))
    old_type = ContentType.objects.filter(app_label="applications", model="officeidentification").first()
    new_type = None
    for old in Old.objects.select_related("applicant").order_by("pk").iterator():
        new = New.objects.create(
            applicant_id=old.applicant_id,
            person_id=old.applicant.person_id,
            document_type=old.document_type,
            office=None,
            office_name=old.office,
            clerk_id=old.clerk_id,
            identified_at=old.identified_at,
            email=old.email,
            expires_at=old.identified_at + datetime.timedelta(days=days),
            account_id=old.account_id,
        )
        UsernameLink.objects.filter(office_identification_id=old.pk).update(identification_id=new.pk)
        if old_type is not None:
            if new_type is None:
                new_type, _created = ContentType.objects.get_or_create(app_label="accounts", model="officeidentification")
            LogEntry.objects.filter(content_type=old_type, object_id=str(old.pk)).update(
                content_type=new_type, object_id=str(new.pk)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0002_one_office_identification"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(move_to_the_one_record, migrations.RunPython.noop, elidable=False)]
