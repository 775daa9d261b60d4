# The workflow engine (core.workflow): the events become core.WorkflowEvent rows.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('duties', '0003_self_reports_and_recompute_requests'),
    ]

    operations = [
        migrations.AddField(
            model_name='selfreport',
            name='version',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name='selfreportevent',
            name='action',
            field=models.CharField(max_length=32),
        ),
        migrations.AlterField(
            model_name='selfreportevent',
            name='from_status',
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AlterField(
            model_name='selfreportevent',
            name='note',
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name='selfreportevent',
            name='to_status',
            field=models.CharField(blank=True, max_length=20),
        ),
    ]
