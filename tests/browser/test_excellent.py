"""优秀提案 on a phone: a handling unit's clerk nominates a proposal it handled, the proposal
office records the meeting's decision, and the public list shows it — each page fits 375 px and
passes the accessibility pass."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    login,
    screenshot,
)
from tests.proposals.factories import S, build_world, reach
from xieshang.core import clock
from xieshang.proposals.models import ExcellentNomination

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_nominate_decide_and_publish_on_a_phone(county: Any, live_server: Any,
                                                phone_page: Any) -> None:
    world = build_world(county)
    p = reach(world, S.CLOSED)
    page = login(phone_page, live_server, world.users["clerk_a"].username)
    page.goto(f"{live_server.url}/proposals/excellent/")
    page.select_option("#id_proposal", str(p.pk))
    page.fill("#id_reason", "建议已全部采纳，办理成效显著。")
    with page.expect_navigation():
        page.locator("form[method=post] button.primary").click()
    assert ExcellentNomination.objects.filter(proposal=p, nominator_kind="unit").exists()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    screenshot(page, "excellent-unit-nominated")

    page.context.clear_cookies()
    page = login(page, live_server, world.users["staff"].username)
    page.goto(f"{live_server.url}/proposals/excellent/{clock.today().year}/decide/")
    page.locator("input[name=selected]").first.check()
    page.fill("#id_resolution_no", "县政协常委会议决定〔2026〕3号")
    page.fill("#id_resolution_date", clock.today().isoformat())
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("form[method=post] button.primary").click()
    assert ExcellentNomination.objects.get(proposal=p).selected
    screenshot(page, "excellent-decided")

    page.goto(f"{live_server.url}/proposals/public/{county.code}/excellent/")
    assert p.title in page.content()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
