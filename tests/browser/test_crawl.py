"""Every demo role's day, crawled in a real browser on a phone and a desktop (issue #17).

The demo county is built once (the story's day, clock ticking); then each login the demo prints
is crawled from its home page (``tests/browser/crawl.py`` says what fails a page). Every finding
is listed in the failure message and in ``var/crawl/report.txt``; screenshots of failing pages
go to ``var/crawl/``. With ``XIESHANG_SCREENSHOTS=1`` each role's phone home is also saved to
``docs/screenshots/roles/`` (the pictures in the docs).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import time_machine

from tests.browser.crawl import DESKTOP, PHONE, crawl
from tests.conftest import STORY_DAY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent.parent
SHOTS = ROOT / "var" / "crawl"
DOCS_SHOTS = ROOT / "docs" / "screenshots" / "roles"
# Pages per crawl: enough for every kind of page a role reaches (URLs deduplicated by kind);
# the phone crawl is shorter (the same pages, checked for width and the phone menu).
DESKTOP_BUDGET = int(os.environ.get("XIESHANG_CRAWL_DESKTOP", "60"))
PHONE_BUDGET = int(os.environ.get("XIESHANG_CRAWL_PHONE", "30"))
LINK_CHECKS = int(os.environ.get("XIESHANG_CRAWL_LINKS", "20"))
# The PostgreSQL pass crawls the desktop only: it opens every kind of page there; the phone crawl
# checks width and the folded menu, which do not depend on the database (the SQLite pass has it).
VIEWPORTS = [("desktop", DESKTOP, DESKTOP_BUDGET)] + (
    [] if os.environ.get("DATABASE_URL", "").startswith("postgres")
    else [("phone", PHONE, PHONE_BUDGET)])


def test_every_demo_role_reads_plain_chinese_without_dead_links_or_errors(browser, live_server):
    from xieshang.devdata.demo import DEMO_PASSWORD, build_demo

    with time_machine.travel(STORY_DAY, tick=True):
        ctx = build_demo(verbose=False)
        findings = []
        lines = []
        started = time.monotonic()
        covered: dict[str, set[str]] = {"desktop": set(), "phone": set()}
        left: dict[str, set[str]] = {"desktop": set(), "phone": set()}
        for login in ctx.logins:
            for viewport, options, budget in VIEWPORTS:
                context = browser.new_context(base_url=live_server.url, **options)
                context.set_default_timeout(15_000)
                home_shot = None
                if viewport == "phone":
                    home_shot = (DOCS_SHOTS if os.environ.get("XIESHANG_SCREENSHOTS")
                                 else SHOTS / "homes") / f"{login.username}-phone.png"
                begun = time.monotonic()
                result = crawl(context, live_server.url, login.username, viewport=viewport,
                               password=DEMO_PASSWORD, budget=budget, shots=SHOTS,
                               link_checks=LINK_CHECKS,
                               home_shot=home_shot, covered=covered[viewport])
                left[viewport] |= result.left
                context.close()
                lines.append(f"{login.username}/{viewport}: {len(result.visited)} pages, "
                             f"{result.unvisited} kinds nobody opened yet left over budget, "
                             f"{result.checked_links} more links checked, "
                             f"{time.monotonic() - begun:.1f}s, {len(result.findings)} findings")
                lines.extend(f"  {finding}" for finding in result.findings)
                findings.extend(result.findings)
        never = {v: sorted(left[v] - covered[v]) for v in covered}
        for viewport, kinds in never.items():
            lines.append(f"{viewport}: {len(covered[viewport])} kinds of page opened, "
                         f"{len(kinds)} reached by a link but opened by no role: {kinds}")
        lines.append(f"total {time.monotonic() - started:.0f}s")
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "report.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert not findings, "\n".join(lines)
