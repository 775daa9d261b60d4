"""A member typing a new proposal sees similar earlier ones appear under the form."""

import pytest

from tests.browser.conftest import login, screenshot

pytestmark = [pytest.mark.browser]


def test_similar_earlier_proposals_appear_while_typing(desktop_page, live_server, county):
    from tests.proposals.factories import S, build_world, reach

    world = build_world(county)
    earlier = reach(world, S.FILED)
    theirs = reach(world, S.UNDER_REVIEW, title="关于保障农村饮水安全的建议")  # not filed
    reach(world, S.FILED, title="关于规范城区停车秩序的建议",
          body="城区停车位严重不足，建议建设立体停车场，规范路边停车收费。")
    page = login(desktop_page, live_server, world.users["other_member"].username)
    page.goto("/proposals/new/")
    panel = page.locator("[data-testid=similar-typing]")
    assert panel.locator("li").count() == 0
    page.locator("#id_title").press_sequentially("关于强化乡村饮用水安全保障的提议", delay=20)
    page.locator("#id_body").press_sequentially("山区村组季节性缺水，水质不稳定，建议完善管护机制。",
                                                 delay=10)
    panel.locator(f"a[href='/proposals/{earlier.pk}/']").wait_for()
    text = panel.inner_text()
    assert earlier.title in text and earlier.number in text
    assert "停车" not in text
    assert panel.locator(f"a[href='/proposals/{theirs.pk}/']").count() == 0
    screenshot(page, "proposals-similar-while-typing")
