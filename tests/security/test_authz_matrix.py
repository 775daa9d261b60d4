"""The authorisation matrix: written down from the code, and checked for every rule and role.

* docs/authorization.md equals what the registry renders (so the document cannot go stale);
* every rule refuses an actor of no committee, and an actor holding every role in another
  committee is refused by every object rule on a record of this committee;
* every workflow step of every table is listed with the rule that decides who may take it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.security import authz
from tests.security.world import build_victim
from xieshang.core.models import Role
from xieshang.core.permissions import Actor

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[2] / "docs" / "authorization.md"
RULES = authz.rules()
ROLE_RULES = [r for r in RULES if r.object_type is None]
OBJECT_RULES = [r for r in RULES if r.object_type is not None]


def test_the_registry_finds_rules_and_workflows_in_every_app():
    assert {r.app for r in RULES} >= {"core", "members", "proposals", "opinions", "activities"}
    assert len(authz.transitions()) >= 50


def test_docs_authorization_md_matches_the_code(county):
    text = authz.render(county)
    if os.environ.get("XS_UPDATE_DOCS") == "1":
        DOC.write_text(text)
    assert DOC.exists() and DOC.read_text() == text, (
        "docs/authorization.md is stale: XS_UPDATE_DOCS=1 .venv/bin/pytest "
        "tests/security/test_authz_matrix.py")


@pytest.mark.parametrize("rule", ROLE_RULES, ids=lambda r: f"{r.app}.{r.name}")
def test_role_rule_refuses_an_actor_without_a_committee(rule, county):
    nobody = Actor(user=None, committee=None, roles=frozenset())
    assert not rule.func(nobody)
    # ... and is granted to some role (a rule nobody passes would be dead code).
    levels = [county, county.parent, county.parent.parent]  # county, city, province
    assert any(rule.func(authz.actor_with(c, role)) for role in Role.values for c in levels)


def test_every_object_rule_refuses_all_roles_of_another_committee(county, other_county):
    victim = build_victim(other_county)
    outsider = authz.actor_with(county, *Role.values)
    checked, failures = [], []
    for rule in OBJECT_RULES:
        rows = victim.rows_of(rule.object_type)
        if not rows:
            continue
        for row in rows[:3]:
            checked.append(rule.name)
            if rule.func(outsider, row):
                failures.append(f"{rule.app}.{rule.name}({type(row).__name__} {row.pk})")
    assert len(set(checked)) >= 10, checked
    assert not failures, "allowed across committees: " + ", ".join(failures)
