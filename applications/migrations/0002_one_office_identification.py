"""STF-7: an applicant's office identification becomes the one record of the accounts app.

Every applications.OfficeIdentification is copied into accounts.OfficeIdentification with its
applicant, the applicant's person, document, office (written out), clerk, time, e-mail and the
account created with it; the user-name links follow their record, and so do the admin's log
entries (who recorded or changed it, and when), so that the audit trail still opens the record.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_one_office_identification"),
        ("applications", "0001_initial"),
    ]

    # Three migrations, three transactions: PostgreSQL adds no constraint to a table with rows
    # written in the same transaction (pending trigger events).
    operations = [
        migrations.AddField(
            model_name="usernamelink",
            name="identification",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="accounts.officeidentification"
            ),
        ),
    ]
