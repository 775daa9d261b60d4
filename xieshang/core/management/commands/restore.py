from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xieshang.core.backup import BackupError, restore, row_counts, summary


class Command(BaseCommand):
    help = "Restore a backup made by 'xieshang backup' into this (empty) install."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true",
                            help="replace a database that already holds data")

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        if not archive.exists():
            raise CommandError(f"no such file: {archive}", returncode=2)
        try:
            manifest = restore(archive, force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        now = row_counts()
        mismatched = {k: (v, now.get(k)) for k, v in manifest["counts"].items()
                      if now.get(k) != v}
        if mismatched:
            raise CommandError(f"restored, but row counts differ: {mismatched}", returncode=1)
        self.stdout.write(f"restored {summary(manifest)}; row counts match")
