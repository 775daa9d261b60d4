"""The installable app on a 390 px phone: the service worker takes the site, a proposal draft is
written with the network off and is on the server once the network is back; a copy of an older
version comes back as a conflict instead of overwriting the server's."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import login, screenshot
from tests.proposals.factories import build_world
from xieshang.proposals import services
from xieshang.proposals.models import Proposal, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2, "locale": "zh-CN"}
TITLE = "关于完善农村寄递物流网络的建议"
BODY = "部分行政村快递进村难、取件远。建议整合邮政、供销和快递企业资源，建设村级综合服务站。"


@pytest.fixture
def phone(browser: Any, live_server: Any) -> Any:
    context = browser.new_context(base_url=live_server.url, **PHONE)
    context.set_default_timeout(30_000)
    yield context
    context.close()


def _worker_ready(page: Any) -> None:
    """Wait until the service worker controls the page. ``clients.claim()`` takes the pages that
    exist when the worker activates; a page whose navigation was still under way then (login
    redirects while the worker installs) stays uncontrolled until it loads again, as in a real
    browser, so the page is reloaded once if the worker is active but not yet in control."""
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("() => navigator.serviceWorker.controller !== null"):
        page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)


def test_a_draft_written_offline_is_saved_when_the_network_is_back(phone, live_server, county):
    w = build_world(county)
    page = login(phone.new_page(), live_server, w.users["member"].username)
    _worker_ready(page)
    page.goto("/proposals/new/")
    assert page.locator("form[data-offline-draft]").count() == 1

    phone.set_offline(True)
    page.fill("#id_title", TITLE)
    page.fill("#id_body", BODY)
    page.locator("button[name=save]").click()
    status = page.get_by_test_id("offline-status")
    status.wait_for(state="visible")
    assert "已保存在本机" in status.text_content()
    screenshot(page, "pwa-offline-draft")
    assert not Proposal.objects.filter(title=TITLE).exists()

    # The page itself opens again without a network (kept by the service worker).
    page.reload()
    assert page.input_value("#id_title") == TITLE

    phone.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.wait_for_function(
        "() => { const s = document.getElementById('offline-status');"
        " return s && s.textContent.includes('已保存到服务器'); }")
    proposal = Proposal.objects.get(title=TITLE)
    assert proposal.body == BODY and proposal.proposer_id == w.member.pk
    assert proposal.status == Status.DRAFT
    assert page.evaluate(
        "() => Object.keys(localStorage).filter(k => k.startsWith('xs-draft:')).length") == 0


def test_an_offline_copy_of_a_changed_draft_shows_a_conflict(phone, live_server, county):
    w = build_world(county)
    draft = services.proposal_save_draft(actor=w.actor("member"), title=TITLE, body=BODY)
    page = login(phone.new_page(), live_server, w.users["member"].username)
    _worker_ready(page)
    page.goto(f"/proposals/{draft.pk}/edit/")

    phone.set_offline(True)
    page.fill("#id_body", "手机上离线改写的内容")
    page.locator("button[name=save]").click()
    page.get_by_test_id("offline-status").wait_for(state="visible")
    # Meanwhile the draft is changed on a desktop.
    services.proposal_save_draft(actor=w.actor("member"), proposal=draft, title=TITLE,
                                 body="在电脑上修改的内容")

    phone.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.wait_for_function(
        "() => { const s = document.getElementById('offline-status');"
        " return s && s.textContent.includes('服务器上的记录在此期间已被修改'); }")
    draft.refresh_from_db()
    assert draft.body == "在电脑上修改的内容"
    page.goto(f"/proposals/{draft.pk}/edit/")
    assert page.input_value("#id_body") == "手机上离线改写的内容"
    screenshot(page, "pwa-offline-conflict")


def test_a_member_logs_in_with_an_sms_code_on_a_phone(phone, live_server, county):
    import re

    from xieshang.core.sms import LogSmsBackend

    w = build_world(county)
    user = w.users["member"]
    user.phone = "13912340000"
    user.save(update_fields=["phone"])
    LogSmsBackend.sent.clear()
    page = phone.new_page()
    page.goto("/login/")
    page.get_by_role("link", name="短信验证码登录").click()
    page.fill("#id_phone", "139 1234 0000")
    page.get_by_role("button", name="发送验证码").click()
    page.locator("#id_code").wait_for()
    assert "5分钟内有效" in page.content()
    assert [p for p, _ in LogSmsBackend.sent] == ["13912340000"]
    code = re.search(r"\d{6}", LogSmsBackend.sent[-1][1])
    assert code is not None
    page.fill("#id_code", code.group(0))
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    assert "/login/" not in page.url
    screenshot(page, "pwa-sms-login-home")
    LogSmsBackend.sent.clear()
