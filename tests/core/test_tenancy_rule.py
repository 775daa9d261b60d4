"""Views and API modules read committee data only through core.tenancy.scoped()."""

import ast
from pathlib import Path

import pytest
from django.apps import apps

from xieshang.core.owned import CommitteeOwned

ROOT = Path(__file__).resolve().parents[2] / "xieshang"
# Rows that belong to the user, not to a committee.
ALLOWED = {"Notification", "User", "ApiToken"}


def committee_owned_models() -> set[str]:
    return {m.__name__ for m in apps.get_models() if issubclass(m, CommitteeOwned)}


VIEW_MODULES = sorted({*ROOT.glob("*/*views*.py"), *ROOT.glob("*/views/*.py"),
                       *ROOT.glob("*/api.py"), *ROOT.glob("*/*_api.py"), ROOT / "api.py"})


@pytest.mark.parametrize("path", [p for p in VIEW_MODULES if p.exists()],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_views_never_query_committee_models_directly(path):
    owned = committee_owned_models() - ALLOWED
    tree = ast.parse(path.read_text())
    offenders = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr in {"objects", "_default_manager"}
                and isinstance(node.value, ast.Name) and node.value.id in owned):
            offenders.append(f"{path.name}:{node.lineno} {node.value.id}.{node.attr}")
    assert not offenders, "use tenancy.scoped(): " + ", ".join(offenders)
