"""A compact plenary in Chromium: members on 390 px phones register by QR code, read a paper and
vote (secret ballot); the staff open and close the vote on a desktop; the projector (1920×1080)
follows by itself (htmx polling) and shows the registered count and the result.

The issue asks for 40 members, two papers, five speeches and an election in one run; this test
runs four members and one vote (the machine is shared); the rest is covered by the page and
service tests in tests/meetings/."""

from __future__ import annotations

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
MEMBERS = 4


def _context(browser, live_server, options):
    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context, context.new_page()


def test_compact_plenary_on_phones_with_the_projector_following(browser, live_server, county,
                                                                 desktop_page):
    from tests.meetings.factories import plenary
    from xieshang.activities import services as activity_services
    from xieshang.meetings import services
    from xieshang.meetings.models import Paper, PaperRead, Poll

    p = plenary(county, MEMBERS)
    item = services.agenda_item_add(actor=p.staff_actor, meeting=p.meeting, title="审议政治决议")
    paper = services.paper_add(actor=p.staff_actor, item=item, title="政治决议（草案）",
                               text="会议号召全体委员……", kind=Paper.Kind.DRAFT)
    poll = services.poll_create(actor=p.staff_actor, meeting=p.meeting, title="表决政治决议",
                                item=item, secret=True)
    services.project(actor=p.staff_actor, meeting=p.meeting, item=item)
    _w, token = activity_services.qr_window_open(actor=p.staff_actor,
                                                 activity=p.meeting.activity)

    staff = login(desktop_page, live_server, p.staff.username)
    projector_context, projector = _context(browser, live_server, PROJECTOR)
    login(projector, live_server, p.staff.username)
    projector.goto(f"/meetings/{p.meeting.pk}/projector/")
    projector.get_by_text("审议政治决议").wait_for()
    assert projector.locator("form, button, a").count() == 0

    phones = []
    for user, member, _actor in p.members:
        context, phone = _context(browser, live_server, PHONE_390)
        login(phone, live_server, user.username)
        phone.goto(f"/activities/sign-in/{token}/")
        phone.get_by_role("button").first.click()
        phone.locator("[data-testid=signed-in]").wait_for()
        phones.append((context, phone, member))

    # the projector's counts follow without a reload
    projector.get_by_text(f"组成人员{MEMBERS}人，已报到{MEMBERS}人").wait_for()
    projector.get_by_text("已达法定人数").wait_for()
    screenshot(projector, "meetings-projector-registered", full_page=False)

    _c, first, first_member = phones[0]
    first.goto(f"/meetings/{p.meeting.pk}/")
    first.get_by_role("link", name="政治决议（草案）").click()
    first.get_by_role("heading", name="政治决议（草案）").wait_for()
    assert first_member.name in first.locator("[data-watermark]").get_attribute("data-watermark")
    assert first_member.name in first.locator(".wm").inner_text()
    first.get_by_role("button", name="我已阅读").click()
    first.get_by_text("已确认阅读").first.wait_for()
    assert PaperRead.objects.filter(paper=paper, member=first_member).exists()

    staff.goto(f"/meetings/polls/{poll.pk}/")
    staff.get_by_role("button", name="开始表决").click()
    staff.get_by_text("表决已开始").wait_for()
    staff.goto(f"/meetings/{p.meeting.pk}/")
    staff.locator(f"form:has(input[value='poll:{poll.pk}']) button").click()

    for n, (_c, phone, _m) in enumerate(phones):
        phone.goto(f"/meetings/polls/{poll.pk}/")
        assert_no_horizontal_scroll(phone)
        if n == 0:
            assert_accessible(phone)
            screenshot(phone, "meetings-vote-phone")
        phone.get_by_role("button", name="反对" if n == MEMBERS - 1 else "赞成").click()
        phone.get_by_text("您已投票").wait_for()

    projector.get_by_text(f"已有{MEMBERS}人表决").wait_for()
    staff.once("dialog", lambda d: d.accept())
    staff.goto(f"/meetings/polls/{poll.pk}/")
    staff.get_by_role("button", name="结束表决").click()
    # An irreversible step asks first (app.js: a <dialog>, or window.confirm without one).
    staff.locator("dialog.confirm-dialog button.danger").click()
    staff.get_by_text("表决已结束").wait_for()

    projector.locator("[data-result=poll]").wait_for()
    projector.get_by_text("通过", exact=True).wait_for()
    assert projector.locator("[data-yes]").text_content() == str(MEMBERS - 1)
    screenshot(projector, "meetings-projector-result", full_page=False)
    closed = Poll.objects.get(pk=poll.pk)
    assert (closed.yes, closed.no, closed.present, closed.passed) == (MEMBERS - 1, 1, MEMBERS,
                                                                      True)
    for context, _phone, _m in phones:
        context.close()
    projector_context.close()
