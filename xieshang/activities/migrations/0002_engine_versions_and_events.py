# The workflow engine (core.workflow): invitations and ledger items carry a version (optimistic
# locking); their events become core.WorkflowEvent rows (ActivityEvent).

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0001_initial'),
        ('core', '0005_account_security'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='invitation',
            name='version',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='suggestion',
            name='version',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RenameModel(old_name='WorkflowEvent', new_name='ActivityEvent'),
        migrations.AlterField(
            model_name='activityevent',
            name='action',
            field=models.CharField(max_length=32),
        ),
        migrations.AlterField(
            model_name='activityevent',
            name='from_status',
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AlterField(
            model_name='activityevent',
            name='to_status',
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AlterField(
            model_name='activityevent',
            name='actor_name',
            field=models.CharField(blank=True, max_length=150),
        ),
    ]
