# The workflow engine (core.workflow): the events become core.WorkflowEvent rows.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0002_images_learning_host_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='articleevent',
            name='actor_name',
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.AlterField(
            model_name='articleevent',
            name='action',
            field=models.CharField(max_length=32),
        ),
        migrations.AlterField(
            model_name='articleevent',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='articleevent',
            name='from_status',
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AlterField(
            model_name='articleevent',
            name='note',
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name='articleevent',
            name='to_status',
            field=models.CharField(blank=True, max_length=20),
        ),
    ]
