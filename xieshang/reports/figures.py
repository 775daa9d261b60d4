"""Figures for any committee (optionally with its sub-committees) and any period.

Each area of work registers a provider: a function that takes a ``Scope`` and returns
``Figure`` rows. The figures command, the statistics page, the work-report draft and the
dashboards all read the same rows, so a number in the draft is the number on the page.
Keys are stable and documented in docs/reports.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

from xieshang.core.models import Committee


@dataclass(frozen=True)
class Scope:
    committee: Committee
    start: dt.date
    end: dt.date
    include_sub: bool = False

    # Cached: every provider asks, and a province's sub-tree is one query, not one per use.
    @cached_property
    def committees(self) -> list[Committee]:
        if not self.include_sub:
            return [self.committee]
        return list(self.committee.subtree())

    @cached_property
    def committee_ids(self) -> list[int]:
        return [c.id for c in self.committees]


@dataclass
class Figure:
    key: str  # e.g. "activities.party_group_meetings"
    label: str
    value: float | int
    unit: str = ""
    section: str = ""
    link: str = ""  # the list of records behind the figure
    detail: dict[str, Any] = field(default_factory=dict)
    note: str = ""  # shown instead of the value while there is no meaningful value yet

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


Provider = Callable[[Scope], list[Figure]]
PROVIDERS: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    PROVIDERS[name] = provider


def compute(scope: Scope) -> dict[str, Figure]:
    """All figures of the scope (read from a replica when one is configured: lag is fine)."""
    from xieshang.core.dbrouter import replica

    out: dict[str, Figure] = {}
    with replica():
        for name, provider in PROVIDERS.items():
            for figure in provider(scope):
                figure.section = figure.section or name
                out[figure.key] = figure
    return out


def value(figures: dict[str, Figure], key: str, default: float | int = 0) -> float | int:
    figure = figures.get(key)
    return figure.value if figure is not None else default
