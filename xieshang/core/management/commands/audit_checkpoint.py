from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from xieshang.core import clock
from xieshang.core.audit import checkpoint_write, heads


class Command(BaseCommand):
    help = ("Write a signed checkpoint of every audit chain's head (the newest row's number and "
            "hash) to XIESHANG_AUDIT_CHECKPOINT_DIR. One is written each day after the first "
            "audited change; run this too before a backup or from a timer.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = checkpoint_write(clock.local(clock.now()).strftime("%Y-%m-%d-%H%M%S"))
        self.stdout.write(f"{len(heads())} chains checkpointed in {path}")
