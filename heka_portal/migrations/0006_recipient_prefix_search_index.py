"""STF-4: the outbox list searches by the beginning of the recipient's address without regard to
case, which a b-tree over the upper-cased column with text_pattern_ops answers. PostgreSQL only,
built without locking the table for writes; SQLite on a laptop searches its few rows without it."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        'CREATE INDEX CONCURRENTLY IF NOT EXISTS outbox_recipient_prefix_idx ON heka_portal_outboxemail (UPPER("to") text_pattern_ops)'
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS outbox_recipient_prefix_idx")


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run in a transaction.
    atomic = False

    dependencies = [("heka_portal", "0005_outbox_list_order_indexes")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
