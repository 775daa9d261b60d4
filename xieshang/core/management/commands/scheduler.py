"""``xieshang scheduler``: run the platform's timetable (core.schedule).

Wakes every ``--interval`` seconds, claims the firings that are due and queues them for the task
worker (``xieshang db_worker``), which does the work. Any number of schedulers may run: each
firing is claimed once in the database. ``--once`` makes one pass and exits (for a cron line
instead of a long-running process); ``--list`` prints the timetable with the next firings.
"""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xieshang.core import clock, schedule


class Command(BaseCommand):
    help = "Run the scheduled jobs (reminders, digests, warnings, refits) at their times."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=20.0, metavar="SECONDS",
                            help="seconds between passes (default 20)")
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--list", action="store_true",
                            help="print the jobs and their next firing, then exit")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for job in schedule.jobs():
                upcoming = schedule.next_firing(job)
                shown = f"{clock.local(upcoming):%Y-%m-%d %H:%M}" if upcoming else "-"
                self.stdout.write(f"{job.key:32} {job.cron:16} next {shown}")
            return
        scheduler = schedule.Scheduler()
        stopping = False

        def stop(_signum: int, _frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while True:
            for run in scheduler.tick():
                self.stdout.write(f"{clock.local(clock.now()):%Y-%m-%d %H:%M:%S} queued "
                                  f"{run.job} ({run.committee or 'install'})", ending="\n")
            if options["once"] or stopping:
                return
            deadline = time.monotonic() + options["interval"]
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.5)
            if stopping:
                return
