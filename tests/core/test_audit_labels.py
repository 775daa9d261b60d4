"""Issue #17: the audit log shows what was done in words, never the action code. Every code the
source writes (services' literals, every workflow step, the admin's and the reference pages'
codes) has its words (``core.audit_labels``); a code nobody labelled still reads as a change
to its object. The code stays only as the filter's value and the cell's title."""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from xieshang.core import audit_labels, refdata
from xieshang.core.admin import AuditedAdmin
from xieshang.core.models import AuditLog
from xieshang.core.workflow import lifecycles

pytestmark = pytest.mark.django_db

SOURCE = Path(__file__).resolve().parents[2] / "xieshang"
# A code on a page: ``proposal.submit``, ``opinion.report_up``, ``admin.term.change``.
CODE_RE = re.compile(r"[a-z][a-z_-]*\.[a-z][a-z_.]*|[a-z]+_[a-z_]+")
# The calls that build their code from a model or a table; each family is listed below.
BUILT = {"workflow.py": 1, "admin.py": 3, "refdata.py": 2}


def _strings(node: ast.AST, module: ast.Module) -> list[str] | None:
    """The codes an ``audit.record`` argument can be; None when it is built at run time."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _strings(node.body, module), _strings(node.orelse, module)
        return None if body is None or orelse is None else body + orelse
    if isinstance(node, ast.Name):  # a variable: every string the module assigns to it
        return [a.value.value for a in ast.walk(module) if isinstance(a, ast.Assign)
                and isinstance(a.value, ast.Constant) and isinstance(a.value.value, str)
                and any(isinstance(t, ast.Name) and t.id == node.id for t in a.targets)]
    return None


def codes_in_source() -> tuple[set[str], dict[str, int]]:
    found: set[str] = set()
    built: dict[str, int] = {}
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts or "audit" not in (text := path.read_text()):
            continue
        module = ast.parse(text)
        for call in ast.walk(module):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                    and call.func.attr == "record"
                    and getattr(call.func.value, "id", None) == "audit"):
                continue
            strings = _strings(call.args[1], module)
            if strings is None:
                built[path.name] = built.get(path.name, 0) + 1
            else:
                found.update(strings)
    return found, built


def every_code() -> list[tuple[str, str]]:
    """(code, object type) of everything the source can write."""
    literal, built = codes_in_source()
    assert built == BUILT, "a new built code: teach core.audit_labels and this test its words"
    out = [(code, "") for code in sorted(literal)]
    out += [(f"{lc.audit_prefix}.{step}", lc.model._meta.label_lower)
            for lc in lifecycles() for step in lc.steps]
    out += [(f"admin.{model._meta.model_name}.{verb}", model._meta.label_lower)
            for model, model_admin in admin.site._registry.items()
            if isinstance(model_admin, AuditedAdmin) for verb in ("add", "change", "delete")]
    out += [(f"{kind.slug}.{verb}", kind.model._meta.label_lower)
            for kind in refdata.kinds() for verb in ("create", "update")]
    return out


def test_the_source_writes_the_codes_this_test_knows():
    codes = {code for code, _type in every_code()}
    assert {"proposal.submit", "opinion.report_up", "member.update", "auth.login",
            "admin.term.change", "demo.build", "material.update"} <= codes
    assert len(codes) > 200


def test_every_code_the_source_writes_has_chinese_words():
    with translation.override("zh-hans"):
        unlabelled = [code for code, kind in every_code()
                      if not audit_labels.is_known(code, kind)]
        assert not unlabelled
        latin = {code: label for code, kind in every_code()
                 if re.search(r"[A-Za-z_]", label := audit_labels.label(code, kind))}
        assert not latin


def test_workflow_steps_read_as_record_and_step():
    with translation.override("zh-hans"):
        assert audit_labels.label("proposal.file") == "提案：立案"
        assert audit_labels.label("opinion.report_up") == "社情民意信息：报送上级政协"


def test_a_code_nobody_labelled_reads_as_a_change_to_its_object():
    with translation.override("zh-hans"):
        assert audit_labels.label("legacy.thing", "proposals.proposal") == "提案变更"
        assert audit_labels.label("legacy.thing") == "其他操作"
        assert audit_labels.label("legacy.thing", "gone.model") == "其他操作"
        assert not audit_labels.is_known("legacy.thing")
        assert audit_labels.label("admin.term.change", "core.term") == "在后台修改届"


class Visible(HTMLParser):
    """The text a reader sees, and the operation cells and options on their own."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.operations: list[str] = []
        self.options: list[tuple[str, str]] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "td" and a.get("data-label") == "操作":
            self._in = "td"
            self.operations.append("")
        elif tag == "option" and a.get("value") is not None:
            self._in = "option"
            self.options.append((a["value"] or "", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "option"):
            self._in = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in == "td":
            self.operations[-1] += data.strip()
        elif self._in == "option":
            value, text = self.options[-1]
            self.options[-1] = (value, text + data)


def test_the_audit_page_shows_every_code_in_words_and_keeps_it_only_as_a_filter_value(
        client, county, admin_user):
    codes = every_code()
    for seq, (code, kind) in enumerate(codes, start=1):
        AuditLog.objects.create(committee=county, chain=county.pk, seq=seq, action=code,
                                object_type=kind, actor_name="张三", object_repr="记录")
    client.force_login(admin_user)
    operations: list[str] = []
    seen_text: list[str] = []
    options: list[tuple[str, str]] = []
    for page in range(1, len(codes) // 50 + 2):
        response = client.get(reverse("manage-audit"), {"page": page})
        body = response.content.decode()
        parser = Visible()
        parser.feed(body)
        operations += parser.operations
        seen_text += parser.text
        options = parser.options
        # Not even as a title: a hover shows it (the crawl reads titles as text).
        assert not any(f'"{row["entry"].action}"' in body.split("<tbody>", 1)[-1]
                       for row in response.context["rows"])
    assert len(operations) == len(codes)
    assert not [op for op in operations if CODE_RE.search(op) or re.search(r"[A-Za-z]", op)]
    visible = " ".join(seen_text)
    shown = [code for code, _kind in codes if re.search(rf"(?<![\w.]){re.escape(code)}(?![\w.])",
                                                         visible)]
    assert not shown
    actions = [(value, text) for value, text in options if value in {c for c, _k in codes}]
    assert len(actions) == len({c for c, _k in codes})  # every code offered, by its words
    assert not [text for _value, text in actions if re.search(r"[A-Za-z]", text)]


def test_the_filter_still_takes_a_code_or_its_beginning(client, county, admin_user):
    for seq, code in enumerate(("role.grant", "role.revoke", "term.create"), start=1):
        AuditLog.objects.create(committee=county, chain=county.pk, seq=seq, action=code)
    client.force_login(admin_user)
    rows = client.get(reverse("manage-audit"), {"action": "role"}).context["rows"]
    assert {row["entry"].action for row in rows} == {"role.grant", "role.revoke"}
    rows = client.get(reverse("manage-audit"), {"action": "term.create"}).context["rows"]
    assert [row["action"] for row in rows] == ["新建届次"]


def test_before_and_after_show_a_choice_in_words(client, county, admin_user):
    AuditLog.objects.create(committee=county, chain=county.pk, seq=1, action="proposal.file",
                            object_type="proposals.proposal", before={"status": "submitted"},
                            after={"status": "filed"})
    client.force_login(admin_user)
    changes = client.get(reverse("manage-audit")).context["rows"][0]["changes"]
    assert [(c["before"], c["after"]) for c in changes] == [("已提交", "已立案")]


def test_the_platforms_own_work_reads_as_the_system_and_keys_read_in_words(client, county,
                                                                         admin_user):
    AuditLog.objects.create(
        committee=county, chain=county.pk, seq=1, action="article.save", actor_name="system",
        object_type="portal.article",
        before={"version": 1, "body": "<ul><li>委员读书活动</li></ul>", "note_key": 1},
        after={"version": 2, "body": "<p>委员读书活动交流会</p>", "note_key": 2})
    client.force_login(admin_user)
    response = client.get(reverse("manage-audit"))
    row = response.context["rows"][0]
    assert row["actor"] == "系统"
    labels = {c["key"]: c["label"] for c in row["changes"]}
    assert labels["version"] == "版本号"
    assert labels["note_key"] == "note_key"  # a key nobody named stays visible, not hidden
    body = next(c for c in row["changes"] if c["key"] == "body")
    assert body["before"] == "委员读书活动" and body["after"] == "委员读书活动交流会"
    assert ">system<" not in response.content.decode()
