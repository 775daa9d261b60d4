from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xieshang.core.audit import verify


class Command(BaseCommand):
    help = "Check the audit log's hash chains; report rows that were changed or removed."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = verify()
        for pk, problem in problems[:100]:
            self.stdout.write(f"audit row {pk}: {problem}")
        if problems:
            raise CommandError(f"{len(problems)} audit rows fail the check", returncode=1)
        self.stdout.write("the audit log is intact")
