"""STF-4: the staff lists search persons by the beginning of a name or an e-mail address without
regard to case (`UPPER(column) LIKE 'ABC%'`), which a b-tree over the upper-cased column with
text_pattern_ops answers in any collation. PostgreSQL only, and built without locking the table
for writes; SQLite on a laptop searches its few rows without them."""

from django.db import migrations

INDEXES = {
    "person_last_name_prefix_idx": "last_name",
    "person_first_names_prefix_idx": "first_names",
    "person_email_prefix_idx": "email",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON tenancy_person (UPPER("{column}") text_pattern_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run in a transaction.
    atomic = False

    dependencies = [("tenancy", "0006_staff_list_order_indexes")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
