"""The platform's timetable: each firing is claimed once, caught up after downtime within its
grace, recorded with its result, and shown to the committee's administrators."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from xieshang.core import schedule
from xieshang.core.models import Role, ScheduledRun
from xieshang.core.schedule import Job, Scheduler

pytestmark = pytest.mark.django_db
BEIJING = dt.timezone(dt.timedelta(hours=8))


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BEIJING)


calls: list[tuple[int | None, dt.date]] = []


def _count(committee, day):
    calls.append((committee.pk if committee else None, day))
    return {"reminded": 2}


def _boom(committee, day):
    raise RuntimeError("gateway down")


DAILY = Job("test.daily", "每日测试", "30 7 * * *", "每天 7:30", _count,
            result_labels={"reminded": "已提醒"})
WEEKLY = Job("test.weekly", "每周测试", "0 8 * * mon", "每周一 8:00", _count)
FAILING = Job("test.failing", "会失败的任务", "0 6 * * *", "每天 6:00", _boom)
INSTALL = Job("test.install", "全站任务", "*/10 * * * *", "每10分钟", _count, per_committee=False,
              grace=dt.timedelta(minutes=10))


@pytest.fixture(autouse=True)
def _clear_calls():
    calls.clear()


@pytest.fixture
def tick(django_capture_on_commit_callbacks, monkeypatch):
    """One pass of a (new, or the given) scheduler, with its queued tasks run on commit."""
    def _tick(jobs, now, scheduler=None):
        monkeypatch.setattr(schedule, "jobs", lambda: tuple(jobs))
        with django_capture_on_commit_callbacks(execute=True):
            return (scheduler or Scheduler(jobs)).tick(now)
    return _tick


def test_last_and_next_firing_follow_the_local_crontab():
    now = at(2026, 12, 7, 9, 0)  # a Monday
    assert schedule.last_firing(DAILY, now) == at(2026, 12, 7, 7, 30)
    assert schedule.next_firing(DAILY, now) == at(2026, 12, 8, 7, 30)
    assert schedule.last_firing(WEEKLY, now) == at(2026, 12, 7, 8, 0)
    # Before 7:30 the last firing within a day's grace is yesterday's.
    assert schedule.last_firing(DAILY, at(2026, 12, 7, 7, 0)) == at(2026, 12, 6, 7, 30)
    # Two days after a Monday the weekly firing is past its grace: not caught up.
    assert schedule.last_firing(WEEKLY, at(2026, 12, 9, 9, 0)) is None


def test_each_firing_runs_once_per_committee_however_many_schedulers(county, other_county,
                                                                     tick):
    now = at(2026, 12, 7, 7, 31)
    first = tick([DAILY], now)
    assert {run.committee_id for run in first} == {county.pk, other_county.pk,
                                                   county.parent_id, county.parent.parent_id}
    # A second scheduler (another server) and the first one again find nothing to do.
    assert tick([DAILY], now) == []
    assert tick([DAILY], now + dt.timedelta(minutes=5)) == []
    assert len(calls) == 4 and {day for _c, day in calls} == {dt.date(2026, 12, 7)}
    run = ScheduledRun.objects.get(job="test.daily", committee=county)
    assert run.state == ScheduledRun.State.DONE and run.result == {"reminded": 2}
    assert schedule.describe(DAILY, run.result) == "已提醒 2"
    # The next day's firing is a new one.
    assert len(tick([DAILY], at(2026, 12, 8, 7, 30))) == 4


def test_a_scheduler_back_after_downtime_catches_up_on_the_last_firing_only(county):
    # Down from Saturday to Monday 10:00: Sunday's and Saturday's 7:30 are not run, Monday's is.
    runs = Scheduler([DAILY]).tick(at(2026, 12, 7, 10, 0))
    assert {r.fired_at for r in runs} == {at(2026, 12, 7, 7, 30)}


def test_a_failing_job_is_recorded_and_not_retried_for_the_same_firing(county, tick):
    now = at(2026, 12, 7, 6, 1)
    runs = tick([FAILING], now)
    assert runs
    failed = ScheduledRun.objects.get(job="test.failing", committee=county)
    assert failed.state == ScheduledRun.State.FAILED and "gateway down" in failed.error
    assert tick([FAILING], now + dt.timedelta(minutes=1)) == []


def test_an_install_wide_job_runs_once_for_the_install(county, other_county, tick):
    runs = tick([INSTALL], at(2026, 12, 7, 9, 5))
    assert len(runs) == 1 and runs[0].committee is None and calls == [(None,
                                                                       dt.date(2026, 12, 7))]


def test_every_app_job_has_a_chinese_label_and_a_valid_time():
    keys = [j.key for j in schedule.jobs()]
    assert {"proposals.reminders", "proposals.overdue_digest", "activities.suggestions_overdue",
            "duties.warnings", "proposals.similar_fit", "core.tasks_recover",
            "core.audit_checkpoint"} <= set(keys)
    for j in schedule.jobs():
        assert schedule.next_firing(j) is not None, j.key
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(j.label)), j.key
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(j.when)), j.key


def test_command_once_queues_the_due_firings_and_lists_the_timetable(
        county, django_capture_on_commit_callbacks):
    with time_machine.travel(at(2026, 12, 7, 8, 40), tick=False):
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("scheduler", "--once", stdout=out)
        assert "proposals.reminders" in out.getvalue()
        assert ScheduledRun.objects.filter(job="proposals.reminders", committee=county,
                                           state=ScheduledRun.State.DONE).exists()
        out = io.StringIO()
        call_command("scheduler", "--list", stdout=out)
        assert "duties.warnings" in out.getvalue() and "next 2026-12-08 06:00" in out.getvalue()


def test_the_admin_sees_the_timetable_of_the_committee(client, county, other_county, make_user):
    ScheduledRun.objects.create(job="proposals.reminders", scope=str(county.pk),
                                committee=county, fired_at=at(2026, 12, 7, 7, 30),
                                state=ScheduledRun.State.DONE, result={"reminded": 3})
    ScheduledRun.objects.create(job="proposals.reminders", scope=str(other_county.pk),
                                committee=other_county, fired_at=at(2026, 12, 7, 7, 30),
                                state=ScheduledRun.State.DONE, result={"reminded": 99})
    client.force_login(make_user(county, Role.ADMIN))
    body = client.get(reverse("manage-schedule")).content.decode()
    assert "提案办理期限提醒" in body and "每天 7:30" in body
    assert "已提醒 3" in body and "已提醒 99" not in body


@pytest.mark.parametrize("role", [Role.MEMBER, Role.STAFF_PROPOSAL, Role.UNIT_CLERK,
                                  Role.LEADER])
def test_only_administrators_open_the_timetable(client, county, make_user, role):
    client.force_login(make_user(county, role))
    assert client.get(reverse("manage-schedule")).status_code == 403


def test_the_nightly_audit_checkpoint_signs_every_chain_and_verify_reads_it(
        county, settings, tmp_path, make_user):
    from xieshang.core import audit
    from xieshang.core.jobs import JOBS
    from xieshang.core.permissions import Actor

    settings.XIESHANG_AUDIT_CHECKPOINT_DIR = str(tmp_path)
    audit.record(Actor.for_system(county), "test.write", county, after={"n": 1})
    job = next(j for j in JOBS if j.key == "core.audit_checkpoint")
    assert job.run(None, dt.date(2026, 12, 7)) == {"chains": len(audit.heads())}
    written = tmp_path / "2026-12-07-night.json"
    marks, problem = audit.read_checkpoint(written)
    assert not problem and marks
    assert not audit.checkpoint_problems()
    # An edit of the log after the checkpoint is found by the verification.
    from xieshang.core.models import AuditLog

    row = AuditLog.objects.order_by("-id").first()
    AuditLog.objects.filter(pk=row.pk).update(action="test.forged")
    assert any(pk == row.pk for pk, _problem in audit.verify())
