"""One proposal from the member's phone to the member's rating, every role through the pages:
the member writes and submits on a 390×844 phone, the co-proposer confirms on a phone, 提案委
staff review, file and assign on a desktop, the unit clerk signs for it, records the contact
and drafts the reply, the unit leader approves, staff send it, the member rates it. Each step
asserts the status the page shows (and the row) and saves tests/artifacts/proposal-*.png."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from tests.browser.conftest import (
    CHROMIUM,
    assert_no_horizontal_scroll,
    login,
    screenshot,
)
from tests.proposals.factories import build_world
from xieshang.proposals.models import Proposal, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2, "locale": "zh-CN"}
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "zh-CN"}
TITLE = "关于加强农村饮水安全保障的建议"
BODY = ("近年来我县农村饮水工程逐步完善，但部分山区村组仍存在季节性缺水、水质不稳定等问题。"
        "建议：一是加大投入，新建和改造一批集中供水工程；二是完善管护机制，明确村级管水员职责；"
        "三是加强水质监测，定期公布检测结果。")


def _label(status: str) -> str:
    with translation.override("zh-hans"):
        return str(Status(status).label)


@pytest.fixture
def session_as(browser: Any, live_server: Any):
    contexts: list[Any] = []

    def open_as(user: Any, *, phone: bool = False) -> Any:
        context = browser.new_context(base_url=live_server.url, **(PHONE if phone else DESKTOP))
        # Generous: the shared test machine can be slow; a step that never comes still fails.
        context.set_default_timeout(60_000)
        contexts.append(context)
        return login(context.new_page(), live_server, user.username)

    yield open_as
    for context in contexts:
        context.close()


def _act(page: Any, action: str, fill: dict[str, str] | None = None) -> None:
    """Press the action's button on the proposal page (after filling its small form)."""
    form = page.locator(f"form.action-form[data-action={action}]")
    for selector, value in (fill or {}).items():
        field = form.locator(selector)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    errors = page.locator(".msg-error, .msg.error")
    assert errors.count() == 0, errors.all_text_contents()


def _status_is(page: Any, proposal: Proposal, status: str) -> None:
    assert page.locator("[data-testid=status]").inner_text().strip() == _label(status)
    proposal.refresh_from_db()
    assert proposal.status == status


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")
def test_a_proposal_from_the_members_phone_to_the_members_rating(session_as, county):
    w = build_world(county)
    unit = w.units["a"]

    # 1. The member writes the proposal on the phone and submits it with a co-proposer.
    phone = session_as(w.users["member"], phone=True)
    phone.goto("/proposals/new/")
    phone.fill("#id_title", TITLE)
    phone.select_option("#id_category", str(w.category.pk))
    phone.fill("#id_body", BODY)
    phone.select_option("#id_suggested_units", [str(unit.pk)])
    # The co-proposer picker: search by pinyin initials or by name (a county has 250 members),
    # tick, see the tag.
    phone.get_by_label("联名提案人").fill("lxy")
    assert "李秀英" in phone.locator(".picker-list").inner_text()
    phone.get_by_label("联名提案人").fill("李秀")
    phone.locator(".picker-list label", has_text="李秀英").click()
    assert "李秀英" in phone.locator(".picker-chosen").inner_text()
    assert phone.locator(".picker-list label").count() == 1
    assert_no_horizontal_scroll(phone)
    screenshot(phone, "proposal-1-member-writes-phone")
    with phone.expect_navigation():
        phone.locator("[data-testid=submit-proposal]").click()
    proposal = Proposal.objects.get(title=TITLE)
    _status_is(phone, proposal, Status.SUBMITTED)
    assert "李秀英" in phone.locator(".facts").inner_text()
    assert_no_horizontal_scroll(phone)
    screenshot(phone, "proposal-2-submitted-phone")

    # 2. The co-proposer confirms on their phone.
    co = session_as(w.users["co_member"], phone=True)
    co.goto(f"/proposals/{proposal.pk}/")
    with co.expect_navigation():
        co.get_by_role("button", name="确认联名").click()
    assert "李秀英 ✓" in co.locator(".facts").inner_text()
    assert proposal.co_proposers.get().confirmed_at is not None
    screenshot(co, "proposal-3-co-proposer-confirmed-phone")

    # 3. 提案委 staff review (two rounds), file and assign to one unit, on a desktop.
    staff = session_as(w.users["staff"])
    staff.goto("/proposals/work/to-review/")
    link = staff.get_by_role("link", name=TITLE).first
    assert link.get_attribute("href") == f"/proposals/{proposal.pk}/"
    with staff.expect_navigation():
        link.click()
    _act(staff, "start_review")
    _status_is(staff, proposal, Status.UNDER_REVIEW)
    _act(staff, "pass_round")
    _act(staff, "file", {"textarea[name=note]": "符合立案标准。"})
    _status_is(staff, proposal, Status.FILED)
    assert staff.locator("[data-testid=number]").inner_text().strip() == proposal.number
    assert proposal.number
    screenshot(staff, "proposal-4-filed-staff")
    _act(staff, "assign", {"select[name=kind]": "single",
                           "select[name=unit_ids]": str(unit.pk)})
    _status_is(staff, proposal, Status.ASSIGNED)
    assert unit.name in staff.locator("table").inner_text()
    screenshot(staff, "proposal-5-assigned-staff")

    # 4. The unit clerk signs for it, records the talk with the proposer and drafts the reply.
    clerk = session_as(w.users["clerk_a"])
    clerk.goto(f"/proposals/{proposal.pk}/")
    _act(clerk, "sign")
    _status_is(clerk, proposal, Status.HANDLING)
    _act(clerk, "record_contact", {"textarea[name=notes]": "电话联系提案人，听取意见。"})
    _act(clerk, "draft_reply", {"select[name=result_class]": "A",
                                "textarea[name=body]":
                                    "经研究，已将山区供水工程列入明年重点工作计划。",
                                "input[name=contact_person]": "赵科长",
                                "input[name=contact_phone]": "0771-1234567"})
    assert clerk.locator("[data-testid=class]").inner_text().strip() == "A"
    screenshot(clerk, "proposal-6-reply-drafted-unit")

    # 5. The unit leader approves; staff send the reply to the proposers.
    leader = session_as(w.users["leader_a"])
    leader.goto(f"/proposals/{proposal.pk}/")
    _act(leader, "approve")
    _status_is(leader, proposal, Status.REPLY_REVIEW)
    staff.goto(f"/proposals/{proposal.pk}/")
    _act(staff, "release")
    _status_is(staff, proposal, Status.REPLIED)
    screenshot(staff, "proposal-7-replied-staff")

    # 6. Back on the phone, the member reads the reply and rates it.
    phone.goto(f"/proposals/{proposal.pk}/")
    assert "山区供水工程" in phone.inner_text("body")
    _act(phone, "rate", {"select[name=rating]": "satisfied",
                         "textarea[name=comments]": "答复具体，措施可行。"})
    # The co-proposer has rated nothing yet: the proposal waits for every proposer or the
    # end of the feedback period.
    proposal.refresh_from_db()
    assert proposal.status in (Status.REPLIED, Status.CLOSED)
    assert proposal.feedback.filter(member=w.member, rating="satisfied").exists()
    assert "答复具体，措施可行。" in phone.locator("body").inner_text()
    if proposal.status == Status.REPLIED:
        co.goto(f"/proposals/{proposal.pk}/")
        _act(co, "rate", {"select[name=rating]": "satisfied"})
        phone.reload()
    _status_is(phone, proposal, Status.CLOSED)
    assert_no_horizontal_scroll(phone)
    screenshot(phone, "proposal-8-rated-phone")
