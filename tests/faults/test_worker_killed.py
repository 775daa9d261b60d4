"""Kill the task worker in the middle of a task: the task runs again, nothing is sent twice.

django-tasks-db leaves a task RUNNING for ever when its worker dies (nothing else ever
picks it up); ``xieshang tasks_recover`` puts such tasks back to READY, and
``deliver_notification`` claims each copy before handing it to the gateway, so the re-run
sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import signal
import subprocess
import sys
import time

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.factories import UserFactory
from tests.faults.conftest import ROOT
from xieshang.core.models import Notification
from xieshang.core.tasks import deliver_notification

SEED = """
from django.db import transaction
from xieshang.core.models import Committee, User
from xieshang.core.notifications import notify
c = Committee.objects.create(name="故障县政协", code="fault", level="county")
u = User.objects.create_user(username="w1", phone="13900009999", email="")
with transaction.atomic():
    [note] = notify(recipients=[u], committee=c, title="请签收提案", body="第001号", email=False,
                    sms=True)
print(note.pk)
"""

STATE = """
from django_tasks_db.models import DBTaskResult
from xieshang.core.models import Notification
t = DBTaskResult.objects.get()
n = Notification.objects.get()
print(t.status, len(t.worker_ids), t.return_value, n.sms_sent_at is not None)
"""


def _worker(install, *extra):
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--no-reload",
         "--interval", "0.1", *extra],
        cwd=ROOT, env=install.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True, start_new_session=True)


def _wait_for(path, proc, seconds=60.0):
    deadline = time.monotonic() + seconds
    while not path.exists():
        if proc.poll() is not None:
            pytest.fail(f"worker exited early: {proc.stderr.read() if proc.stderr else ''}")
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.05)


@pytest.mark.slow
def test_killed_worker_task_is_recovered_and_sms_is_not_sent_twice(install):
    outbox, hang = install.dir / "outbox.txt", install.dir / "hang"
    install.env.update({"XIESHANG_SMS_BACKEND": "tests.faults.support.BlockingSmsBackend",
                        "FAULTS_OUTBOX": str(outbox), "FAULTS_HANG": str(hang)})
    install.shell(SEED)
    hang.write_text("1")

    first = _worker(install)
    try:
        _wait_for(install.dir / "hang.reached", first)
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    assert outbox.read_text().count("13900009999") == 1
    # What the library does by itself: the task stays RUNNING and no worker takes it again.
    assert install.shell(STATE).startswith("RUNNING 1 None True")
    hang.unlink()
    idle = _worker(install, "--batch")
    assert idle.wait(timeout=60) == 0
    assert install.shell(STATE).startswith("RUNNING 1 ")

    recovered = install.manage("tasks_recover", "--older-than", "0")
    assert recovered.returncode == 0, recovered.stderr
    assert "re-queued 1 stale task" in recovered.stdout

    second = _worker(install, "--batch")
    assert second.wait(timeout=60) == 0, second.stderr.read() if second.stderr else ""
    # Run again by a second worker, successfully, and the SMS went out exactly once.
    assert install.shell(STATE) == "SUCCESSFUL 2 nothing to send True"
    assert outbox.read_text().count("13900009999") == 1


@pytest.mark.slow
def test_graceful_stop_lets_the_running_task_finish(install):
    """SIGTERM (systemd stop) waits for the task; nothing is left RUNNING."""
    outbox, hang = install.dir / "outbox.txt", install.dir / "hang"
    install.env.update({"XIESHANG_SMS_BACKEND": "tests.faults.support.BlockingSmsBackend",
                        "FAULTS_OUTBOX": str(outbox), "FAULTS_HANG": str(hang)})
    install.shell(SEED)
    worker = _worker(install)
    try:
        deadline = time.monotonic() + 60
        while not outbox.exists():
            assert time.monotonic() < deadline and worker.poll() is None
            time.sleep(0.05)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    assert install.shell(STATE) == "SUCCESSFUL 1 sms True"


# In-process checks of the recovery rules (no subprocess).

def _task_row(status, started_minutes_ago):
    return DBTaskResult.objects.create(
        status=status, started_at=timezone.now() - dt.timedelta(minutes=started_minutes_ago),
        args_kwargs={"args": [0], "kwargs": {}},
        task_path="xieshang.core.tasks.deliver_notification", backend_name="default",
        run_after=timezone.now(), worker_ids=["dead"], exception_class_path="", traceback="")


@pytest.mark.django_db
def test_recover_leaves_recent_and_finished_tasks_alone():
    old = _task_row(TaskResultStatus.RUNNING, 120)
    recent = _task_row(TaskResultStatus.RUNNING, 1)
    done = _task_row(TaskResultStatus.SUCCESSFUL, 120)
    call_command("tasks_recover", "--older-than", "3600", stdout=io.StringIO())
    statuses = {r.pk: r.status for r in DBTaskResult.objects.all()}
    assert statuses == {old.pk: TaskResultStatus.READY, recent.pk: TaskResultStatus.RUNNING,
                        done.pk: TaskResultStatus.SUCCESSFUL}


@pytest.mark.django_db
def test_recover_dry_run_changes_nothing():
    row = _task_row(TaskResultStatus.RUNNING, 120)
    out = io.StringIO()
    call_command("tasks_recover", "--older-than", "60", "--dry-run", stdout=out)
    assert f"would re-queue {row.pk}" in out.getvalue()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.RUNNING


class _FailingSms:
    def send(self, phone, text):
        raise ConnectionError("gateway down")


@pytest.mark.django_db
def test_a_copy_the_gateway_refused_is_unclaimed_for_a_later_run(county, settings):
    settings.SMS_BACKEND = "tests.faults.test_worker_killed._FailingSms"
    user = UserFactory(phone="13900000002")
    note = Notification.objects.create(committee=county, recipient=user, title="t",
                                       want_sms=True)
    with pytest.raises(ConnectionError):
        deliver_notification.call(note.pk)
    note.refresh_from_db()
    assert note.sms_sent_at is None
    settings.SMS_BACKEND = "xieshang.core.sms.LogSmsBackend"
    assert deliver_notification.call(note.pk) == "sms"
