"""A whole plenary in Chromium (issue 22): every member on their own 390 px phone, the staff on a
desktop, the projector (1920×1080) following by itself (htmx polling).

Registration by QR code with the quorum shown, two papers read, five speeches from the list of
speakers with the projector following each speaker, two votes (one open, one secret) and one
差额 election with a written-in name, and the results announced (projector, result pages, the
选举结果公告).

The number of members comes from ``XIESHANG_PLENARY_MEMBERS`` (default 6, at least 6, so CI stays
fast); ``XIESHANG_PLENARY_MEMBERS=40`` runs the issue's size. One member is on approved leave
and does not come. Each member's phone is its own browser context, opened for each part of the
meeting and closed again (the login kept as storage state), so 40 phones never live at once."""

from __future__ import annotations

import os
import time
from typing import Any

import pytest

from tests.browser.conftest import (
    TIMEOUT_MS,
    assert_accessible,
    assert_no_horizontal_scroll,
    login,
    screenshot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_390 = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
             "device_scale_factor": 2, "locale": "zh-CN"}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}, "locale": "zh-CN"}
MEMBERS = max(6, int(os.environ.get("XIESHANG_PLENARY_MEMBERS") or 6))
SPEECHES = 5
CANDIDATES = ["李明", "王芳", "张伟"]
WRITE_IN = "赵敏"


def _context(browser: Any, live_server: Any, options: dict[str, Any],
             state: dict[str, Any] | None = None) -> tuple[Any, Any]:
    context = browser.new_context(base_url=live_server.url, storage_state=state, **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context, context.new_page()


class Phones:
    """The members' phones: one context each, opened for one part of the meeting at a time."""

    def __init__(self, browser: Any, live_server: Any) -> None:
        self.browser, self.live_server = browser, live_server
        self.states: dict[int, dict[str, Any]] = {}

    def each(self, members: list[Any], fn: Any) -> None:
        for n, member in enumerate(members):
            context, page = _context(self.browser, self.live_server, PHONE_390,
                                     self.states.get(member.pk))
            try:
                fn(n, member, page)
                self.states[member.pk] = context.storage_state()
            finally:
                context.close()


def _close_step(staff: Any, label: str, done: str) -> None:
    """A step that cannot be undone: the page asks in a <dialog> first (app.js)."""
    staff.get_by_role("button", name=label).click()
    staff.locator("dialog.confirm-dialog button.danger").click()
    staff.get_by_text(done).first.wait_for()


def test_whole_plenary_on_phones_with_the_projector_following(browser, live_server, county,
                                                                desktop_page):
    from tests.meetings.factories import approve_leave, plenary
    from xieshang.activities import services as activity_services
    from xieshang.meetings import services
    from xieshang.meetings.models import Election, Majority, Paper, PaperRead, Poll, Speaker

    times: dict[str, float] = {}
    mark = time.monotonic()

    def lap(name: str) -> None:
        nonlocal mark
        now = time.monotonic()
        times[name] = round(now - mark, 1)
        mark = now

    # --- set up: the agenda and papers, submitted speeches, the votes ---------------------
    p = plenary(county, MEMBERS)
    approve_leave(p, MEMBERS - 1)
    present = [m for _u, m, _a in p.members[:-1]]
    users = {m.pk: u for u, m, _a in p.members}
    report = services.agenda_item_add(actor=p.staff_actor, meeting=p.meeting,
                                      title="审议常委会工作报告")
    proposals = services.agenda_item_add(actor=p.staff_actor, meeting=p.meeting,
                                         title="审议提案工作情况报告")
    resolution = services.agenda_item_add(actor=p.staff_actor, meeting=p.meeting,
                                          title="表决决议、选举")
    papers = [
        services.paper_add(actor=p.staff_actor, item=report, title="常委会工作报告（讨论稿）",
                           text="过去一年，常委会团结带领全体委员……", kind=Paper.Kind.DRAFT),
        services.paper_add(actor=p.staff_actor, item=proposals, title="提案工作情况报告",
                           text="本届以来，委员共提交提案……", kind=Paper.Kind.FINAL),
    ]
    for i in range(SPEECHES):
        activity_services.speech_submit(actor=p.members[i][2], activity=p.meeting.activity,
                                        title=f"大会发言{i + 1}：关于乡村振兴的建议",
                                        text="建议如下……")
    open_poll = services.poll_create(actor=p.staff_actor, meeting=p.meeting, item=report,
                                     title="表决常委会工作报告的决议")
    secret_poll = services.poll_create(actor=p.staff_actor, meeting=p.meeting,
                                       item=resolution, title="表决政治决议", secret=True,
                                       majority=Majority.PRESENT)
    services.project(actor=p.staff_actor, meeting=p.meeting, item=report)
    _w, token = activity_services.qr_window_open(actor=p.staff_actor,
                                                 activity=p.meeting.activity)
    lap("setup")

    staff = login(desktop_page, live_server, p.staff.username)
    projector_context, projector = _context(browser, live_server, PROJECTOR)
    login(projector, live_server, p.staff.username)
    projector.goto(f"/meetings/{p.meeting.pk}/projector/")
    projector.get_by_text("审议常委会工作报告").wait_for()
    projector.get_by_text("未达法定人数").wait_for()
    assert projector.locator("form, button, a").count() == 0
    phones = Phones(browser, live_server)

    # --- registration by QR code, and both papers read -------------------------------------
    def register_and_read(n: int, member: Any, phone: Any) -> None:
        login(phone, live_server, users[member.pk].username)
        phone.goto(f"/activities/sign-in/{token}/")
        phone.get_by_role("button").first.click()
        phone.locator("[data-testid=signed-in]").wait_for()
        if n == 0:
            phone.goto(f"/meetings/{p.meeting.pk}/")
            assert_no_horizontal_scroll(phone)
            phone.get_by_role("link", name=papers[0].title).click()
            phone.get_by_role("heading", name=papers[0].title).wait_for()
            assert member.name in phone.locator(".wm").inner_text()
            screenshot(phone, "meetings-paper-phone")
        for paper in papers:
            if n or paper is not papers[0]:
                phone.goto(f"/meetings/papers/{paper.pk}/")
            phone.get_by_role("button", name="我已阅读").click()
            phone.get_by_text("已确认阅读").first.wait_for()

    phones.each(present, register_and_read)
    registered = len(present)
    projector.get_by_text(f"组成人员{MEMBERS}人，已报到{registered}人").wait_for()
    projector.get_by_text("已达法定人数").wait_for()
    screenshot(projector, "meetings-projector-registered", full_page=False)
    staff.goto(f"/meetings/{p.meeting.pk}/")
    assert staff.locator("[data-count=registered]").inner_text() == str(registered)
    assert PaperRead.objects.filter(paper__in=papers).count() == 2 * registered
    lap("registration and papers")

    # --- five speeches from the list, the projector following ------------------------------
    staff.goto(f"/meetings/{p.meeting.pk}/speeches/")
    for i in range(SPEECHES):
        row = staff.locator("li", has_text=f"大会发言{i + 1}：")
        row.locator("select").select_option(str(proposals.pk))
        row.get_by_role("button", name="选为口头发言").click()
        staff.get_by_text("已选为口头发言").first.wait_for()
    # The last one is moved up one place: the order the projector follows is the list's.
    staff.locator("li", has_text=f"大会发言{SPEECHES}：").get_by_role("button",
                                                                  name="上移").click()
    order = list(Speaker.objects.filter(item=proposals).order_by("position")
                 .values_list("speech__title", "member__name"))
    assert [t for t, _n in order][-2:] == [f"大会发言{SPEECHES}：关于乡村振兴的建议",
                                           f"大会发言{SPEECHES - 1}：关于乡村振兴的建议"]
    for n, (title, name) in enumerate(order):
        staff.locator("li", has_text=title).get_by_role("button", name="开始发言").click()
        projector.locator(".speaker", has_text=name).wait_for()
        projector.locator("[data-timer]").wait_for()
        if n + 1 < len(order):
            projector.locator(".next", has_text=order[n + 1][1]).wait_for()
        if n == 0:
            screenshot(projector, "meetings-projector-speaker", full_page=False)
    assert Speaker.objects.filter(item=proposals, started_at__isnull=False).count() == SPEECHES
    lap("five speeches")

    # --- two votes: an open one, then a secret one ------------------------------------------
    def run_vote(poll: Poll, against: int) -> None:
        staff.goto(f"/meetings/polls/{poll.pk}/")
        staff.get_by_role("button", name="开始表决").click()
        staff.get_by_text("表决已开始").wait_for()
        staff.goto(f"/meetings/{p.meeting.pk}/")
        staff.locator(f"form:has(input[value='poll:{poll.pk}']) button").click()
        projector.locator(".item", has_text=poll.title).wait_for()

        def vote(n: int, member: Any, phone: Any) -> None:
            phone.goto(f"/meetings/polls/{poll.pk}/")
            if n == 0:
                assert_no_horizontal_scroll(phone)
                assert_accessible(phone)
                screenshot(phone, f"meetings-vote-phone-{'secret' if poll.secret else 'open'}")
            phone.get_by_role("button", name="反对" if n < against else "赞成").click()
            phone.get_by_text("您已投票").wait_for()

        phones.each(present, vote)
        projector.get_by_text(f"已有{registered}人表决").wait_for()
        staff.goto(f"/meetings/polls/{poll.pk}/")
        _close_step(staff, "结束表决", "表决已结束")
        projector.locator("[data-result=poll]").wait_for()
        projector.get_by_text("通过", exact=True).wait_for()
        assert projector.locator("[data-yes]").text_content() == str(registered - against)
        closed = Poll.objects.get(pk=poll.pk)
        assert (closed.yes, closed.no, closed.present, closed.members_total, closed.passed) == (
            registered - against, against, registered, MEMBERS, True)

    run_vote(open_poll, against=1)
    lap("open vote")
    run_vote(secret_poll, against=2)
    screenshot(projector, "meetings-projector-result", full_page=False)
    lap("secret vote")

    # --- a 差额 election with a written-in name ------------------------------------------------
    staff.goto(f"/meetings/{p.meeting.pk}/")
    staff.locator("details:has(#el-title) summary").click()
    staff.fill("#el-title", "选举常务委员")
    staff.fill("#el-pos", f"常务委员 | 2 | {'、'.join(CANDIDATES)}")
    staff.locator("form:has(#el-title) button[type=submit]").click()
    staff.get_by_text("选举已设立").first.wait_for()
    election = Election.objects.get(meeting=p.meeting)
    position = election.positions.get()
    staff.goto(f"/meetings/elections/{election.pk}/")
    staff.get_by_role("button", name="开始选举").click()
    staff.get_by_text("选举已开始").first.wait_for()
    staff.goto(f"/meetings/{p.meeting.pk}/")
    staff.locator(f"form:has(input[value='election:{election.pk}']) button").click()
    projector.locator(".item", has_text="选举常务委员").wait_for()

    def cast(n: int, member: Any, phone: Any) -> None:
        phone.goto(f"/meetings/elections/{election.pk}/")
        if n == 0:
            assert_no_horizontal_scroll(phone)
            assert_accessible(phone)
            screenshot(phone, "meetings-ballot-phone")
        # Everyone marks 李明; the first writes in 赵敏, the second marks 张伟, the rest 王芳.
        phone.locator(f"input[name=p{position.pk}][value={CANDIDATES[0]}]").check()
        if n == 0:
            phone.fill(f"#w{position.pk}", WRITE_IN)
        else:
            other = CANDIDATES[2] if n == 1 else CANDIDATES[1]
            phone.locator(f"input[name=p{position.pk}][value={other}]").check()
        phone.get_by_role("button", name="投票", exact=True).click()
        phone.get_by_text("您的选票已投出").wait_for()

    phones.each(present, cast)
    staff.goto(f"/meetings/elections/{election.pk}/")
    _close_step(staff, "结束选举并计票", "选举已结束并完成计票")

    # --- the results announced -------------------------------------------------------------
    elected = "、".join(CANDIDATES[:2])
    projector.locator(".next strong", has_text=elected).wait_for()
    screenshot(projector, "meetings-projector-election", full_page=False)
    closed = Election.objects.get(pk=election.pk)
    r = closed.result["positions"][0]
    assert r["elected"] == CANDIDATES[:2] and closed.ballots == registered
    assert [WRITE_IN, 1, True] in r["votes"]
    assert dict((n, v) for n, v, _w in r["votes"])[CANDIDATES[1]] == registered - 2
    docx = staff.request.get(f"/meetings/elections/{election.pk}/result.docx")
    assert docx.status == 200 and "officedocument" in docx.headers["content-type"]

    def read_results(n: int, member: Any, phone: Any) -> None:
        phone.goto(f"/meetings/elections/{election.pk}/")
        phone.locator("#result strong", has_text=elected).wait_for()
        assert WRITE_IN in phone.locator("#result").inner_text()
        phone.goto(f"/meetings/polls/{secret_poll.pk}/")
        phone.locator("#result").get_by_text("通过").wait_for()
        assert_no_horizontal_scroll(phone)

    phones.each(present[:1], read_results)
    lap("election and results")
    projector_context.close()
    total = round(sum(times.values()), 1)
    print(f"\nwhole plenary with {MEMBERS} members: {total} s {times}")
