# The workflow engine (core.workflow): the events become core.WorkflowEvent rows.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('opinions', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='opinionevent',
            options={'ordering': ['at', 'id'], 'verbose_name': 'report event', 'verbose_name_plural': 'report events'},
        ),
        migrations.AlterModelOptions(
            name='topicevent',
            options={'ordering': ['at', 'id']},
        ),
        migrations.RenameField(
            model_name='opinionevent',
            old_name='created_at',
            new_name='at',
        ),
        migrations.RenameField(
            model_name='topicevent',
            old_name='created_at',
            new_name='at',
        ),
        migrations.AlterField(
            model_name='opinionevent',
            name='actor_name',
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.AlterField(
            model_name='opinionevent',
            name='from_status',
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AlterField(
            model_name='opinionevent',
            name='to_status',
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AlterField(
            model_name='topicevent',
            name='actor_name',
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.AlterField(
            model_name='topicevent',
            name='from_status',
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AlterField(
            model_name='topicevent',
            name='to_status',
            field=models.CharField(blank=True, max_length=20),
        ),
    ]
