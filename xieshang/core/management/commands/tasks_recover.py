"""Re-queue background tasks whose worker died while running them.

django-tasks-db marks a task RUNNING when a worker claims it and only changes that when the
task returns or raises. A worker killed in between (SIGKILL, out of memory, power loss, a
container stopped without grace) leaves the task RUNNING for ever: no other worker picks it
up. This command puts such tasks back to READY so that the next worker runs them again.

Run it before starting the worker (``--older-than 0`` when one worker serves the install, so
nothing can still be running) and from cron with a threshold longer than the slowest task
when several workers run at once. The tasks it re-queues must be safe to run twice:
``deliver_notification`` claims each copy before sending, so it never sends one twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from xieshang.core import clock


def recover(*, older_than: float, dry_run: bool = False) -> list[str]:
    """Put RUNNING tasks started more than ``older_than`` seconds ago back to READY."""
    cutoff = clock.now() - dt.timedelta(seconds=older_than)
    with transaction.atomic():
        stale = DBTaskResult.objects.running().filter(started_at__lte=cutoff)
        ids = [str(pk) for pk in stale.select_for_update().values_list("pk", flat=True)]
        if ids and not dry_run:
            DBTaskResult.objects.filter(pk__in=ids, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY, started_at=None)
    return ids


class Command(BaseCommand):
    help = ("Re-queue background tasks left RUNNING by a worker that died "
            "(run before starting the worker, or from cron).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than", type=float, default=3600.0, metavar="SECONDS",
            help="only tasks started at least this long ago (default 3600; 0 = all, "
                 "safe only when no worker is running)")
        parser.add_argument("--dry-run", action="store_true",
                            help="list the tasks without changing them")

    def handle(self, *args: Any, older_than: float, dry_run: bool, **options: Any) -> None:
        older_than = max(older_than, 0)
        ids = recover(older_than=older_than, dry_run=dry_run)
        verb = "would re-queue" if dry_run else "re-queued"
        for pk in ids:
            self.stdout.write(f"{verb} {pk}")
        self.stdout.write(f"{verb} {len(ids)} stale task(s)")
