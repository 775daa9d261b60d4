from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from xieshang.core.fields import BlindIndexField, EncryptedTextField


class Command(BaseCommand):
    help = ("Re-encrypt every encrypted field under the first key of XIESHANG_FIELD_KEY and "
            "recompute the blind indexes (after putting a new key first; then the old key can "
            "be removed). Also encrypts values written before encryption was switched on.")

    def handle(self, *args: Any, **options: Any) -> None:
        for model in apps.get_models():
            fields = [f.name for f in model._meta.concrete_fields
                      if isinstance(f, EncryptedTextField | BlindIndexField)]
            if not any(isinstance(model._meta.get_field(f), EncryptedTextField) for f in fields):
                continue
            count = 0
            pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
            for start in range(0, len(pks), 500):
                with transaction.atomic():
                    for row in model._default_manager.filter(pk__in=pks[start:start + 500]):
                        # Saving writes a fresh token under the first key; the index follows.
                        row.save(update_fields=fields)
                        count += 1
            self.stdout.write(f"{model._meta.label}: {count} rows re-encrypted")
