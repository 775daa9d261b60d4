"""Browser tests: Debian's Chromium driven by Playwright's sync API against pytest-django's
``live_server``.

Fixtures and helpers other browser tests use (names are stable):

- ``browser``: a headless Chromium for the test (skips the test if /usr/bin/chromium is
  missing; never ``playwright install``).
- ``phone_page`` / ``desktop_page``: a fresh page in a 375×812 touch phone context or a 1366×900
  desktop context, ``base_url`` set to the live server, so ``page.goto("/members/")`` works.
- ``login(page, live_server, username, password)``: logs in through the real login form.
- ``screenshot(page, name)``: saves ``tests/artifacts/<name>.png`` (full page).
- ``assert_accessible(page)``: one h1, img alt, labelled form controls, named buttons, html lang.
- ``assert_no_horizontal_scroll(page, width)``: the page fits the viewport width.

Data: create it inside the test with the factories; tests that use ``live_server`` run with
``transactional_db`` (pytest-django arranges that), so the server thread sees the rows and they
are flushed afterwards; the holiday calendar that a data migration seeds is put back before each
test. Mark every test ``@pytest.mark.browser``; the helpers are plain functions:
``from tests.browser.conftest import login, screenshot, assert_accessible``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API keeps an asyncio loop running in this thread; Django would then refuse
# ORM calls from the test body ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
PHONE = {
    "viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True,
    "device_scale_factor": 2, "locale": "zh-CN",
}
DESKTOP = {"viewport": {"width": 1366, "height": 900}, "locale": "zh-CN"}
TIMEOUT_MS = 15_000
MISSING_CHROMIUM = (
    f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); "
    "browser tests never use 'playwright install'"
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason=MISSING_CHROMIUM))


# Function scope on purpose: Playwright's sync API refuses to start while another instance
# runs an event loop in the same thread, so a session-wide instance would break any test that
# starts its own; a fresh Chromium per test costs well under a second.
@pytest.fixture
def _playwright() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(MISSING_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture
def browser(_playwright: Any) -> Iterator[Any]:
    b = _playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield b
    b.close()


@pytest.fixture(autouse=True)
def _reference_data(request: pytest.FixtureRequest) -> None:
    """Put back the rows data migrations seed (the holiday calendar): ``live_server`` tests run
    with ``transactional_db``, whose flush after each test deletes them, so without this a
    deadline page would show "no holiday data" depending on test order."""
    if "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    from importlib import import_module

    from django.apps import apps

    from xieshang.core.models import CalendarDay
    from xieshang.devdata.management.commands.demo import SEEDING_MIGRATIONS

    if CalendarDay.objects.filter(committee=None).exists():
        return
    for app_label, migration in SEEDING_MIGRATIONS:
        module = import_module(f"{apps.get_app_config(app_label).name}.migrations.{migration}")
        module.seed(apps, None)


def _page(browser: Any, live_server: Any, options: dict[str, Any]) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser: Any, live_server: Any) -> Iterator[Any]:
    yield from _page(browser, live_server, PHONE)


@pytest.fixture
def desktop_page(browser: Any, live_server: Any) -> Iterator[Any]:
    yield from _page(browser, live_server, DESKTOP)


def login(page: Any, live_server: Any, username: str, password: str = "Passw0rd!x",
          *, expect_success: bool = True) -> Any:
    """Log in through the real form (username or phone number). The factories' password is
    the default. With ``expect_success`` the call fails unless the browser leaves the form."""
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    if expect_success:
        assert "/login/" not in page.url, (
            f"login as {username!r} failed: " + (page.locator(".errors").text_content() or "")
        )
    return page


def screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    """Save ``tests/artifacts/<name>.png`` (the folder is git-ignored) and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


_A11Y_PROBLEMS_JS = r"""
() => {
  const problems = [];
  const lang = document.documentElement.getAttribute("lang");
  if (!lang || !lang.trim()) problems.push("<html> has no lang");
  const h1s = document.querySelectorAll("h1");
  if (h1s.length !== 1) problems.push(`expected exactly one <h1>, found ${h1s.length}`);
  const describe = (el) => el.outerHTML.slice(0, 120);
  for (const img of document.querySelectorAll("img")) {
    if (!img.hasAttribute("alt")) problems.push(`img without alt: ${describe(img)}`);
  }
  const controls = document.querySelectorAll(
    "input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset])" +
    ":not([type=image]), select, textarea");
  for (const el of controls) {
    const byFor = el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`);
    const named = (el.getAttribute("aria-label") || "").trim() ||
      (el.getAttribute("aria-labelledby") || "").trim();
    if (!byFor && !named && !el.closest("label")) {
      problems.push(`form control without a label: ${describe(el)}`);
    }
  }
  for (const el of document.querySelectorAll("button, a[href], [role=button]")) {
    const name = (el.getAttribute("aria-label") || "").trim() || (el.textContent || "").trim() ||
      (el.getAttribute("title") || "").trim() ||
      [...el.querySelectorAll("img[alt]")].map(i => i.alt).join("").trim();
    if (!name) problems.push(`button or link without an accessible name: ${describe(el)}`);
  }
  return problems;
}
"""


def assert_accessible(page: Any) -> None:
    """A cheap automated accessibility pass (there is no axe-core for Python): the document has
    a language, exactly one h1, every img has alt, every form control has a label (label[for],
    a wrapping label, aria-label or aria-labelledby), every button and link has a name."""
    problems = page.evaluate(_A11Y_PROBLEMS_JS)
    assert not problems, f"accessibility problems on {page.url}:\n  " + "\n  ".join(problems)


def assert_no_horizontal_scroll(page: Any, width: int | None = None) -> None:
    """The page does not scroll sideways (default width: the viewport's)."""
    limit = width or page.viewport_size["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= limit, f"{page.url} is {scroll_width}px wide (viewport {limit}px)"
