"""Hostile input on every form of every page, found by walking the URL resolver.

Each page without an id in its URL is opened by a user holding every role (so every form is
shown); every POST form on it is sent hostile values: 100,000-character text, control
characters, <script>, SQL fragments, wrong types for number and date fields, another
committee's id in every choice. Expected: a page with the error (200/400) or a redirect, never
a 5xx; when the form is refused nothing is saved; stored text is never rendered unescaped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
from django.apps import apps
from django.test import Client
from django.urls import get_resolver

from tests.security.urlwalk import PARAM, _walk
from tests.security.world import attacker, build_victim
from xieshang.core.tenancy import CommitteeOwned

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('xs')</script>"
SQL = "' OR 1=1; DROP TABLE core_user; --"
LONG = ("长" * 99_990) + "\x00\x1b" + SCRIPT[:8]
PAYLOADS = {
    "long": {"text": LONG, "number": "9" * 400, "date": "2026-02-30", "choice": "other"},
    "script": {"text": f"{SCRIPT}{SQL}\x00\x1b\u202e", "number": "-1e309", "date": SQL,
               "choice": SQL},
}
# Forms that end the session or change the language would log the test user out.
SKIP_ACTIONS = ("logout", "setlang", "/login", "password", "sessions/end", "mfa")
GOOD = {200, 302, 303, 400, 403, 404, 405}


@dataclass
class Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)  # name → kind (text, number, ...)


class FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._current: Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._current = Form(action=a.get("action", ""))
            self.forms.append(self._current)
        elif self._current is None or not a.get("name"):
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("hidden", "submit", "button", "file", "image", "reset"):
                if kind == "hidden":
                    self._current.fields.setdefault(a["name"], "hidden:" + a.get("value", ""))
                return
            self._current.fields[a["name"]] = {"number": "number", "date": "date",
                                               "datetime-local": "date", "checkbox": "check",
                                               "radio": "choice"}.get(kind, "text")
        elif tag == "textarea":
            self._current.fields[a["name"]] = "text"
        elif tag == "select":
            self._current.fields[a["name"]] = "choice"

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def form_pages() -> list[str]:
    out = []
    for template, _pattern in _walk(get_resolver()):
        if template.startswith(("admin/", "api/", "^")) or PARAM.search(template):
            continue
        if any(s in template for s in SKIP_ACTIONS) or template.endswith((".xlsx", ".docx",
                                                                          ".csv", ".xml")):
            continue
        out.append("/" + template)
    return sorted(set(out))


def _counts() -> dict[str, int]:
    return {m.__name__: m._default_manager.count() for m in apps.get_models()
            if issubclass(m, CommitteeOwned) and m.__name__ not in {"AuditLog", "Notification"}}


def _values(form: Form, payload: dict[str, str], other_id: int) -> dict[str, str]:
    data = {}
    for name, kind in form.fields.items():
        if kind.startswith("hidden:"):
            data[name] = kind.removeprefix("hidden:")
        elif kind == "check":
            data[name] = "on"
        elif kind == "choice" and payload["choice"] == "other":
            data[name] = str(other_id)
        else:
            data[name] = payload[kind if kind in payload else "text"]
    return data


def test_every_form_survives_hostile_input(county, other_county):
    victim = build_victim(other_county)
    other_id = victim.rows_of(next(iter(victim.rows)))[0].pk
    client = Client()
    client.force_login(attacker(county))
    failures: list[str] = []
    posted = 0
    for page in form_pages():
        response = client.get(page)
        if response.status_code >= 500:
            failures.append(f"GET {page} → {response.status_code}")
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = FormParser()
        parser.feed(response.content.decode("utf-8", "replace"))
        for form in parser.forms:
            action = urljoin(page, form.action) if form.action else page
            if any(s in action for s in SKIP_ACTIONS) or urlparse(action).netloc:
                continue
            for label, payload in PAYLOADS.items():
                before = _counts()
                answer = client.post(action, _values(form, payload, other_id))
                posted += 1
                where = f"POST {action} ({label}, form on {page})"
                if answer.status_code not in GOOD:
                    failures.append(f"{where} → {answer.status_code}")
                    continue
                text = answer.content.decode("utf-8", "replace")
                if SCRIPT in text:
                    failures.append(f"{where}: <script> rendered unescaped")
                if answer.status_code in (200, 400) and _counts() != before:
                    changed = {k for k, v in _counts().items() if before.get(k) != v}
                    failures.append(f"{where}: refused but rows were saved in {changed}")
                if answer.status_code in (302, 303):
                    shown = client.get(answer["Location"])
                    if shown.status_code >= 500:
                        failures.append(f"{where}: the page after it → {shown.status_code}")
                    elif SCRIPT in shown.content.decode("utf-8", "replace"):
                        failures.append(f"{where}: stored <script> rendered unescaped")
    print(f"\nhostile forms: {posted} posts to forms on {len(form_pages())} pages")
    assert posted >= 20, "form discovery found too few forms"
    assert not failures, "\n".join(failures)
