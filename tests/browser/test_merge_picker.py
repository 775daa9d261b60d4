"""并案 on the desktop: the target is found by typing (number, title, proposer or year) among a
session's proposals, chosen with a radio button, and the irreversible step asks first; sent
without a target, the search box says what is missing and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import CHROMIUM, login
from tests.proposals.factories import build_world, call, reach
from xieshang.proposals import services
from xieshang.proposals.models import Proposal, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")
def test_the_merge_target_is_found_by_typing_and_the_step_asks_first(browser: Any,
                                                                      live_server: Any, county):
    w = build_world(county)
    lead = reach(w, Status.UNDER_REVIEW)
    for title in ("关于加强校园周边交通安全的建议", "关于完善农村养老服务的建议"):
        other = services.proposal_save_draft(actor=w.actor("member"), title=title,
                                             category=w.category, body=lead.body)
        services.proposal_submit(actor=w.actor("member"), proposal=other, version=other.version)
    p2 = services.proposal_save_draft(actor=w.actor("co_member"), title="关于农村供水的建议",
                                      category=w.category, body=lead.body)
    p2 = services.proposal_submit(actor=w.actor("co_member"), proposal=p2, version=p2.version)
    p2 = call(w, p2, "start_review", "staff")
    lead = Proposal.objects.get(pk=lead.pk)

    context = browser.new_context(base_url=live_server.url,
                                  viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(60_000)
    page = login(context.new_page(), live_server, w.users["staff"].username)
    page.goto(f"/proposals/{p2.pk}/")
    form = page.locator("form.action-form[data-action=merge]")
    search = form.locator("input[type=search]")
    assert "编号" in (search.get_attribute("placeholder") or "")

    # Sent without a target: the search box says so; nothing changes.
    form.locator("button[type=submit]").click()
    assert search.evaluate("e => e.validationMessage") == "请先选择要并入的提案"
    assert Proposal.objects.get(pk=p2.pk).status == Status.UNDER_REVIEW

    search.fill("饮水")  # the lead proposal's title
    choices = form.locator(".picker-list label")
    assert choices.count() == 1
    assert lead.proposer_name in choices.inner_text()  # title, proposer and date tell them apart
    choices.first.click()
    assert "饮水" in form.locator(".picker-chosen").inner_text()
    form.locator("button[type=submit]").click()
    with page.expect_navigation():
        page.locator("dialog.confirm-dialog button.danger").click()
    p2 = Proposal.objects.get(pk=p2.pk)
    assert p2.status == Status.MERGED and p2.merged_into_id == lead.pk
    context.close()
