"""Locust scenarios for Xieshang (issue #9, part 2). Run through ``run.sh``.

Every simulated person logs in through the real login form and then works as that role would:

- ``Member``: browses the home page, their proposals, a proposal, opinion reports; submits a
  proposal now and then (GET the form, POST it with the CSRF token, as a browser does).
- ``Staff``: the proposal office's worklists (to review, to assign, replies to check), opens a
  proposal and starts the review of one that waits.
- ``Unit``: a handling unit's worklists (to sign for, to handle), signs for a proposal.
- ``Leader``: the dashboard, statistics, key proposals.
- ``Public``: the committee's public website and disclosed proposals (no login).
- ``PlenaryMember`` (only with XS_PEAK=1): the plenary-week peak, members of one county each
  submitting proposals back to back (250 members within an hour, compressed into the run).

Environment: XS_SCALE=county (the demo county's logins) or province (``demo --scale province``
logins, sc-… codes); XS_PASSWORD (the demo password).
"""

from __future__ import annotations

import os
import random
import re
from itertools import count

from locust import HttpUser, between, task

SCALE = os.environ.get("XS_SCALE", "county")
PASSWORD = os.environ.get("XS_PASSWORD", "Demo2026xs")
PEAK = os.environ.get("XS_PEAK") == "1"

if SCALE == "province":
    CODES = [f"sc-c{c:02d}-{k:02d}" for c in range(1, 15) for k in range(1, 8)] + \
        [f"sc-c{c:02d}" for c in range(1, 15)] + ["sc-prov"]
    MEMBERS = [f"{code}-m{i}" for code in CODES for i in range(1, 11)]
    STAFF = [f"{code}-staff" for code in CODES]
    UNITS = [f"{code}-unit{i}" for code in CODES for i in range(1, 4)]
    LEADERS = [f"{code}-leader" for code in CODES]
    # The province generator builds no websites: the public reads disclosed proposals there.
    PORTALS: list[str] = []
    DISCLOSED = CODES
    PEAK_MEMBERS = [f"sc-c01-01-m{i}" for i in range(1, 241)]
else:
    MEMBERS = ["weiyuan", "changwei", "liangji"]
    STAFF = ["tiweiban"]
    UNITS = ["jiaoyuju"]
    LEADERS = ["zhuxi"]
    PORTALS = ["demo-county", "demo-city", "demo-prov"]
    DISCLOSED = PORTALS
    PEAK_MEMBERS = MEMBERS

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PROPOSAL_LINK = re.compile(r'href="/proposals/(\d+)/"')
CATEGORY = re.compile(r'<select name="category".*?</select>', re.S)
OPTION = re.compile(r'<option value="(\d+)"')
_next = count()


def csrf(html: str) -> str:
    m = CSRF.search(html)
    return m.group(1) if m else ""


# Think time between a user's pages, seconds: XS_WAIT="min,max" (default 1,3: a busy user who
# never reads; "5,15" is closer to someone reading a proposal or filling a form).
WAIT = tuple(float(x) for x in os.environ.get("XS_WAIT", "1,3").split(","))


class LoggedIn(HttpUser):
    abstract = True
    wait_time = between(*WAIT)
    pool: list[str] = []

    def on_start(self) -> None:
        self.username = self.pool[next(_next) % len(self.pool)]
        page = self.client.get("/login/", name="login (form)")
        with self.client.post("/login/", name="login (post)", catch_response=True,
                              data={"username": self.username, "password": PASSWORD,
                                    "csrfmiddlewaretoken": csrf(page.text)},
                              headers={"Referer": self.host + "/login/"}) as r:
            if "/login/" in r.url:
                r.failure(f"login failed for {self.username}")
        self.proposals: list[str] = []

    def list_page(self, path: str, name: str) -> None:
        r = self.client.get(path, name=name)
        ids = PROPOSAL_LINK.findall(r.text)
        if ids:
            self.proposals = ids[:20]

    def detail(self) -> str | None:
        if not self.proposals:
            return None
        pk = random.choice(self.proposals)
        self.client.get(f"/proposals/{pk}/", name="/proposals/[id]/")
        return pk

    def act(self, pk: str, action: str) -> None:
        page = self.client.get(f"/proposals/{pk}/", name="/proposals/[id]/")
        self.client.post(f"/proposals/{pk}/act/{action}/", name=f"/proposals/[id]/act/{action}/",
                         data={"csrfmiddlewaretoken": csrf(page.text)},
                         headers={"Referer": self.host + f"/proposals/{pk}/"})

    def submit_proposal(self) -> None:
        form = self.client.get("/proposals/new/", name="/proposals/new/ (form)")
        select = CATEGORY.search(form.text)
        categories = OPTION.findall(select.group(0)) if select else []
        n = random.randrange(10**6)
        with self.client.post("/proposals/new/", name="/proposals/new/ (submit)",
                              catch_response=True, data={
                                  "csrfmiddlewaretoken": csrf(form.text),
                                  "title": f"关于加强基层公共服务能力建设的建议（{n}）",
                                  "category": categories[0] if categories else "",
                                  "body": "一、基本情况\n群众关心。\n二、存在问题\n投入不足。\n"
                                          "三、建议\n加大投入，健全机制。",
                                  "consent_disclosure": "on", "submit": "1"},
                              headers={"Referer": self.host + "/proposals/new/"}) as r:
            if r.status_code != 200 or "/proposals/new/" in r.url:
                r.failure("proposal not submitted")


class Member(LoggedIn):
    weight = 5
    pool = MEMBERS

    @task(4)
    def home(self) -> None:
        self.client.get("/", name="/ (my work)")

    @task(4)
    def mine(self) -> None:
        self.list_page("/proposals/work/mine/", "/proposals/work/mine/")
        self.detail()

    @task(2)
    def opinions(self) -> None:
        self.client.get("/opinions/mine/", name="/opinions/mine/")

    @task(1)
    def submit(self) -> None:
        self.submit_proposal()


class Staff(LoggedIn):
    weight = 2
    pool = STAFF

    @task(3)
    def to_review(self) -> None:
        self.list_page("/proposals/work/to-review/", "/proposals/work/to-review/")
        self.detail()

    @task(2)
    def to_assign(self) -> None:
        self.list_page("/proposals/work/to-assign/", "/proposals/work/to-assign/")
        self.detail()

    @task(1)
    def to_check(self) -> None:
        self.client.get("/proposals/work/to-check/", name="/proposals/work/to-check/")

    @task(2)
    def all_proposals(self) -> None:
        self.list_page("/proposals/", "/proposals/")

    @task(1)
    def start_review(self) -> None:
        self.list_page("/proposals/work/to-review/", "/proposals/work/to-review/")
        if self.proposals:
            self.act(random.choice(self.proposals), "start_review")


class Unit(LoggedIn):
    weight = 2
    pool = UNITS

    @task(3)
    def to_handle(self) -> None:
        self.list_page("/proposals/work/to-handle/", "/proposals/work/to-handle/")
        self.detail()

    @task(2)
    def to_sign(self) -> None:
        self.list_page("/proposals/work/to-sign/", "/proposals/work/to-sign/")
        if self.proposals and random.random() < 0.3:
            self.act(random.choice(self.proposals), "sign")


class Leader(LoggedIn):
    weight = 1
    pool = LEADERS

    @task(3)
    def dashboard(self) -> None:
        self.client.get("/reports/dashboard/", name="/reports/dashboard/")

    @task(2)
    def figures(self) -> None:
        self.client.get("/reports/", name="/reports/")

    @task(1)
    def key(self) -> None:
        self.list_page("/proposals/work/key/", "/proposals/work/key/")
        self.detail()


class Public(HttpUser):
    weight = 3
    wait_time = between(*WAIT)

    @task(3)
    def portal(self) -> None:
        if not PORTALS:
            self.disclosed()
            return
        self.client.get(f"/c/{random.choice(PORTALS)}/", name="/c/[code]/ (website)")

    @task(2)
    def disclosed(self) -> None:
        self.client.get(f"/proposals/public/{random.choice(DISCLOSED)}/",
                        name="/proposals/public/[code]/")


class PlenaryMember(LoggedIn):
    """The plenary-week peak: one county's members submitting (XS_PEAK=1 only)."""

    weight = 10 if PEAK else 0
    # XS_PEAK_WAIT="30,90": each member submits about once a minute, so the 240 members of a
    # county file the hour's 250 proposals in about a minute (60 times the real rate).
    wait_time = between(*(float(x) for x in os.environ.get("XS_PEAK_WAIT", "30,90").split(",")))
    pool = PEAK_MEMBERS

    @task
    def submit(self) -> None:
        self.submit_proposal()


if not PEAK:
    del PlenaryMember
