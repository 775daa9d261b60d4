"""Views and API modules read committee data only through core.tenancy.scoped()."""

import ast
from pathlib import Path

import pytest
from django.apps import apps

from xieshang.core.tenancy import CommitteeOwned

ROOT = Path(__file__).resolve().parents[2] / "xieshang"
# Rows that belong to the user, not to a committee.
ALLOWED = {"Notification", "User", "ApiToken"}


def committee_owned_models() -> set[str]:
    return {m.__name__ for m in apps.get_models() if issubclass(m, CommitteeOwned)}


@pytest.mark.parametrize("path", sorted(ROOT.glob("*/views.py")) + sorted(ROOT.glob("*/api.py"))
                         + sorted(ROOT.glob("*/views/*.py")))
def test_views_never_query_committee_models_directly(path):
    owned = committee_owned_models() - ALLOWED
    tree = ast.parse(path.read_text())
    offenders = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr in {"objects", "_default_manager"}
                and isinstance(node.value, ast.Name) and node.value.id in owned):
            offenders.append(f"{path.name}:{node.lineno} {node.value.id}.{node.attr}")
    assert not offenders, "use tenancy.scoped(): " + ", ".join(offenders)
