"""Figures for any committee (optionally with its sub-committees) and any period.

Each area of work registers its own provider in its ``AppConfig.ready()`` (``<app>/figures.py``):
a function that takes a ``Scope`` and returns ``Figure`` rows. The registry is here, below every
app, so that an app registers without importing the reports app; the figures command, the
statistics page, the work-report draft, the dashboards (reports) and the public site's key
figures (portal) all read the same rows, so a number in the draft is the number on the page.
Keys are stable and documented in docs/reports.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

from django.utils import timezone

from xieshang.core.dbrouter import replica
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

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The period as aware datetimes: from the first day's midnight to the midnight after
        the last day (exclusive)."""
        lo = timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))
        hi = timezone.make_aware(dt.datetime.combine(self.end + dt.timedelta(days=1),
                                                     dt.time.min))
        return lo, hi


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
    definition: str = ""  # what it counts, shown beside it (a tooltip or a footnote)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


Provider = Callable[[Scope], list[Figure]]
# name (the figures' section) → (order, provider); sections are listed by order.
PROVIDERS: dict[str, tuple[int, Provider]] = {}


def register(name: str, provider: Provider, *, order: int) -> None:
    PROVIDERS[name] = (order, provider)


def providers() -> list[tuple[str, Provider]]:
    """(section, provider) in the order of the sections."""
    return [(name, provider) for name, (_order, provider)
            in sorted(PROVIDERS.items(), key=lambda item: item[1][0])]


def compute(scope: Scope) -> dict[str, Figure]:
    """All figures of the scope (read from a replica when one is configured: lag is fine)."""
    out: dict[str, Figure] = {}
    with replica():
        for name, provider in providers():
            for figure in provider(scope):
                figure.section = figure.section or name
                out[figure.key] = figure
    return out


def value(figures: dict[str, Figure], key: str, default: float | int = 0) -> float | int:
    figure = figures.get(key)
    return figure.value if figure is not None else default
