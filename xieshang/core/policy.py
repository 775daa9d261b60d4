"""Per-committee policy numbers with national defaults (reference/domain.md).

A committee overrides any key in ``Committee.policy``; a key not set there falls back to its
parent committee, then to the default here. Later apps add their own keys to ``DEFAULTS``
through ``register``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from xieshang.core.models import Committee

DEFAULTS: dict[str, tuple[Any, Any]] = {
    # key: (default value, label)
    "term_years": (5, _("Years in a term")),
}


# key: the values it may take with their words, for a setting that is a choice (the pages show
# and offer the words, never the stored code; a value outside them is refused).
CHOICES: dict[str, Sequence[tuple[str, Any]]] = {}


def register(key: str, default: Any, label: Any, *,
             choices: Sequence[tuple[str, Any]] | None = None) -> None:
    DEFAULTS.setdefault(key, (default, label))
    if choices is not None:
        CHOICES.setdefault(key, list(choices))


def shown(key: str, value: Any) -> Any:
    """A choice setting's value in words (its code when it is not one of the choices)."""
    if key not in CHOICES or not isinstance(value, str):
        return value
    return dict(CHOICES[key]).get(value, value)


def _load_parents(committee: Committee) -> None:
    """Fill ``committee``'s chain of parents with one query (a county's page read its city and
    province one query each, on every page: the navigation asks a policy)."""
    if committee.parent_id is None or Committee.parent.is_cached(committee):
        return
    ancestors = {c.pk: c for c in committee.ancestors()}
    node = committee
    while (node.parent_id is not None and node.parent_id in ancestors
           and not Committee.parent.is_cached(node)):
        parent = ancestors[node.parent_id]
        Committee.parent.field.set_cached_value(node, parent)
        node = parent


def get(committee: Committee | None, key: str) -> Any:
    if key not in DEFAULTS:
        raise KeyError(f"unknown policy key {key!r}")
    if committee is not None and key not in (committee.policy or {}):
        _load_parents(committee)
    node = committee
    seen = 0
    while node is not None and seen < 6:
        if key in (node.policy or {}):
            return node.policy[key]
        node = node.parent
        seen += 1
    return DEFAULTS[key][0]
