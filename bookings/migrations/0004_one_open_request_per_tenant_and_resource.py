from django.db import migrations, models


class Migration(migrations.Migration):
    """BKG-1: a tenant has at most one open request or reservation for a space or a slot."""

    dependencies = [("bookings", "0003_reservation_item_open_tenant")]

    operations = [
        migrations.AddConstraint(
            model_name='reservationitem',
            constraint=models.UniqueConstraint(fields=('open_tenant', 'parking_space'), name='reservation_item_space_once_per_tenant'),
        ),
        migrations.AddConstraint(
            model_name='reservationitem',
            constraint=models.UniqueConstraint(fields=('open_tenant', 'sauna_slot'), name='reservation_item_slot_once_per_tenant'),
        ),
    ]
