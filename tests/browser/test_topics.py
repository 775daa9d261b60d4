"""A resident raises a 有事好商量 topic on a phone and follows it by tracking code."""

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db(transaction=True)
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update"]


@pytest.fixture
def page():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("chromium is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        context = browser.new_context(viewport={"width": 375, "height": 740},
                                      device_scale_factor=2, is_mobile=True, has_touch=True,
                                      locale="zh-CN")
        yield context.new_page()
        browser.close()


def test_resident_raises_a_topic_on_a_phone_and_follows_it(county, live_server, page):
    from xieshang.opinions.models import Topic

    ARTIFACTS.mkdir(exist_ok=True)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{live_server.url}/opinions/public/{county.code}/topics/")
    page.fill("#id_title", "小区门口路灯不亮")
    page.fill("#id_description", "<script>alert(1)</script>晚上出行不便。")
    page.fill("#id_place", "城关镇幸福路")
    page.fill("#id_name", "张大爷")
    page.fill("#id_phone", "13800001111")
    # The form fits the phone: no horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(ARTIFACTS / "topics-form-375.png"), full_page=True)
    page.click("button[type=submit]")
    code = page.inner_text("[data-testid=tracking-code]").strip()
    assert code == Topic.objects.get().tracking_code
    page.screenshot(path=str(ARTIFACTS / "topics-thanks-375.png"), full_page=True)

    page.goto(f"{live_server.url}/opinions/public/{county.code}/topics/track/")
    page.fill("input[name=code]", code.lower())
    page.click("button[type=submit]")
    card = page.locator("[data-testid=topic]")
    assert "小区门口路灯不亮" in card.inner_text()
    assert "<script>alert(1)</script>" in card.inner_text()  # shown as text, never run
    assert page.inner_text("[data-testid=topic-status]") == "已收到，正在研究"
    assert dialogs == []
    page.screenshot(path=str(ARTIFACTS / "topics-track-375.png"), full_page=True)
