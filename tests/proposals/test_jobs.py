"""The proposals' scheduled jobs, run by the timetable: every reminder once, however many
schedulers tick; the weekly digest tells the office which units are late."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.proposals.factories import reach
from xieshang.core import clock, schedule
from xieshang.core.models import Notification, ScheduledRun
from xieshang.proposals.models import Assignment
from xieshang.proposals.models import Status as S

pytestmark = pytest.mark.django_db
BEIJING = dt.timezone(dt.timedelta(hours=8))


def _tick(capture, now):
    with capture(execute=True):
        return schedule.Scheduler([schedule.job("proposals.reminders"),
                                   schedule.job("proposals.overdue_digest")]).tick(now)


def test_two_schedulers_send_each_deadline_reminder_once(world,
                                                          django_capture_on_commit_callbacks):
    p = reach(world, S.HANDLING)
    lead = p.assignments.get(role="lead")
    eve = dt.datetime.combine(lead.due_date - dt.timedelta(days=1), dt.time(7, 31),
                              tzinfo=BEIJING)
    with time_machine.travel(eve, tick=False):
        first = _tick(django_capture_on_commit_callbacks, clock.now())
        second = _tick(django_capture_on_commit_callbacks, clock.now())
    assert any(r.job == "proposals.reminders" and r.committee_id == world.committee.pk
               for r in first) and second == []
    due = Notification.objects.filter(recipient=world.users["clerk_a"],
                                      title__contains=lead.due_date.isoformat())
    assert due.count() == 1
    run = ScheduledRun.objects.get(job="proposals.reminders", committee=world.committee)
    assert run.state == ScheduledRun.State.DONE and run.result["reminded"] >= 1


def test_the_weekly_digest_lists_overdue_replies_by_unit(world,
                                                        django_capture_on_commit_callbacks):
    p = reach(world, S.HANDLING)
    Assignment.objects.filter(proposal=p).update(due_date=dt.date(2026, 11, 20))
    monday = dt.datetime(2026, 12, 7, 8, 1, tzinfo=BEIJING)
    with time_machine.travel(monday, tick=False):
        _tick(django_capture_on_commit_callbacks, clock.now())
    digest = Notification.objects.get(recipient=world.users["staff"],
                                      title__contains="已超过答复期限")
    unit = p.assignments.get(role="lead").unit.name
    assert unit in digest.body and "逾期" in digest.body
    run = ScheduledRun.objects.get(job="proposals.overdue_digest", committee=world.committee)
    assert run.result["overdue"] >= 1
