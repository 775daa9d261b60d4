"""On a phone a long menu (the chair's: leader, office and member at once) shows two rows and
the current item, and one button opens every item in place; a member's menu (up to four rows)
is left whole; on the desktop every item is in the bar and there is no button."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import (
    CHROMIUM,
    assert_accessible,
    assert_no_horizontal_scroll,
    login,
)
from tests.factories import MemberFactory, user_with_role
from xieshang.core.models import Role, RoleAssignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = """nav => { const tops = new Set();
  nav.querySelectorAll('a, button').forEach(e => { if (e.offsetParent) tops.add(e.offsetTop); });
  return tops.size; }"""


def _visible_links(page: Any) -> list[str]:
    return [t.strip() for t in page.locator(".mainnav a:visible").all_inner_texts()]


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")
def test_a_long_phone_menu_folds_to_two_rows_and_opens_in_place(phone_page, desktop_page,
                                                                 live_server, county):
    chair = user_with_role(county, Role.LEADER)
    for role in (Role.STAFF_OFFICE, Role.STAFF_PROPOSAL, Role.STAFF_OPINION, Role.ADMIN):
        RoleAssignment.objects.create(committee=county, user=chair, role=role)
    RoleAssignment.objects.create(committee=county, user=chair, role=Role.MEMBER,
                                  member=MemberFactory(committee=county, user=chair))
    page = login(phone_page, live_server, chair.username)
    nav = page.locator(".mainnav")
    every = nav.locator("a").count()
    toggle = nav.locator("button.navtoggle")
    assert toggle.is_visible() and toggle.inner_text().startswith("全部菜单")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert nav.evaluate(ROWS) <= 2
    assert len(_visible_links(page)) < every
    assert_accessible(page)
    toggle.click()
    assert len(_visible_links(page)) == every
    assert toggle.get_attribute("aria-expanded") == "true" and "收起" in toggle.inner_text()
    assert_no_horizontal_scroll(page)
    # A folded item opens its page, and there the current item is in sight.
    last = nav.locator("a").nth(every - 1)
    href = last.get_attribute("href")
    with page.expect_navigation():
        last.click()
    assert page.locator(f".mainnav a[href='{href}']").is_visible()
    assert page.locator(".mainnav").evaluate(ROWS) <= 2

    desk = login(desktop_page, live_server, chair.username)
    assert desk.locator(".mainnav button.navtoggle").count() == 0
    assert len(_visible_links(desk)) == desk.locator(".mainnav a").count()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")
def test_a_members_phone_menu_is_left_whole(phone_page, live_server, county):
    member = user_with_role(county, Role.MEMBER, member=MemberFactory(committee=county))
    page = login(phone_page, live_server, member.username)
    assert page.locator(".mainnav button.navtoggle").count() == 0
    assert len(_visible_links(page)) == page.locator(".mainnav a").count()
    assert {"学习", "履职档案"} <= set(_visible_links(page))
