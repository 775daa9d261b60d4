"""Duty facts: what a member did, as reported by each area of work.

Every app that records something a member did registers a source: a function that yields
``Fact`` rows for a committee and a period. The scoring engine and the duty record read only
facts, so a new kind of work needs a source and a rule, never a change here.

Kinds are dotted names: ``proposal.first_filed``, ``opinion.adopted_city_plus``,
``activity.attended:plenary``, ``activity.absent_unexcused:plenary``, ``manual:award`` …
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

from django.utils.functional import Promise


class Fact(NamedTuple):
    """One thing a member did. A named tuple, not a dataclass: a province-year has hundreds of
    thousands of facts, and a tuple is several times cheaper to build and to sort."""

    member_id: int
    kind: str
    date: dt.date
    ref_type: str  # e.g. "proposals.proposal"
    ref_id: str
    label: str  # what happened, for the record ("提案《…》立案")
    quantity: float = 1.0  # e.g. half-days of a plenary


FactSource = Callable[[int, dt.date, dt.date], Iterable[Fact]]  # committee id, start, end


@dataclass(frozen=True)
class SourceInfo:
    name: str
    fn: FactSource
    kinds: dict[str, str | Promise]  # kind → label, offered when writing rules


SOURCES: dict[str, SourceInfo] = {}


def register_source(name: str, fn: FactSource, kinds: dict[str, str | Promise]) -> None:
    SOURCES[name] = SourceInfo(name, fn, kinds)


def known_kinds() -> dict[str, str]:
    out: dict[str, str] = {}
    for info in SOURCES.values():
        out.update({k: str(v) for k, v in info.kinds.items()})
    return out


def collect(committee_id: int, start: dt.date, end: dt.date,
            member_ids: set[int] | None = None) -> list[Fact]:
    facts: list[Fact] = []
    for info in SOURCES.values():
        for fact in info.fn(committee_id, start, end):
            if member_ids is None or fact.member_id in member_ids:
                facts.append(fact)
    facts.sort(key=itemgetter(0, 2, 1, 4))  # member, date, kind, ref_id
    return facts


def kind_matches(pattern: str, kind: str) -> bool:
    """``activity.attended:*`` matches ``activity.attended:plenary``; otherwise exact."""
    if pattern.endswith("*"):
        return kind.startswith(pattern[:-1])
    return pattern == kind
