"""Hostile input on every form of every page, found by walking the URL resolver.

Each page without an id in its URL is opened by a user holding every role (so every form is
shown); every POST form on it is sent hostile values: 100,000-character text, control
characters, <script>, SQL fragments, wrong types for number and date fields, another
committee's id in every choice. Expected: a page with the error (200/400) or a redirect, never
a 5xx; when the form is refused nothing is saved; stored text is never rendered unescaped.

Pages WITH ids (a proposal, its review and reply, an opinion report, an activity, an article…)
are found by following links from the home page, as users of the committee who may post their
forms: the author, a unit clerk and a user holding every role, with records in each state.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
from django.apps import apps
from django.db import models
from django.db.models import Q
from django.test import Client
from django.urls import Resolver404, get_resolver, resolve

from tests.opinions.factories import act as opinion_act
from tests.opinions.factories import editor as opinion_editor
from tests.opinions.factories import submit as opinion_submit
from tests.proposals.factories import World, reach
from tests.security.urlwalk import PARAM, _walk
from tests.security.world import attacker, build_victim
from xieshang.core.owned import CommitteeOwned
from xieshang.core.permissions import Actor
from xieshang.portal import services as portal_services
from xieshang.portal.models import Column
from xieshang.proposals.models import Status

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
                failures += _judge_answer(client, where, answer, before)
    print(f"\nhostile forms: {posted} posts to forms on {len(form_pages())} pages")
    assert posted >= 20, "form discovery found too few forms"
    assert not failures, "\n".join(failures)


# --- forms on pages with ids --------------------------------------------------------------

# Forms that would take the posting user's own access away half-way through the walk.
SKIP_ID_ACTIONS = ("/revoke/", "/leave/", "/api-tokens/")
DOWNLOADS = (".docx", ".xlsx", ".csv", ".xml", ".pdf", "/file/", "/code/", "/attachments/")
ERROR_SIGNS = ('role="alert"', 'class="error', "errorlist", "has-error", "msg-error",
               'class="errors')
# Pieces of the payloads that no refused form may leave behind in any row.
TRACES = (SCRIPT, "长" * 50, "DROP TABLE core_user")


def _text_fields() -> list[tuple[type[models.Model], list[str]]]:
    out = []
    for model in apps.get_models():
        if not issubclass(model, CommitteeOwned) or model.__name__ in {"AuditLog",
                                                                       "Notification"}:
            continue
        names = [f.name for f in model._meta.concrete_fields
                 if isinstance(f, models.CharField | models.TextField)
                 and not type(f).__name__.startswith("Encrypted")]
        if names:
            out.append((model, names))
    return out


def _traces(fields: list[tuple[type[models.Model], list[str]]]) -> dict[str, int]:
    """How many rows of each model hold a piece of a hostile payload."""
    found = {}
    for model, names in fields:
        query = Q()
        for name in names:
            for trace in TRACES:
                query |= Q(**{f"{name}__contains": trace})
        found[model.__name__] = model._default_manager.filter(query).count()
    return found


def _own_records(world: World) -> None:
    """Records in the states whose pages carry the forms: a proposal to review, one a unit
    handles, an opinion report its author may still edit, one being edited, a draft article."""
    committee = world.committee
    reach(world, Status.SUBMITTED, title="关于改善城区停车难的建议")
    reach(world, Status.HANDLING, title="关于加快乡村道路硬化的建议")
    opinion_submit(committee, user=world.users["member"], title="关于规范校外培训的建议")
    report = opinion_submit(committee, title="关于加强食品安全监管的建议")
    opinion_act(opinion_editor(committee), report, "start_edit")
    column = Column.objects.get(committee=committee, slug="news")
    portal_services.article_save(actor=Actor.for_system(committee), committee=committee,
                                 column=column, title="草稿文章", body="<p>正文</p>")


def _links(html: str, page: str) -> list[str]:
    class Links(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.hrefs: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            href = dict(attrs).get("href") or ""
            if tag == "a" and href and not href.startswith(("#", "mailto:", "javascript:")):
                self.hrefs.append(urljoin(page, href))

    parser = Links()
    parser.feed(html)
    return [urlparse(h).path for h in parser.hrefs if not urlparse(h).netloc]


def _template(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route


def _skipped(path: str) -> bool:
    return (path.startswith(("/admin/", "/api/v1/", "/c/")) or any(s in path for s in SKIP_ACTIONS)
            or any(d in path for d in DOWNLOADS))


def pages_with_ids(client: Client, per_route: int) -> Iterator[tuple[str, str, str]]:
    """(route template, URL, HTML) of one page per route with an id, found by following links
    from the home page through the pages without ids and from page to page."""
    queue, seen_pages = ["/"], {"/"}
    seen_templates: dict[str, int] = {}
    while queue:
        page = queue.pop(0)
        response = client.get(page)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode("utf-8", "replace")
        template = _template(page) or ""
        if PARAM.search(template):
            yield template, page, html
        for link in _links(html, page):
            t = _template(link)
            if t is None or link in seen_pages or _skipped(link):
                continue
            if PARAM.search(t):
                if seen_templates.get(t, 0) >= per_route:
                    continue
                seen_templates[t] = seen_templates.get(t, 0) + 1
            seen_pages.add(link)
            queue.append(link)


def test_forms_on_pages_with_ids_survive_hostile_input(county, other_county):
    victim = build_victim(other_county)
    other_id = victim.rows_of(next(iter(victim.rows)))[0].pk
    own = build_victim(county)  # the committee's own records, of every kind
    _own_records(own.world)
    # Who posts, and how many pages of each route with an id they open (records in other
    # states show other forms; the author and the clerk see few pages, everyone sees many).
    users = {"member (author)": (own.users["member"], 6), "unit clerk": (own.users["clerk_a"], 6),
             "every role": (attacker(county), 2)}
    fields = _text_fields()
    failures: list[str] = []
    posted: dict[str, int] = {}
    outcomes: Counter[int] = Counter()
    traces = _traces(fields)
    for who, (user, per_route) in users.items():
        client = Client()
        client.force_login(user)
        # The walk ends before the first post (a hostile "submit" must not hide the edit form).
        for _route, page, html in list(pages_with_ids(client, per_route)):
            parser = FormParser()
            parser.feed(html)
            for form in parser.forms:
                action = urljoin(page, form.action) if form.action else page
                target = _template(urlparse(action).path)
                if (target is None or not PARAM.search(target) or urlparse(action).netloc
                        or any(s in action for s in SKIP_ACTIONS + SKIP_ID_ACTIONS)
                        or not form.fields):
                    continue
                for label, payload in PAYLOADS.items():
                    before = _counts()
                    answer = client.post(action, _values(form, payload, other_id))
                    posted[target] = posted.get(target, 0) + 1
                    outcomes[answer.status_code] += 1
                    where = f"POST {action} ({label}, form on {page}, as {who})"
                    failures += _judge_answer(client, where, answer, before, (traces, fields))
                    traces = _traces(fields)
    print(f"\nhostile forms on pages with ids: {sum(posted.values())} posts to "
          f"{len(posted)} kinds of form; answers {dict(sorted(outcomes.items()))}")
    # The forms the issue names must have been reached (the walk must not go vacuous).
    for needed in ("proposals/<int:pk>/edit/", "proposals/<int:pk>/act/<slug:action>/",
                   "opinions/reports/<int:pk>/edit/", "activities/<int:pk>/edit/",
                   "portal/<int:pk>/"):
        assert needed in posted, (needed, sorted(posted))
    assert not failures, "\n".join(failures)


TextFields = list[tuple[type[models.Model], list[str]]]


def _judge_answer(client: Client, where: str, answer, counts: dict[str, int],
                  traces: tuple[dict[str, int], TextFields] | None = None) -> list[str]:
    """What is wrong with the answer to a hostile post: a 5xx, script rendered unescaped, rows
    saved by a refused post, a 5xx or script on the page redirected to. With ``traces`` (the
    hostile text's traces before the post, and the fields to look in), a refused post must
    also leave no trace of its text and show an error message."""
    if answer.status_code not in GOOD:
        return [f"{where} → {answer.status_code}"]
    out = []
    text = answer.content.decode("utf-8", "replace")
    if SCRIPT in text:
        out.append(f"{where}: <script> rendered unescaped")
    if answer.status_code in (200, 400):
        if _counts() != counts:
            changed = {k for k, v in _counts().items() if counts.get(k) != v}
            out.append(f"{where}: refused but rows were saved in {changed}")
        if traces is not None:
            before, fields = traces
            if (now := _traces(fields)) != before:
                changed = {k for k, v in now.items() if before.get(k) != v}
                out.append(f"{where}: refused but the hostile text was saved in {changed}")
            if not any(sign in text for sign in ERROR_SIGNS):
                out.append(f"{where}: refused ({answer.status_code}) without an error message")
    if answer.status_code in (302, 303):
        shown = client.get(answer["Location"])
        if shown.status_code >= 500:
            out.append(f"{where}: the page after it → {shown.status_code}")
        elif SCRIPT in shown.content.decode("utf-8", "replace"):
            out.append(f"{where}: stored <script> rendered unescaped")
    return out



def test_a_nul_character_in_an_action_note_is_refused_with_a_message(client, county):
    """PostgreSQL cannot store NUL; the proposal actions read their note straight from the
    post (no form field to refuse it), which ended in a 500 there: now a message, no change."""
    from tests.proposals.factories import S, build_world, reach
    from xieshang.proposals.models import ProposalEvent

    world = build_world(county)
    proposal = reach(world, S.SUBMITTED)
    client.force_login(world.users["member"])
    events = ProposalEvent.objects.count()
    response = client.post(f"/proposals/{proposal.pk}/act/withdraw/",
                           {"version": proposal.version, "note": "撤回\x00原因"},
                           follow=True)
    assert response.status_code == 200 and "msg-error" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED and ProposalEvent.objects.count() == events
