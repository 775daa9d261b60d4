"""``xieshang proposals remind [--committee CODE] [--now]``: the daily reminder run.

Without ``--now`` the run is queued for the task worker; with it, it runs here and prints
the counts (for cron on an install without a worker).
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from xieshang.proposals.tasks import run_reminders, send_reminders


class Command(BaseCommand):
    help = "Proposals: send deadline reminders and overdue notices; close feedback periods."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        remind = sub.add_parser("remind", help="reminders before deadlines and on overdue")
        remind.add_argument("--committee", default="")
        remind.add_argument("--now", action="store_true", help="run here instead of queueing")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            counts = run_reminders(committee_code=options["committee"])
            self.stdout.write(", ".join(f"{k}={v}" for k, v in counts.items()))
        else:
            result = send_reminders.enqueue(committee_code=options["committee"])
            self.stdout.write(f"queued {result.id}")
