"""BKG-5 in the database: no two reservation items may hold the same parking space or sauna slot on
the same day. PostgreSQL only (an exclusion constraint over a date range needs btree_gist); on
SQLite, used on a laptop, the services' check under the row lock keeps the rule."""

from django.db import migrations

CONSTRAINTS = {
    "bookings_item_space_no_overlap": "parking_space_id",
    "bookings_item_slot_no_overlap": "sauna_slot_id",
}


def create_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for name, column in CONSTRAINTS.items():
        schema_editor.execute(
            f"ALTER TABLE bookings_reservationitem ADD CONSTRAINT {name} EXCLUDE USING gist "
            f"({column} WITH =, daterange(held_from, held_until, '[]') WITH &&) "
            f"WHERE ({column} IS NOT NULL AND held_from IS NOT NULL)"
        )


def drop_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE bookings_reservationitem DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]

    operations = [migrations.RunPython(create_constraints, drop_constraints, elidable=False)]
