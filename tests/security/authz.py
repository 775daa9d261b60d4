"""The authorisation registry, read from the code: every app's ``permissions.py`` rules and
every ``*TRANSITIONS`` table of its ``workflow.py``. docs/authorization.md is rendered from this
(``XS_UPDATE_DOCS=1 pytest tests/security/test_authz_matrix.py`` rewrites it)."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec
from typing import Any, get_args, get_type_hints

from django.apps import apps
from django.db import models

from xieshang.core.models import Committee, Role
from xieshang.core.permissions import Actor


@dataclass(frozen=True)
class Rule:
    app: str
    name: str
    func: Callable[..., bool]
    object_type: type | None  # the second parameter's type, None for role-only rules

    @property
    def doc(self) -> str:
        return (inspect.getdoc(self.func) or "").split("\n")[0]


@dataclass(frozen=True)
class Transition:
    table: str
    source: str
    action: str
    target: str
    who: str


def _apps() -> list[Any]:
    return [c for c in apps.get_app_configs() if c.name.startswith("xieshang.")]


def rules() -> list[Rule]:
    out = []
    for config in _apps():
        module_name = f"{config.name}.permissions"
        if find_spec(module_name) is None:
            continue
        module = import_module(module_name)
        for name, func in sorted(vars(module).items()):
            if not (name.startswith(("can_", "may_")) and inspect.isfunction(func)
                    and func.__module__ == module_name):
                continue
            params = list(inspect.signature(func).parameters)
            if not params or params[0] != "actor":
                continue
            if len(params) > 2:  # noqa: PLR2004 - rules with several objects are tested per app
                continue
            obj: Any = None
            if len(params) == 2:  # noqa: PLR2004
                hint = get_type_hints(func, vars(module)).get(params[1])
                options = [hint, *get_args(hint)]
                obj = next((o for o in options if isinstance(o, type) and o is not type(None)),
                           object)
                if not (isinstance(obj, type) and issubclass(obj, models.Model)):
                    continue  # a rule about a name or a code, not a record: tested in its app
            out.append(Rule(config.label, name, func, obj))
    return out


def transitions() -> list[Transition]:
    out = []
    for config in _apps():
        module_name = f"{config.name}.workflow"
        if find_spec(module_name) is None:
            continue
        module = import_module(module_name)
        for table, value in sorted(vars(module).items()):
            if not table.endswith("TRANSITIONS") or not isinstance(value, dict):
                continue
            for (source, action), step in value.items():
                target = getattr(step, "to", None) or step[0]
                who = getattr(step, "who", None) or step[1]
                who = _describe(who)
                out.append(Transition(f"{config.label}.{table}", str(source), action,
                                      str(target), who))
    return out


@dataclass(frozen=True)
class Visible:
    app: str
    name: str
    func: Callable[..., Any]
    kinds: tuple[str, ...]  # the search kinds that filter through it

    @property
    def model(self) -> str:
        found = re.search(r"\[(\w+)\]", str(inspect.signature(self.func).return_annotation))
        return found.group(1) if found else "?"

    @property
    def doc(self) -> str:
        return " ".join((inspect.getdoc(self.func) or "").split("\n\n")[0].split())


def visible_selectors() -> list[Visible]:
    """Each kind's one ``visible(actor)`` queryset: ``visible`` / ``visible_*`` in each app's
    ``selectors.py``, with the search kinds registered with it."""
    from xieshang.core.searchable import SOURCES

    out = []
    for config in _apps():
        module_name = f"{config.name}.selectors"
        if find_spec(module_name) is None:
            continue
        module = import_module(module_name)
        for name, func in sorted(vars(module).items()):
            if (name == "visible" or name.startswith("visible_")) and inspect.isfunction(func) \
                    and func.__module__ == module_name:
                kinds = tuple(k for k, s in SOURCES.items() if s.visible is func)
                out.append(Visible(config.label, name, func, kinds))
    return out


def _describe(who: Any) -> str:
    if callable(who) and getattr(who, "__name__", "") == "<lambda>":
        source = inspect.getsource(who)
        body = source.split("lambda", 1)[1].split(":", 1)[1].strip()
        return re.sub(r"\),?$", "", body).strip()  # the tuple's closing parenthesis
    return getattr(who, "__name__", str(who))


def actor_with(committee: Committee, *roles: str) -> Actor:
    """An actor holding ``roles`` in ``committee`` (tied to a unit, member and body that may not
    exist: role-only rules must not depend on them)."""
    return Actor(user=None, committee=committee, roles=frozenset(roles),
                 unit_ids=frozenset({-1}) if {Role.UNIT_CLERK, Role.UNIT_LEADER} & set(roles)
                 else frozenset(), member_id=-1 if Role.MEMBER in roles else None,
                 body_ids=frozenset({-1}) if Role.COLLECTIVE in roles else frozenset())


def role_matrix(committee: Committee) -> dict[str, dict[str, bool]]:
    """rule → role → allowed, for the rules that depend on the actor alone."""
    return {f"{r.app}.{r.name}": {role: bool(r.func(actor_with(committee, role)))
                                  for role in Role.values}
            for r in rules() if r.object_type is None}


def render(committee: Committee) -> str:
    matrix = role_matrix(committee)
    roles = list(Role.values)
    lines = [
        "# Authorisation matrix",
        "",
        "Generated from the code by `XS_UPDATE_DOCS=1 .venv/bin/pytest "
        "tests/security/test_authz_matrix.py` (the test fails when this file and the code "
        "disagree). Rules live in each app's `permissions.py`; lifecycles in its `workflow.py`.",
        "",
        "Across committees: every rule below is evaluated for an actor who holds **all** roles in "
        "another committee and must refuse (tests/security/test_authz_matrix.py); every URL with "
        "an id is tried with another committee's ids (tests/security/test_idor.py).",
        "",
        "## Role × rule (rules that depend on the role alone; county committee)",
        "",
        "| rule | " + " | ".join(roles) + " |",
        "|---|" + "---|" * len(roles),
    ]
    for name, row in matrix.items():
        lines.append(f"| `{name}` | " + " | ".join("✔" if row[r] else "·" for r in roles) + " |")
    lines += ["", "## Who may open what: one `visible(actor)` per kind", "",
              "Each kind of record has exactly one queryset of what an actor may open, in its "
              "app's `selectors.py`. The page, the API, the lists, the exports, the documents and "
              "the search all fetch through it (`get_scoped_or_404(actor, visible(actor), "
              "pk=…)`: the fetch is the check, and a record the actor may not open is not found "
              "— 404, never 403). The search keeps a match only when its record is in the "
              "kind's selector (tests/security/test_search_access.py checks, for random users, "
              "that search results are exactly what the pages open).", "",
              "| selector | model | searched as | who may open |", "|---|---|---|---|"]
    for v in visible_selectors():
        kinds = ", ".join(f"`{k}`" for k in v.kinds) or "—"
        lines.append(f"| `{v.app}.{v.name}` | {v.model} | {kinds} | {v.doc} |")
    lines += ["", "## Object rules (role × object state × committee, checked per app)", "",
              "| rule | object | what it says |", "|---|---|---|"]
    for r in rules():
        if r.object_type is not None:
            lines.append(f"| `{r.app}.{r.name}` | {r.object_type.__name__} | {r.doc} |")
    lines += ["", "## Workflow steps: state × action → state, and the rule that decides who",
              "", "| table | from | action | to | who (rule) |", "|---|---|---|---|---|"]
    for t in transitions():
        lines.append(f"| {t.table} | {t.source} | {t.action} | {t.target} | `{t.who}` |")
    return "\n".join(lines) + "\n"
