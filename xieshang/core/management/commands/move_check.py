"""``xieshang move_check``: this install's own check figures as JSON (``xieshang move`` runs it
on both sides of a move and compares them; see ``xieshang.core.integrity``)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from xieshang.core import integrity


class Command(BaseCommand):
    help = ("Print this install's check figures (audit chains, encrypted fields, search index) "
            "as JSON: counts and digests only.")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(json.dumps(integrity.figures(), ensure_ascii=False, sort_keys=True))
