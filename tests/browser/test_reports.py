"""The leader's dashboard (desktop) and the large screen (1920×1080) in a real browser, on a
county with the seed report's activities and proposals walked through the workflow; the
screenshots go to tests/artifacts/reports-dashboard.png and reports-screen.png."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import DESKTOP, TIMEOUT_MS, login, screenshot
from tests.proposals.factories import S, build_world, call, reach
from tests.reports import seed

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
