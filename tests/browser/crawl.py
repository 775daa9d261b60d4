"""A crawl of the site as each demo role sees it, in a real browser (issue #17).

``crawl(context, base_url, role, ...)`` logs in, starts at the home page and follows same-site
links breadth-first. URLs are deduplicated by pattern (every run of digits becomes ``N``), so a
small page budget covers each kind of page once. On every page it opens it records:

- a 5xx answer, or a shown link that answers 403/404 (or sends a signed-in user to the login);
- visible text with an English word or a code-like token (``word.word``, ``snake_case``,
  ``→`` between codes) outside ``ALLOWED_WORDS``;
- untranslated widget text ("- Select an option -", "---------");
- on the phone, a page wider than the viewport.

Used by ``tests/browser/test_crawl.py`` against the live server, and by hand against a running
demo: ``.venv/bin/python -m tests.browser.crawl http://127.0.0.1:8000 [username …]``.
"""

from __future__ import annotations

import re
import sys
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

# (username, what the demo prints as the role) — every login ``xieshang demo`` prints.
ROLES = (
    "weiyuan", "changwei", "jiti", "tiweiban", "xinxike", "zhuanwei", "bangongshi", "jiaoyuju",
    "jiaoyuju_ld", "zhuxi", "admin", "shi_admin", "sheng_admin", "liangji", "xinxiyuan",
)

# Latin words a Chinese page may show: document formats, common acronyms, product names.
ALLOWED_WORDS = {
    "pdf", "word", "excel", "wps", "api", "csv", "json", "xlsx", "docx", "ofd", "id", "qr",
    "url", "http", "https", "www", "app", "ip", "ok", "cppcc", "xieshang", "openapi", "ai",
    "pm", "am", "ppt", "tel", "email", "e-mail", "rss", "logo", "top", "wifi", "gdp",
    "cpu", "vip", "svg", "png", "jpg", "jpeg", "zip", "txt", "kb", "mb", "gb", "ps",
    "english", "totp", "sms", "ukey", "ca", "bearer", "authorization", "x-committee",
    "gif", "webp", "icp", "ssl", "ocr",
}
# Where Latin text is the content itself, not the interface: links (URLs as text), inputs.
SKIP_PREFIXES = ("/static/", "/media/", "/admin/", "/i18n/", "/logout", "/api/", "/__")
# Paths that change state on GET would be a bug of their own; these just leave the session.
NO_FOLLOW = re.compile(r"/(logout|login)/|/setlang/")
DOWNLOAD = re.compile(r"\.(docx|pdf|xlsx|csv|zip|png|jpg|json)$|/(export|download|docx|pdf|xlsx)"
                      r"(/|$)|format=(docx|pdf|xlsx|csv)")

WORD = re.compile(r"(?<![A-Za-z0-9_@./-])[A-Za-z][A-Za-z'-]*[A-Za-z](?![A-Za-z0-9_@-])")
CODE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|\b[a-z]+\.[a-z_]+\b|[a-z_]+\s*→\s*[a-z_]+")
WIDGETS = ("- Select an option -", "---------", "Select an option", "Choose File",
           "No file chosen", "Currently:", "Change:", "Clear")

# Machine-made values a page shows for copying (one-time keys, token prefixes, digests) carry
# translate="no", as they would for a translation tool: they are content, not interface words.
_PAGE_JS = r"""
() => {
  const textOf = (root) => {
    const clone = root.cloneNode(true);
    for (const el of clone.querySelectorAll("script, style, noscript, template, [hidden], " +
        "[aria-hidden=true], [translate=no], .crawl-ignore, select")) el.remove();
    return clone.innerText || clone.textContent || "";
  };
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const links = [];
  for (const a of document.querySelectorAll("a[href]")) {
    if (a.hasAttribute("download")) continue;
    links.push({href: a.href, text: (a.innerText || a.getAttribute("aria-label") || "").trim()
                .slice(0, 40), shown: visible(a)});
  }
  const widgets = [];
  for (const el of document.querySelectorAll("option, input[type=file], label, button")) {
    widgets.push((el.innerText || el.textContent || el.value || "").trim());
  }
  for (const el of document.querySelectorAll("input[placeholder], textarea[placeholder]")) {
    widgets.push(el.getAttribute("placeholder"));
  }
  const attrs = [];
  for (const el of document.querySelectorAll("[title], [aria-label], img[alt]")) {
    attrs.push(el.getAttribute("title") || el.getAttribute("aria-label") ||
               el.getAttribute("alt") || "");
  }
  const options = [...document.querySelectorAll("option")].map(o => o.textContent.trim());
  return {
    text: [textOf(document.body), ...options, ...attrs, document.title].join("\n"),
    links, widgets,
    width: document.documentElement.scrollWidth,
  };
}
"""


@dataclass
class Finding:
    role: str
    viewport: str
    url: str
    kind: str  # 5xx | refused-link | english | code | widget | overflow | error
    detail: str
    screenshot: str = ""

    def __str__(self) -> str:
        shot = f" [{self.screenshot}]" if self.screenshot else ""
        return f"{self.role}/{self.viewport} {self.kind}: {self.url} — {self.detail}{shot}"


@dataclass
class CrawlResult:
    role: str
    viewport: str
    visited: list[str] = field(default_factory=list)
    checked_links: int = 0
    unvisited: int = 0  # kinds of page found but left over the budget
    left: set[str] = field(default_factory=set)  # those kinds
    findings: list[Finding] = field(default_factory=list)


def pattern(url: str) -> str:
    """The URL's kind: path and query keys with every number replaced by N."""
    parts = urlsplit(url)
    path = re.sub(r"\d+", "N", parts.path)
    query = sorted((k, re.sub(r"\d+", "N", v) if k not in {"tab", "kind", "view"} else v)
                   for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if k not in {"page", "next", "q"})
    # A filter's value is part of the kind only for tabs; other filters count once per key.
    keys = [(k, v if k in {"tab", "kind", "view", "status", "box"} else "*") for k, v in query]
    return path + ("?" + urlencode(keys) if keys else "")


def text_problems(text: str, allowed: set[str]) -> tuple[set[str], set[str]]:
    words = set()
    for match in WORD.finditer(text):
        word = match.group(0)
        if word.lower() in ALLOWED_WORDS or word in allowed:
            continue
        words.add(word)
    codes = {m.group(0) for m in CODE.finditer(text)} - allowed
    return words, codes


def crawl(context: Any, base_url: str, role: str, *, viewport: str, password: str,
          budget: int = 40, link_checks: int = 30, shots: Path | None = None,
          home_shot: Path | None = None, allowed: set[str] | None = None,
          covered: set[str] | None = None) -> CrawlResult:
    """Log in as ``role`` in the fresh browser ``context`` and crawl (see the module doc).

    ``covered``, shared by the crawls of one viewport, holds the kinds of page some role has
    opened already: a crawl opens the kinds nobody has opened first, so a small budget per role
    still reaches every kind of page across the roles (and adds what it opens)."""
    covered = covered if covered is not None else set()
    result = CrawlResult(role, viewport)
    # Login names are data (an admin's user list, the correspondents' accounts), not interface.
    allowed = set(allowed or ()) | set(ROLES)
    base = urlsplit(base_url)
    page = context.new_page()
    page.goto(urljoin(base_url, "/login/"))
    page.fill("#id_username", role)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    if "/login/" in page.url:
        result.findings.append(Finding(role, viewport, page.url, "error", "login failed"))
        return result
    home = page.url
    queue: deque[tuple[str, str]] = deque([(home, "")])
    seen_patterns: set[str] = {pattern(home)}
    checked: dict[str, int] = {}
    width = page.viewport_size["width"]

    def fail(url: str, kind: str, detail: str) -> None:
        finding = Finding(role, viewport, url, kind, detail)
        # A few pictures per crawl (each costs a full-page render).
        if shots is not None and len({f.url for f in result.findings}) < 5 and not any(
                f.url == url for f in result.findings):
            shots.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{role}-{viewport}-{urlsplit(url).path}")
            path = shots / f"{name[:120]}.png"
            try:
                page.screenshot(path=str(path), full_page=True)
                finding.screenshot = str(path)
            except Exception:  # noqa: BLE001 - a screenshot is a courtesy
                pass
        result.findings.append(finding)

    while queue and len(result.visited) < budget:
        fresh = next((i for i, (u, _f) in enumerate(queue) if pattern(u) not in covered), 0)
        url, came_from = queue[fresh]
        del queue[fresh]
        covered.add(pattern(url))
        try:
            response = page.goto(url, wait_until="load")
        except Exception as error:  # noqa: BLE001 - report, go on
            if "Download is starting" in str(error):
                continue  # a document link: downloads are checked by status only
            fail(url, "error", f"{type(error).__name__}: {str(error)[:200]} (from {came_from})")
            continue
        status = response.status if response is not None else 0
        result.visited.append(url)
        if status >= 500:
            fail(url, "5xx", f"{status} (linked from {came_from})")
            continue
        if status in (403, 404) or "/login/" in page.url:
            fail(url, "refused-link", f"{status} {page.url} (linked from {came_from})")
            continue
        content_type = (response.headers.get("content-type", "") if response else "")
        if "text/html" not in content_type:
            continue
        if home_shot is not None and url == home:
            home_shot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(home_shot), full_page=False)
        data = page.evaluate(_PAGE_JS)
        words, codes = text_problems(data["text"], allowed)
        if words:
            fail(url, "english", ", ".join(sorted(words)[:15]))
        if codes:
            fail(url, "code", ", ".join(sorted(codes)[:15]))
        bad_widgets = sorted({w for w in data["widgets"] if w and w.strip() in WIDGETS})
        if bad_widgets:
            fail(url, "widget", ", ".join(bad_widgets))
        if viewport == "phone" and data["width"] > width:
            fail(url, "overflow", f"{data['width']}px wide on a {width}px phone")
        for link in data["links"]:
            target = urlsplit(link["href"])
            if target.netloc != base.netloc or target.scheme not in ("http", "https"):
                continue
            path = target.path
            if path.startswith(SKIP_PREFIXES) or NO_FOLLOW.search(path):
                continue
            href = target._replace(fragment="").geturl()
            kind = pattern(href)
            if DOWNLOAD.search(href):
                if checked.get(kind, 0) < 1 and result.checked_links < link_checks:
                    checked[kind] = checked.get(kind, 0) + 1
                    result.checked_links += 1
                    answer = page.request.get(href, max_redirects=0)
                    if answer.status >= 500 or answer.status in (403, 404) or (
                            answer.status in (301, 302)
                            and "/login/" in answer.headers.get("location", "")):
                        kind_name = "5xx" if answer.status >= 500 else "refused-link"
                        fail(url, kind_name, f"«{link['text']}» → {href} answers {answer.status}")
                continue
            if kind not in seen_patterns:
                seen_patterns.add(kind)
                queue.append((href, url))
            elif checked.get(kind, 0) < 1 and result.checked_links < link_checks:
                # A second instance of a kind already queued: is it open to this user too?
                checked[kind] = checked.get(kind, 0) + 1
                result.checked_links += 1
                answer = page.request.get(href, max_redirects=0)
                if answer.status >= 500 or answer.status in (403, 404) or (
                        answer.status in (301, 302)
                        and "/login/" in answer.headers.get("location", "")):
                    kind_name = "5xx" if answer.status >= 500 else "refused-link"
                    fail(url, kind_name, f"«{link['text']}» → {href} answers {answer.status}")
    page.close()
    result.left = {pattern(u) for u, _f in queue}
    result.unvisited = len(result.left - covered)
    return result


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 1, "locale": "zh-CN"}
DESKTOP = {"viewport": {"width": 1440, "height": 900}, "locale": "zh-CN"}


def main(argv: list[str]) -> int:
    """Crawl a running server by hand and print every finding."""
    import os
    import time

    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    base_url = argv[0] if argv else "http://127.0.0.1:8000"
    roles = argv[1:] or list(ROLES)
    viewports = {"desktop": DESKTOP, "phone": PHONE}
    total = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for role in roles:
            for name, options in viewports.items():
                started = time.monotonic()
                context = browser.new_context(base_url=base_url, **options)
                context.set_default_timeout(15_000)
                result = crawl(context, base_url, role, viewport=name, password="Demo2026xs",
                               budget=int(os.environ.get("XIESHANG_CRAWL_BUDGET", "40")),
                               shots=Path("var/crawl"),
                               home_shot=Path(f"var/crawl/home-{role}-{name}.png"))
                context.close()
                print(f"== {role}/{name}: {len(result.visited)} pages, "  # noqa: T201
                      f"{result.unvisited} kinds left, "
                      f"{result.checked_links} links checked, "
                      f"{time.monotonic() - started:.1f}s, {len(result.findings)} findings")
                for finding in result.findings:
                    print("  ", finding)  # noqa: T201
                total += len(result.findings)
        browser.close()
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
