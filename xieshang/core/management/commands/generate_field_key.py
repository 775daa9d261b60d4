from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from xieshang.core.crypto import generate_key


class Command(BaseCommand):
    help = ("Print a new key for XIESHANG_FIELD_KEY (field-level encryption of ID numbers). "
            "Keep a copy with the backups: without it the encrypted values cannot be read.")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(generate_key())
