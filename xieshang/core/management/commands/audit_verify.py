from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xieshang.core.audit import verify


class Command(BaseCommand):
    help = ("Check the audit log: every chain's HMAC links and numbering, and every chain's head "
            "against the signed checkpoints outside the database (edited, recomputed, removed or "
            "truncated rows, a chain removed whole).")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--committee", type=int, default=None,
                            help="check one committee's chain only (its id; 0: platform rows)")

    def handle(self, *args: Any, **options: Any) -> None:
        problems = verify(options["committee"])
        for pk, problem in problems[:100]:
            self.stdout.write(f"audit row {pk}: {problem}" if pk else problem)
        if problems:
            raise CommandError(f"{len(problems)} problems in the audit log", returncode=1)
        self.stdout.write("the audit log is intact")
