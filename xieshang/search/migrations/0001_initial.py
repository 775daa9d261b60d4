import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = [("core", "0003_seed_calendar")]
    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(db_index=True, max_length=32, verbose_name="kind")),
                ("object_id", models.CharField(max_length=64)),
                ("title", models.CharField(max_length=300, verbose_name="title")),
                ("body", models.TextField(blank=True, verbose_name="text")),
                ("url", models.CharField(blank=True, max_length=300)),
                ("date", models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="date")),
                ("facets", models.JSONField(blank=True, default=dict)),
                ("visibility", models.CharField(choices=[("public", "Public"), ("committee", "Everyone in the committee"), ("staff", "Office staff and leaders")], default="committee", max_length=16)),
                ("owner_ids", models.CharField(blank=True, default="", max_length=500)),
                ("bi", models.TextField(blank=True)),
                ("uni", models.TextField(blank=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("committee", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="%(app_label)s_%(class)s_set", to="core.committee", verbose_name="committee")),
            ],
            options={"verbose_name": "search entry", "verbose_name_plural": "search entries"},
        ),
        migrations.AddConstraint(
            model_name="searchentry",
            constraint=models.UniqueConstraint(fields=("kind", "object_id"), name="search_entry_unique"),
        ),
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(fields=["committee", "kind", "-date"], name="search_sear_committ_44802c_idx"),
        ),
    ]
