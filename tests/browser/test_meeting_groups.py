"""分组讨论 on a 390 px phone: a member sees their own group (name, venue, time, convener,
fellow members) on the meeting page without sideways scrolling; the staff's groups page lists
the 未分组."""

from __future__ import annotations

import pytest

from tests.browser.conftest import (
    TIMEOUT_MS,
    assert_no_horizontal_scroll,
    login,
    screenshot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_390 = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
             "device_scale_factor": 2, "locale": "zh-CN"}


def test_member_sees_own_group_on_a_phone(browser, live_server, county, desktop_page):
    from tests.meetings.factories import discussion_group, plenary, with_sectors
    from xieshang.meetings import services

    p = plenary(county, 6)
    sectors = with_sectors(p, "中共", "中共", "社会福利和社会保障界", "经济界", None, "经济界")
    first = discussion_group(p, "第一组（中共、社会福利和社会保障界、少数民族界、宗教界）",
                             venue="县政协机关大楼三楼第一会议室（东侧）")
    second = discussion_group(p, "第二组（经济界）")
    services.groups_fill_by_sector(actor=p.staff_actor, meeting=p.meeting, sectors={
        first: [sectors["中共"], sectors["社会福利和社会保障界"]], second: [sectors["经济界"]]})
    services.group_update(actor=p.staff_actor, group=first, name=first.name, venue=first.venue,
                          convener=p.members[1][1])

    context = browser.new_context(base_url=live_server.url, **PHONE_390)
    context.set_default_timeout(TIMEOUT_MS)
    phone = context.new_page()
    login(phone, live_server, p.members[0][0].username)
    phone.goto(f"/meetings/{p.meeting.pk}/")
    card = phone.locator("#my-group")
    card.get_by_text("我的讨论小组").wait_for()
    text = card.inner_text()
    assert first.name in text and "第一会议室" in text and p.members[1][1].name in text
    assert p.members[2][1].name in text and "第二组" not in phone.content()
    assert_no_horizontal_scroll(phone)
    screenshot(phone, "meetings-my-group-390")
    context.close()

    login(desktop_page, live_server, p.staff.username)
    desktop_page.goto(f"/meetings/{p.meeting.pk}/groups/")
    desktop_page.get_by_role("heading", name="分组讨论", exact=True).wait_for()
    assert p.members[4][1].name in desktop_page.locator("#ungrouped").inner_text()
