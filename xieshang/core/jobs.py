"""The platform's own scheduled jobs (core.schedule)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from xieshang.core import clock
from xieshang.core.models import Committee
from xieshang.core.schedule import Job, Result


def _tasks_recover(committee: Committee | None, day: dt.date) -> Result:
    from xieshang.core.management.commands.tasks_recover import recover

    return {"requeued": len(recover(older_than=3600))}


def _prune(committee: Committee | None, day: dt.date) -> Result:
    """Finished task results older than 30 days (failed ones 90) and runs older than a year."""
    from django.conf import settings
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from xieshang.core.models import ScheduledRun

    before = DBTaskResult.objects.count()
    if "django_tasks_db" in settings.TASKS["default"]["BACKEND"]:
        call_command("prune_db_task_results", min_age_days=30, failed_min_age_days=90,
                     verbosity=0)
    runs, _kinds = ScheduledRun.objects.filter(
        fired_at__lt=clock.now() - dt.timedelta(days=366)).delete()
    return {"task_results": before - DBTaskResult.objects.count(), "runs": runs}


def _audit_checkpoint(committee: Committee | None, day: dt.date) -> Result:
    """The day's last signed checkpoint of every audit chain's head, beside the one the day's
    first audited write left (``audit.checkpoint_if_due``): an edit of the log made in between
    no longer matches one of the two. Written again for the same day, it is the same file."""
    from xieshang.core import audit

    audit.checkpoint_write(f"{day.isoformat()}-night")
    return {"chains": len(audit.heads())}


JOBS = [
    Job("core.tasks_recover", _("Re-queue tasks of a worker that died"), "*/10 * * * *",
        _("Every 10 minutes"), _tasks_recover, per_committee=False,
        grace=dt.timedelta(minutes=10),
        description=_("Puts background tasks that have been running for over an hour (their "
                      "worker was killed) back in the queue."),
        result_labels={"requeued": _("tasks re-queued")}),
    Job("core.prune", _("Prune old task results"), "0 4 * * sun", _("Every Sunday at 4:00"),
        _prune, per_committee=False,
        description=_("Deletes the results of background tasks finished over 30 days ago "
                      "(failed ones after 90) and scheduled-run records over a year old."),
        result_labels={"task_results": _("task results deleted"),
                       "runs": _("run records deleted")}),
    Job("core.audit_checkpoint", _("Audit log checkpoint"), "50 23 * * *",
        _("Every day at 23:50"), _audit_checkpoint, per_committee=False,
        description=_("Signs the head of every committee's audit log and keeps it outside the "
                      "database, so that the verification finds any later edit or deletion of "
                      "the log (the audit log page shows the latest checkpoint)."),
        result_labels={"chains": _("audit chains signed")}),
]
