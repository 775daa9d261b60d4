"""Restart the web server while members are submitting proposals: no submission is lost.

gunicorn (2 workers) serves a fresh install of its own; client threads log in and submit
proposals through the real form (CSRF and all), retrying on a refused or dropped connection
as a browser user would. Halfway through, the master gets SIGHUP (graceful reload of the
workers); later SIGTERM (graceful stop) and a new server is started on the same port.
Every submission the server acknowledged must be stored exactly once, submitted, with its
events; nothing is stored without its events.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.faults.conftest import ROOT

pytestmark = pytest.mark.slow

FULL = os.environ.get("XIESHANG_FAULTS_SCALE") == "full"
THREADS, PER_THREAD = (8, 25) if FULL else (3, 4)
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
BODY = "城乡公交线网覆盖不足，偏远村组群众出行不便，建议优化线路、增加班次，方便群众出行。"

SEED = """
from tests.factories import CommitteeFactory, TermFactory
from tests.proposals.factories import build_world
c = CommitteeFactory(name="重启县政协", code="restart")
TermFactory(committee=c)
w = build_world(c)
print(w.users["member"].username, w.category.pk)
"""

REPORT = """
import json
from xieshang.proposals.models import Proposal
rows = [{"title": p.title, "status": p.status,
         "events": [e.to_status for e in p.events.order_by("at", "id")]}
        for p in Proposal.objects.all()]
print(json.dumps(rows, ensure_ascii=False))
"""

RETRYABLE = (ConnectionError, http.client.RemoteDisconnected, http.client.BadStatusLine,
             urllib.error.URLError, socket.timeout, TimeoutError)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, install, port: int) -> None:
        self.install, self.port, self.proc = install, port, None
        self.log_path = install.dir / "gunicorn.log"
        self.log = open(self.log_path, "ab")  # noqa: SIM115

    def errors(self) -> str:
        """The server's error lines (tracebacks' last lines), for a failing assertion."""
        text = self.log_path.read_text(errors="replace")
        artifacts = ROOT / "tests" / "artifacts"
        artifacts.mkdir(exist_ok=True)
        (artifacts / "faults-gunicorn.log").write_text(text)
        return "\n".join(line for line in text.splitlines()
                         if "Error" in line or "Exception" in line)[-2000:]

    def start(self) -> None:
        self.proc = subprocess.Popen(
            # --preload: the workers fork from a master that imported Django once, so a
            # reload (SIGHUP) brings new workers up in well under a second.
            [GUNICORN, "xieshang.wsgi:application", "--workers", "2", "--preload",
             "--bind", f"127.0.0.1:{self.port}", "--graceful-timeout", "20",
             "--timeout", "60"],
            cwd=ROOT, env={**self.install.env,
                           "DJANGO_SETTINGS_MODULE": "tests.faults.server_settings"},
            stdout=self.log, stderr=self.log, start_new_session=True)
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                assert self.proc.poll() is None, "gunicorn did not start"
                assert time.monotonic() < deadline, "gunicorn did not listen"
                time.sleep(0.1)

    def signal(self, sig: int) -> None:
        assert self.proc is not None
        self.proc.send_signal(sig)

    def stop(self, timeout: float = 40) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


class Member:
    """One browser: a cookie jar, a login, the submission form."""

    def __init__(self, base: str, username: str, category: int) -> None:
        self.base, self.username, self.category = base, username, category
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def _csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def request(self, path: str, data: dict | None = None) -> tuple[int, dict[str, str], str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)
        try:
            with self.opener.open(req, timeout=30) as resp:
                return resp.status, dict(resp.headers), resp.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read().decode(errors="replace")

    def with_retry(self, path: str, data_fn, deadline: float):
        while True:
            try:
                return self.request(path, data_fn() if data_fn else None)
            except RETRYABLE:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def login(self, deadline: float) -> None:
        self.with_retry("/login/", None, deadline)
        status, headers, _ = self.with_retry("/login/", lambda: {
            "csrfmiddlewaretoken": self._csrf(), "username": self.username,
            "password": "Passw0rd!x"}, deadline)
        assert status == 302, status

    def submit(self, title: str, deadline: float) -> str:
        """'ok' when the server acknowledged the submission, else what it answered."""
        self.with_retry("/proposals/new/", None, deadline)
        status, headers, _ = self.with_retry("/proposals/new/", lambda: {
            "csrfmiddlewaretoken": self._csrf(), "title": title, "category": self.category,
            "body": BODY, "consent_disclosure": "on", "submit": "1"}, deadline)
        if status == 302 and re.match(r"^/proposals/\d+/$", headers.get("Location", "")):
            return "ok"
        return f"{status} {headers.get('Location', '')}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_submissions_survive_graceful_reload_and_restart(install):
    t0 = time.monotonic()
    username, category = install.shell(SEED).splitlines()[-1].split()
    port = free_port()
    server = Server(install, port)
    server.start()
    started = time.monotonic()
    acked: list[str] = []
    answers: dict[str, str] = {}
    errors: list[BaseException] = []
    lock = threading.Lock()
    deadline = time.monotonic() + (300 if FULL else 120)

    def client(i: int) -> None:
        try:
            member = Member(f"http://127.0.0.1:{port}", username, int(category))
            member.login(deadline)
            for k in range(PER_THREAD):
                title = f"关于第{i}组第{k}项民生实事的建议"
                answer = member.submit(title, deadline)
                with lock:
                    answers[title] = answer
                    if answer == "ok":
                        acked.append(title)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(THREADS)]
    total = THREADS * PER_THREAD
    try:
        for t in threads:
            t.start()

        def wait_for(count: int) -> None:
            while len(acked) < count and any(t.is_alive() for t in threads):
                time.sleep(0.05)

        wait_for(total // 4)
        server.signal(signal.SIGHUP)  # graceful reload: new workers, old ones finish
        wait_for(total // 2)
        server.stop()  # SIGTERM: finish what is running, then exit
        server.start()
        for t in threads:
            t.join(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        server.stop()
    print(f"seed+start {started - t0:.1f}s, load with restarts {time.monotonic() - started:.1f}s,"
          f" {len(acked)}/{total} acknowledged")
    assert not errors, errors
    assert not [t for t in threads if t.is_alive()], "clients did not finish"

    rows = json.loads(install.shell(REPORT).splitlines()[-1])
    by_title: dict[str, list[dict]] = {}
    for row in rows:
        by_title.setdefault(row["title"], []).append(row)
    # Every acknowledged submission is stored exactly once, submitted, with its events.
    for title in acked:
        stored = by_title.get(title, [])
        assert len(stored) == 1, (title, stored)
        assert stored[0]["status"] == "submitted" and stored[0]["events"][-1] == "submitted"
    # Nothing is stored without the events that explain its status.
    for row in rows:
        if row["status"] != "draft":
            assert row["events"] and row["events"][-1] == row["status"], row
    # The restarts cost no submission at all: every client got its answer.
    assert len(acked) == total, ({t: a for t, a in answers.items() if a != "ok"},
                                 server.errors())
