"""The leader's dashboard (desktop) and the large screen (1920×1080) in a real browser, on a
county with the seed report's activities and proposals walked through the workflow; the
screenshots go to tests/artifacts/reports-dashboard.png and reports-screen.png."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import DESKTOP, TIMEOUT_MS, login, screenshot
from tests.factories import user_with_role
from tests.proposals.factories import S, build_world, call, reach
from tests.reports import seed
from xieshang.core.models import Role
from xieshang.duties.models import Score
from xieshang.members.models import Member

pytestmark = pytest.mark.browser


@pytest.fixture
def county_year(county):
    seed.build(county)
    w = build_world(county)
    reach(w, S.CLOSED, title="关于加强农村饮水安全保障的建议")
    reach(w, S.REHANDLING, title="关于改善城区停车难问题的建议")
    key = reach(w, S.HANDLING, title="关于推进县域医共体建设的建议")
    call(w, key, "mark_key", "leader")
    reach(w, S.FILED, title="关于规范校外培训机构的建议")
    reach(w, S.NOT_FILED, title="关于某企业产品推广的建议")
    return w


def _numbers(page, selector: str) -> list[str]:
    return [t.strip() for t in page.locator(selector).all_inner_texts()]


def test_dashboard_and_large_screen_render_charts_with_numbers(county_year, browser,
                                                               live_server):
    period = f"from=2022-01-01&to={dt.date.today()}"
    context = browser.new_context(base_url=live_server.url, **DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(120_000)  # the dashboard computes every figure
    page = context.new_page()
    login(page, live_server, county_year.users["leader"].username)
    page.goto(f"/reports/dashboard/?{period}")
    counts = _numbers(page, ".cards .stat .count")
    assert len(counts) >= 4 and any(c not in ("0", "0%", "0.0%") for c in counts)
    assert page.locator(".panel svg").count() >= 2  # activities by month and by type
    bars = page.locator(".panel svg rect, .panel svg path, .panel svg circle")
    assert bars.count() > 5
    assert page.locator(".panel table td").first.inner_text().strip() != ""
    screenshot(page, "reports-dashboard")
    context.close()

    screen = browser.new_context(base_url=live_server.url, locale="zh-CN",
                                 viewport={"width": 1920, "height": 1080})
    screen.set_default_timeout(TIMEOUT_MS)
    screen.set_default_navigation_timeout(120_000)
    page = screen.new_page()
    login(page, live_server, county_year.users["leader"].username)
    page.goto(f"/reports/screen/?{period}")
    figures = _numbers(page, ".screen-figure .count")
    assert "5" in figures  # proposals submitted
    assert page.locator(".screen-panels .panel svg").count() >= 2
    size = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert size[0] <= size[1]  # the large screen fits its 1920 px without scrolling sideways
    screenshot(page, "reports-screen", full_page=False)
    screen.close()


_VISIBLE_CONTROLS_JS = r"""
() => [...document.querySelectorAll("a, button, summary, details")]
  .filter(el => el.offsetParent !== null || el.getClientRects().length > 0)
  .map(el => (el.innerText || el.textContent || "").trim())
  .filter(t => t.includes("表格视图") || t.includes("导出"))
"""


def test_large_screen_fits_1920_by_1080_without_table_or_export_controls(
        county_year, browser, live_server):
    """The leaders' wall display: the whole page in one 1920×1080 screen (no vertical scroll)
    and none of the statistics page's 表格视图 / 导出 controls. Seen by the city, with every
    panel there is: hot topics, activities by month and by type, duty scores, the counties."""
    county = county_year.committee
    for i, member in enumerate(Member.objects.filter(committee=county)):
        Score.objects.create(committee=county, member=member, year=dt.date.today().year,
                             total=35 + 9 * (i % 7))
    city_leader = user_with_role(county.parent, Role.LEADER)
    screen = browser.new_context(base_url=live_server.url, locale="zh-CN",
                                 viewport={"width": 1920, "height": 1080})
    screen.set_default_timeout(TIMEOUT_MS)
    screen.set_default_navigation_timeout(120_000)
    page = screen.new_page()
    login(page, live_server, city_leader.username)
    page.goto(f"/reports/screen/?from=2022-01-01&to={dt.date.today()}&sub=1")
    assert page.locator(".screen-panels .panel").count() == 5
    screenshot(page, "reports-screen-1080", full_page=False)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 1080, f"the large screen is {height}px tall on a 1080px display"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1920
    for part in page.locator(".screen-panels .panel, .screen-notes").all():  # none cut off
        box = part.bounding_box()
        assert box["y"] + box["height"] <= 1080, box
    assert page.evaluate(_VISIBLE_CONTROLS_JS) == []
    charts = page.locator(".screen-panels .panel svg")
    assert charts.count() >= 2
    for i in range(charts.count()):  # every chart is drawn inside its cell, at a useful size
        box, cell = charts.nth(i).bounding_box(), charts.nth(i).locator("xpath=..").bounding_box()
        assert box["height"] >= 120 and box["y"] + box["height"] <= cell["y"] + cell["height"] + 1
    screen.close()
