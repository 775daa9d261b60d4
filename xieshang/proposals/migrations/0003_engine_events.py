# The workflow engine (core.workflow): the events become core.WorkflowEvent rows.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('proposals', '0002_routing_records'),
    ]

    operations = [
        migrations.AlterField(
            model_name='proposalevent',
            name='actor_name',
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.AlterField(
            model_name='proposalevent',
            name='from_status',
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AlterField(
            model_name='proposalevent',
            name='to_status',
            field=models.CharField(blank=True, max_length=20),
        ),
    ]
