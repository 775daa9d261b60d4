"""A member on a phone: sees an invitation, asks for leave, later signs in at another activity
by scanning the QR code shown at the venue."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update"]


@pytest.fixture
def page():
    # Playwright's sync API runs an event loop in this thread; the test also uses the ORM.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        context = browser.new_context(viewport={"width": 375, "height": 740},
                                      device_scale_factor=2, is_mobile=True, has_touch=True,
                                      locale="zh-CN")
        yield context.new_page()
        context.close()
        browser.close()


def test_member_on_a_phone_asks_for_leave_and_signs_in_by_qr(page, live_server, county, staff):
    from tests.activities.factories import invite, make_activity, member_with_login
    from xieshang.activities import services
    from xieshang.activities.models import Invitation
    from xieshang.core.permissions import actor_for

    user, member, _actor = member_with_login(county, name="林委员")
    consultation = make_activity(county, "thematic_consultation", title="乡村振兴专题协商会",
                                 start=timezone.now() + dt.timedelta(days=5),
                                 place="县政协三楼会议室")
    forum = make_activity(county, "forum", title="委员座谈会", start=timezone.now(),
                          place="委员之家")
    invite(consultation, member)
    invite(forum, member)

    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", "Passw0rd!x")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/activities/invitations/")
    card = page.locator(f"[data-testid=invitation-{consultation.pk}]")
    card.get_by_text("乡村振兴专题协商会").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(ARTIFACTS / "activities-invitations-phone.png"), full_page=True)

    card.get_by_text("请假", exact=True).click()
    card.locator("input[name=reason]").fill("外出学习，无法参加")
    card.get_by_role("button", name="提交请假").click()
    page.get_by_text("请假申请已提交").wait_for()
    card = page.locator(f"[data-testid=invitation-{consultation.pk}]")
    assert card.locator("[data-testid=status]").inner_text() == "已请假待批"
    page.screenshot(path=str(ARTIFACTS / "activities-leave-requested-phone.png"), full_page=True)
    inv = Invitation.objects.get(activity=consultation, member=member)
    assert (inv.status, inv.leave_reason) == ("leave_requested", "外出学习，无法参加")

    # Later, at the forum: the staff's screen shows a code; the member's phone opens its URL.
    _window, token = services.qr_window_open(actor=actor_for(staff, county), activity=forum)
    page.goto(f"{live_server.url}/activities/sign-in/{token}/")
    page.get_by_text("委员座谈会").wait_for()
    page.get_by_role("button", name="立即签到").click()
    page.locator("[data-testid=signed-in]").wait_for()
    page.screenshot(path=str(ARTIFACTS / "activities-qr-signed-in-phone.png"), full_page=True)
    inv = Invitation.objects.get(activity=forum, member=member)
    assert inv.attendance == "attended" and inv.attendance_source == "qr"

    # Scanning the same code again says calmly that the member is signed in; nothing twice.
    page.goto(f"{live_server.url}/activities/sign-in/{token}/")
    assert "无需重复签到" in page.locator("[data-testid=already-signed-in]").inner_text()
    assert page.get_by_role("button", name="立即签到").count() == 0
    assert Invitation.objects.filter(member=member, attendance="attended").count() == 1
