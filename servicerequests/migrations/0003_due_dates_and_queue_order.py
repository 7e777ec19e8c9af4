from django.db import migrations, models


class Migration(migrations.Migration):
    """Every request has a due date now (NTF-6); the staff queues read in their order from an index."""

    dependencies = [
        ("servicerequests", "0002_handling_times_and_review"),
    ]

    operations = [
        migrations.AlterField(
            model_name="residentrequest",
            name="due_on",
            field=models.DateField(verbose_name="due"),
        ),
        migrations.AddField(
            model_name='residentrequest',
            name='queue_rank',
            field=models.GeneratedField(db_persist=True, expression=models.Case(models.When(models.Q(('reopened_count__gt', 0), ('status__in', ('received', 'in_progress', 'waiting'))), then=models.Value(0)), models.When(status__in=('received', 'in_progress', 'waiting'), then=models.Value(1)), default=models.Value(2)), output_field=models.PositiveSmallIntegerField(choices=[(0, 'Reopened by the resident'), (1, 'Open'), (2, 'Handled')]), verbose_name='place in the queue'),
        ),
        migrations.AddIndex(
            model_name='residentrequest',
            index=models.Index(condition=models.Q(('kind', 'defect')), fields=['queue_rank', 'due_on', 'created_at', 'id'], name='defect_queue_idx'),
        ),
        migrations.AddIndex(
            model_name='residentrequest',
            index=models.Index(condition=models.Q(('kind', 'message')), fields=['queue_rank', 'due_on', 'created_at', 'id'], name='message_queue_idx'),
        ),
        migrations.AddIndex(
            model_name='residentrequest',
            index=models.Index(condition=models.Q(('kind', 'service_request')), fields=['queue_rank', 'due_on', 'created_at', 'id'], name='service_request_queue_idx'),
        ),
    ]
