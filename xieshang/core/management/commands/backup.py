from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xieshang.core import clock
from xieshang.core.backup import BackupError, backup, summary


class Command(BaseCommand):
    help = "Back up the database and uploaded files into one .tar.gz."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--out", help="archive to write (default: xieshang-<time>.tar.gz)")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"] or f"xieshang-{clock.local(clock.now()):%Y%m%d-%H%M%S}.tar.gz")
        try:
            manifest = backup(out)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(f"{out}: {summary(manifest)}")
