"""STF-7: the user-name links point only at the one record, and applications' own is gone."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("applications", "0003_copy_office_identifications")]

    operations = [
        migrations.RemoveField("usernamelink", "office_identification"),
        migrations.RenameField("usernamelink", "identification", "office_identification"),
        migrations.AlterField(
            model_name="usernamelink",
            name="office_identification",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="username_links",
                to="accounts.officeidentification",
                verbose_name="office identification",
            ),
        ),
        migrations.DeleteModel(name="OfficeIdentification"),
    ]
