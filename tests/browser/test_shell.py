"""The UI shell in a real browser: login, my work, navigation, bell, committee switcher, member
list with htmx filtering, Chinese form errors, 404 across committees, logout; phone and desktop.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    login,
    screenshot,
)
from tests.factories import (
    CommitteeFactory,
    MemberFactory,
    NotificationFactory,
    RoleAssignmentFactory,
    SectorFactory,
    TermFactory,
    user_with_role,
)
from xieshang.core.models import Committee, Notification, Role, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RED_HEADER = "rgb(166, 27, 27)"


def make_county(name: str = "示范县政协", code: str = "county-a") -> Committee:
    city = CommitteeFactory(name=f"{name}所在市政协", code=f"{code}-city",
                            level=Committee.Level.CITY)
    county = CommitteeFactory(name=name, short_name=name, code=code, parent=city)
    TermFactory(committee=county)
    return county


def populate_roster(county: Committee) -> None:
    farming = SectorFactory(committee=county, name="农业和农村界")
    economy = SectorFactory(committee=county, name="经济界")
    for name, sector, workplace in [
        ("王建国", farming, "城关镇农业服务中心主任"), ("李秀兰", farming, "县农科所研究员"),
        ("张明华", economy, "县工商联副主席"), ("陈晓东", economy, "示范县农商银行行长"),
        ("刘志强", economy, "县建筑公司总经理"), ("赵丽娟", farming, "东坪乡党委书记"),
    ]:
        MemberFactory(committee=county, name=name, sector=sector, workplace=workplace,
                      party="中共党员")


def named(user: User, name: str) -> User:
    """Give a factory user a real-looking name (the screenshots are in the README)."""
    user.display_name = name
    user.save(update_fields=["display_name"])
    return user


def header_background(page) -> str:
    return page.evaluate("getComputedStyle(document.querySelector('.topbar')).backgroundColor")


def test_member_logs_in_by_phone_and_sees_my_work_on_a_phone(phone_page, live_server):
    county = make_county()
    user = named(user_with_role(county, Role.MEMBER), "李秀兰")
    page = phone_page

    page.goto("/login/")
    assert header_background(page) == RED_HEADER, "app.css did not load"
    assert_accessible(page)
    assert_no_horizontal_scroll(page, 375)
    screenshot(page, "login-phone")

    login(page, live_server, user.phone)

    assert page.evaluate("typeof htmx") == "object", "htmx did not load"
    assert page.locator("h1").inner_text().startswith("您好")
    assert "示范县政协" in page.locator(".brand-text").inner_text()
    nav = page.get_by_role("navigation", name="主导航")
    assert nav.get_by_role("link", name="我的工作").get_attribute("aria-current") == "page"
    assert nav.get_by_role("link", name="委员", exact=True).count() == 1
    assert page.get_by_role("link", name="管理", exact=True).count() == 0
    assert_accessible(page)
    assert_no_horizontal_scroll(page, 375)
    screenshot(page, "home-phone")


def test_office_staff_logs_in_by_username_and_sees_my_work_on_a_desktop(desktop_page,
                                                                          live_server):
    county = make_county()
    staff = named(user_with_role(county, Role.STAFF_OFFICE), "周文静")
    page = desktop_page

    login(page, live_server, staff.username)

    assert page.url == f"{live_server.url}/"
    assert page.locator("h1").inner_text() == f"您好，{staff.display_name}"
    assert "综合" in page.locator("main .muted").first.inner_text() or \
        "办公室" in page.locator("main .muted").first.inner_text()
    nav = page.get_by_role("navigation", name="主导航")
    for label in ("我的工作", "委员", "承办单位"):
        assert nav.get_by_role("link", name=label, exact=True).is_visible()
    nav.get_by_role("link", name="委员", exact=True).click()
    page.wait_for_url("**/members/")
    assert nav.get_by_role("link", name="委员", exact=True).get_attribute("aria-current") == "page"
    page.goto("/")
    assert_accessible(page)
    screenshot(page, "home-desktop")


def test_bell_shows_unread_count_and_reading_clears_it(phone_page, live_server):
    county = make_county()
    user = named(user_with_role(county, Role.MEMBER), "李秀兰")
    NotificationFactory(committee=county, recipient=user, title="关于报送年度提案的通知",
                        body="请于12月10日前通过平台提交提案。", url="/")
    NotificationFactory(committee=county, recipient=user, title="常委会会议通知")
    page = phone_page
    login(page, live_server, user.phone)

    bell = page.get_by_role("link", name=re.compile("通知"))
    assert page.get_by_test_id("unread").inner_text() == "2"
    bell.click()
    page.wait_for_url("**/notifications/")
    assert page.locator("h1").inner_text() == "消息通知"
    assert page.locator(".list li.unread").count() == 2
    assert_accessible(page)
    assert_no_horizontal_scroll(page, 375)
    screenshot(page, "notifications-phone")

    page.get_by_role("button", name="关于报送年度提案的通知").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_test_id("unread").inner_text() == "1"
    page.goto("/notifications/")
    page.get_by_role("button", name="全部标为已读").click()
    page.wait_for_url("**/notifications/")
    assert page.get_by_test_id("unread").count() == 0
    assert page.locator(".list li.unread").count() == 0


def test_user_with_roles_in_two_committees_switches_in_the_header(desktop_page, live_server):
    county = make_county()
    neighbour = make_county("邻县政协", "county-b")
    staff = user_with_role(county, Role.STAFF_OFFICE)
    RoleAssignmentFactory(user=staff, committee=neighbour, role=Role.STAFF_OFFICE)
    page = desktop_page
    login(page, live_server, staff.username)
    brand = page.locator(".brand-text")
    first = brand.inner_text()
    other = "邻县政协" if first == "示范县政协" else "示范县政协"

    switcher = page.get_by_label("切换政协")
    assert switcher.is_visible()
    with page.expect_navigation():
        switcher.select_option(label=other)

    assert brand.inner_text() == other
    assert other in page.locator(".messages").inner_text()
    assert page.locator("main .muted").first.inner_text().startswith(other)
    assert_accessible(page)


def test_member_list_filters_rows_with_htmx_without_a_full_reload(desktop_page, live_server):
    county = make_county()
    populate_roster(county)
    staff = named(user_with_role(county, Role.STAFF_OFFICE), "周文静")
    page = desktop_page
    login(page, live_server, staff.username)
    page.goto("/members/")
    rows = page.locator("#member-rows tbody tr")
    assert rows.count() == 6
    assert_accessible(page)
    screenshot(page, "members-desktop")
    page.evaluate("window.__noFullReload = true")

    page.get_by_label("搜索").press_sequentially("银行")

    # (wait_for_function would eval a string in the page, which our CSP rightly forbids)
    from playwright.sync_api import expect

    expect(page.locator("#member-rows tbody tr")).to_have_count(1)
    assert rows.first.locator("td").first.inner_text() == "陈晓东"
    assert page.evaluate("window.__noFullReload") is True
    assert "q=" in page.url, "hx-push-url keeps the filter in the address bar"

    page.get_by_label("搜索").fill("不存在的名字")
    page.wait_for_selector("#member-rows .empty")
    assert page.evaluate("window.__noFullReload") is True


def test_member_list_fits_a_phone(phone_page, live_server):
    county = make_county()
    populate_roster(county)
    staff = user_with_role(county, Role.STAFF_OFFICE)
    page = phone_page
    login(page, live_server, staff.phone)
    page.goto("/members/")
    assert page.locator("#member-rows tbody tr").count() == 6
    assert page.locator("#member-rows thead").is_hidden()
    assert_accessible(page)
    assert_no_horizontal_scroll(page, 375)
    screenshot(page, "members-phone")


def test_wrong_password_shows_a_chinese_error_on_the_form(phone_page, live_server):
    county = make_county()
    user = user_with_role(county, Role.MEMBER)
    page = phone_page

    login(page, live_server, user.phone, "not-the-password", expect_success=False)

    assert "/login/" in page.url
    error = page.get_by_role("alert")
    assert "密码" in error.inner_text()
    assert not re.search(r"[A-Za-z]{4,}", error.inner_text()), "the error is in Chinese"
    assert page.locator("#id_username").input_value() == user.phone
    assert_accessible(page)
    screenshot(page, "login-error-phone")


def test_member_of_another_committee_shows_the_404_page(desktop_page, live_server):
    county = make_county()
    neighbour = make_county("邻县政协", "county-b")
    stranger = MemberFactory(committee=neighbour, name="外县委员")
    own = MemberFactory(committee=county, name="本县委员")
    staff = user_with_role(county, Role.STAFF_OFFICE)
    page = desktop_page
    login(page, live_server, staff.username)

    response = page.goto(f"/members/{own.pk}/")
    assert response.status == 200

    response = page.goto(f"/members/{stranger.pk}/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "未找到"
    assert "外县委员" not in page.content()
    assert page.get_by_role("link", name="返回我的工作").is_visible()
    assert_accessible(page)
    screenshot(page, "404-desktop")


def test_logout_ends_the_session(phone_page, live_server):
    county = make_county()
    user = user_with_role(county, Role.MEMBER)
    page = phone_page
    login(page, live_server, user.phone)

    page.locator(".usermenu summary").click()
    with page.expect_navigation():
        page.get_by_role("button", name="退出登录", exact=True).click()

    assert "/login/" in page.url
    page.goto("/")
    assert "/login/" in page.url, "home asks for login again"


def test_header_with_switcher_and_many_notifications_fits_a_phone(phone_page, live_server):
    county = make_county("示范县政治协商会议委员会", "county-a")
    neighbour = make_county("邻县政协", "county-b")
    staff = named(user_with_role(county, Role.STAFF_OFFICE), "欧阳建国")
    RoleAssignmentFactory(user=staff, committee=neighbour, role=Role.STAFF_OFFICE)
    Notification.objects.bulk_create(
        Notification(committee=county, recipient=staff, title=f"通知{i}") for i in range(120))
    page = phone_page
    login(page, live_server, staff.username)

    assert page.get_by_test_id("unread").inner_text() == "99+"
    assert page.get_by_label("切换政协").is_visible()
    assert page.get_by_role("link", name=re.compile("通知")).is_visible()
    assert page.locator(".usermenu summary").is_visible()
    assert_no_horizontal_scroll(page, 375)
    assert_accessible(page)
    screenshot(page, "header-switcher-phone", full_page=False)
