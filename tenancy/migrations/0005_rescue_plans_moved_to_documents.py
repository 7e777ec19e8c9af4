from django.db import migrations


class Migration(migrations.Migration):
    """DOC-1: the rescue plan is a building document now; documents.0002 has moved every stored
    rescue plan there (the files stay where they are) before the field goes."""

    dependencies = [
        ("tenancy", "0004_content_in_swedish_and_english"),
        ("documents", "0002_rescue_plans_from_buildings"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="building",
            name="rescue_plan",
        ),
    ]
