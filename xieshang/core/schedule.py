"""The platform's own timetable: jobs that run at set times (reminders, digests, warnings, refits).

Each app lists its jobs in ``<app>/jobs.py`` as ``JOBS = [Job(...), …]``; they are found the way
demo modules and URL modules are (no app edits the core). ``xieshang scheduler`` (started by
``make demo`` and by the ``xieshang-scheduler`` systemd unit) wakes every few seconds and, for
each job whose time has come, **claims** that firing in the database — one ``ScheduledRun`` row
per job, committee and firing time, under a unique constraint — and queues the work as a
background task for the worker. A second scheduler (two servers, a restart in the middle) finds
the row already there and does nothing, so no reminder is ever sent twice for one firing.
A scheduler that was down catches up on the last missed firing of each job when it comes back,
within the job's grace period (a day by default), and never on older ones.

Times are crontab expressions in the platform's time zone (Asia/Shanghai); APScheduler's
``CronTrigger`` computes the firing times (a well-kept implementation of crontab rules, DST and
month ends included). The loop itself is ours because it must claim each firing in the database.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache, partial
from importlib import import_module
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils.functional import Promise
from django.utils.translation import pgettext

from xieshang.core import clock

if TYPE_CHECKING:
    from xieshang.core.models import Committee, ScheduledRun

logger = logging.getLogger("xieshang.schedule")

Result = Mapping[str, int] | int | None


@dataclass(frozen=True)
class Job:
    """One entry of the timetable.

    ``run(committee, day)`` does the work for one committee (``None`` for an install-wide job)
    as of ``day`` and returns counts for the schedule page (``{"reminded": 3}``), labelled by
    ``result_labels``. It must be safe to run again for the same day (it is, by the claim, only
    run once per firing; a run that failed is not retried until the next firing).
    """

    key: str
    label: str | Promise
    cron: str  # minute hour day-of-month month day-of-week, local time
    when: str | Promise  # the same in words, for the page ("每天 7:30")
    run: Callable[[Committee | None, dt.date], Result]
    per_committee: bool = True
    grace: dt.timedelta = dt.timedelta(days=1)
    result_labels: Mapping[str, str | Promise] | None = None
    description: str | Promise = ""

    @property
    def trigger(self) -> CronTrigger:
        return _trigger(self.cron)


@cache
def _trigger(cron: str) -> CronTrigger:
    return CronTrigger.from_crontab(cron, timezone=ZoneInfo(settings.TIME_ZONE))


@cache
def jobs() -> tuple[Job, ...]:
    """Every app's ``jobs.JOBS``, in ``INSTALLED_APPS`` order."""
    found: list[Job] = []
    for config in apps.get_app_configs():
        if config.name.startswith("xieshang.") and find_spec(f"{config.name}.jobs") is not None:
            found.extend(import_module(f"{config.name}.jobs").JOBS)
    keys = [j.key for j in found]
    if len(keys) != len(set(keys)):
        raise RuntimeError(f"two scheduled jobs share a key: {sorted(keys)}")
    return tuple(found)


def job(key: str) -> Job:
    for j in jobs():
        if j.key == key:
            return j
    raise KeyError(key)


def last_firing(j: Job, now: dt.datetime | None = None) -> dt.datetime | None:
    """The latest firing time of ``j`` at or before ``now`` within its grace period."""
    now = now or clock.now()
    trigger = j.trigger
    moment = trigger.get_next_fire_time(None, now - j.grace)
    last = None
    while moment is not None and moment <= now:
        last = moment
        moment = trigger.get_next_fire_time(moment, moment + dt.timedelta(seconds=1))
    return last


def next_firing(j: Job, now: dt.datetime | None = None) -> dt.datetime | None:
    now = now or clock.now()
    fires: dt.datetime | None = j.trigger.get_next_fire_time(None, now + dt.timedelta(seconds=1))
    return fires


def _scopes(j: Job) -> list[Committee | None]:
    from xieshang.core.models import Committee

    if not j.per_committee:
        return [None]
    return list(Committee.objects.filter(is_active=True).order_by("path"))


def claim(j: Job, committee: Committee | None, fired_at: dt.datetime) -> ScheduledRun | None:
    """Record that this firing is ours; None when another scheduler already has it."""
    from xieshang.core.models import ScheduledRun

    try:
        with transaction.atomic():
            return ScheduledRun.objects.create(
                job=j.key, scope=str(committee.pk) if committee else "", committee=committee,
                fired_at=fired_at)
    except IntegrityError:
        return None


class Scheduler:
    """Claims and queues the firings that are due. ``tick()`` is one pass; the command loops."""

    def __init__(self, timetable: Iterable[Job] | None = None) -> None:
        self.timetable = tuple(timetable if timetable is not None else jobs())
        # Firings this process has fully claimed or seen claimed (no query until the next one).
        self._settled: dict[str, dt.datetime] = {}

    def tick(self, now: dt.datetime | None = None) -> list[ScheduledRun]:
        from xieshang.core.models import ScheduledRun

        now = now or clock.now()
        queued: list[ScheduledRun] = []
        for j in self.timetable:
            fired_at = last_firing(j, now)
            if fired_at is None or self._settled.get(j.key) == fired_at:
                continue
            taken = set(ScheduledRun.objects.filter(job=j.key, fired_at=fired_at)
                        .values_list("scope", flat=True))
            for committee in _scopes(j):
                scope = str(committee.pk) if committee else ""
                if scope in taken:
                    continue
                run = claim(j, committee, fired_at)
                if run is not None:
                    queued.append(run)
                    transaction.on_commit(partial(run_scheduled.enqueue, run.pk))
            self._settled[j.key] = fired_at
        return queued


@task()
def run_scheduled(run_id: int) -> str:
    """Do one claimed firing (in the task worker) and record how it went."""
    from xieshang.core.models import ScheduledRun

    run = ScheduledRun.objects.select_related("committee").filter(pk=run_id).first()
    if run is None or run.state != ScheduledRun.State.QUEUED:
        return "skipped"
    ScheduledRun.objects.filter(pk=run.pk).update(state=ScheduledRun.State.RUNNING,
                                                  started_at=clock.now())
    try:
        j = job(run.job)
        day = clock.local(run.fired_at).date()
        result = j.run(run.committee, day)
    except Exception as exc:
        logger.exception("scheduled job %s (%s) failed", run.job, run.scope or "install")
        ScheduledRun.objects.filter(pk=run.pk).update(
            state=ScheduledRun.State.FAILED, finished_at=clock.now(),
            error=f"{type(exc).__name__}: {exc}"[:2000])
        return "failed"
    counts = _counts(result)
    ScheduledRun.objects.filter(pk=run.pk).update(
        state=ScheduledRun.State.DONE, finished_at=clock.now(), result=counts)
    return "done"


def _counts(result: Result) -> dict[str, int]:
    if result is None:
        return {}
    if isinstance(result, int):
        return {"count": result}
    return {str(k): int(v) for k, v in result.items()}


def describe(j: Job, counts: Mapping[str, Any] | None) -> str:
    """The counts of a run in words, with the job's labels ("提醒 3，逾期 1")."""
    if not counts:
        return ""
    labels = j.result_labels or {}
    parts = [f"{labels.get(k, k)} {v}" for k, v in counts.items()]
    return pgettext("list separator", ", ").join(parts)
