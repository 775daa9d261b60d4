"""Proposal clues on a 390 px phone: a resident sends a clue on the website; the proposal office
puts it in the library; a member takes it up and lands in a proposal draft made from it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import assert_no_horizontal_scroll, login, screenshot
from tests.factories import user_with_role
from tests.proposals.factories import build_world
from xieshang.clues.models import Clue
from xieshang.core.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2, "locale": "zh-CN"}


@pytest.fixture
def phone(browser: Any, live_server: Any) -> Any:
    contexts: list[Any] = []

    def open_context() -> Any:
        context = browser.new_context(base_url=live_server.url, **PHONE)
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context
    yield open_context
    for context in contexts:
        context.close()


def test_a_clue_from_the_website_becomes_a_members_proposal_draft(phone, live_server, county):
    w = build_world(county)
    office = user_with_role(county, Role.STAFF_PROPOSAL)

    page = phone().new_page()
    page.goto(f"/clues/public/{county.code}/")
    assert_no_horizontal_scroll(page, 390)
    page.fill("#id_title", "农村客运班线减少")
    page.fill("#id_body", "村里每天只剩一班进城客车，老人看病不方便，建议开通预约公交。")
    page.fill("#id_phone", "13907310002")
    page.locator("button[type=submit]").click()
    page.get_by_test_id("clue-thanks").wait_for()
    screenshot(page, "clues-public-thanks")
    clue = Clue.objects.get()

    staff_page = login(phone().new_page(), live_server, office.username)
    staff_page.goto(clue.get_absolute_url())
    staff_page.locator("form[data-action=accept] button[type=submit]").click()
    staff_page.get_by_test_id("clue-status").wait_for()
    clue.refresh_from_db()
    assert clue.status == Clue.Status.ACCEPTED

    member_page = login(phone().new_page(), live_server, w.users["member"].username)
    member_page.goto("/clues/")
    assert_no_horizontal_scroll(member_page, 390)
    member_page.get_by_text("农村客运班线减少").click()
    with member_page.expect_navigation():
        member_page.get_by_test_id("adopt-clue").click()
    assert "/proposals/" in member_page.url and "/edit/" in member_page.url
    assert "预约公交" in member_page.input_value("#id_body")
    screenshot(member_page, "clues-adopted-draft")
    clue.refresh_from_db()
    assert clue.status == Clue.Status.ADOPTED and clue.proposal is not None
