"""A committee's own terms for segmentation (place, unit and policy words), as every app reads them.

The terms are kept and edited in the search app (``search.dictionary``, the ``DictionaryTerm``
model), which is above the domain apps. The apps that segment a committee's text — proposal
routing and similarity, the hot topics of the dashboards — read the terms here, through the
source that search installs when it starts (``use_source``); an install without search segments
with no terms of its own. After a change search sends ``dictionary_changed`` (from its
background task), and each app that keeps a model built with the terms connects a receiver that
rebuilds it. So no app imports search, and search imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.dispatch import Signal

from xieshang.textmining import segment

# Sent with ``committee_id`` after a committee's terms changed; a receiver returns a short note of
# what it rebuilt (the background task reports the notes).
dictionary_changed = Signal()


@dataclass(frozen=True)
class Source:
    one: Callable[[int], segment.UserDictionary]
    many: Callable[[Iterable[int]], segment.UserDictionary]


_source: Source | None = None


def use_source(source: Source) -> None:
    """Install where the terms come from (the search app, at start-up)."""
    global _source
    _source = source


def dictionary_for(committee_id: int | None) -> segment.UserDictionary:
    """The committee's terms (none without a committee or without a source)."""
    if committee_id is None or _source is None:
        return segment.UserDictionary()
    return _source.one(committee_id)


def dictionary_for_many(committee_ids: Iterable[int]) -> segment.UserDictionary:
    """The union of several committees' terms (a leader's view over a committee tree)."""
    if _source is None:
        return segment.UserDictionary()
    return _source.many(committee_ids)
