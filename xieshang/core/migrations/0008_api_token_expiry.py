"""API tokens expire and say why they were revoked (issue #18, finding 5).

Tokens issued before get 90 days from this migration, so that no script stops without notice;
after that they are renewed like any other."""

import datetime as dt

from django.db import migrations, models
from django.utils import timezone


def give_existing_tokens_an_end(apps, schema_editor):
    ApiToken = apps.get_model("core", "ApiToken")
    ApiToken.objects.filter(expires_at__isnull=True).update(
        expires_at=timezone.now() + dt.timedelta(days=90))
    ApiToken.objects.filter(revoked_at__isnull=False, revoked_reason="").update(
        revoked_reason="user")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0007_audit_keyed_chain"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="revoked_reason",
            field=models.CharField(blank=True, choices=[
                ("user", "Revoked by its user"), ("admin", "Revoked by an administrator"),
                ("password", "The password was changed"),
                ("sessions", "Logged out on every device"),
                ("mfa_reset", "The second factor was reset"),
                ("disabled", "The account was disabled")], max_length=16),
        ),
        migrations.RunPython(give_existing_tokens_an_end, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires"),
        ),
    ]
