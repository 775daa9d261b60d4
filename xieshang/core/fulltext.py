"""The full-text index as the apps below the search app use it.

The index lives in the search app, which is above the domain apps (it indexes all of them). A
domain app that needs it — the proposals list's text box, the public website's search — asks
here, and the search app installs its engine when it starts (``use_engine``). Without the search
app installed the answers say "no index": a list scans its text, a site search finds nothing by
the index and falls back to its own scan. So no domain app imports search.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from xieshang.core.permissions import Actor


@dataclass(frozen=True)
class Match:
    ids: list[int]  # the matching records' primary keys
    # True: a record matches exactly when its title or body contains the query (a single
    # run of one or two Chinese characters, which is one index token). Otherwise the matches
    # are a superset: a longer run is a phrase of bigrams, which can also match across a
    # punctuation mark or the title/body boundary ("甲乙，乙丙" holds 甲乙 乙丙), and each run
    # of a query in several parts is matched anywhere; the caller checks the text itself.
    exact: bool


class Engine(Protocol):
    def matching_ids(self, committee_id: int, query: str, *, kind: str) -> Match | None:
        """The ``kind`` records of the committee whose indexed text holds the query; None when
        the index cannot answer (scan instead)."""
        ...

    def pending_ids(self, kind: str) -> list[int] | None:
        """Records of ``kind`` whose index entry is still queued; None when too many are."""
        ...

    def search_ids(self, actor: Actor, query: str, *, kind: str, limit: int) -> list[int]:
        """The ids of the ``kind`` records the actor finds for ``query``, best match first
        (only records the kind's ``visible(actor)`` gives: a visitor's actor, public ones)."""
        ...


_engine: Engine | None = None


def use_engine(engine: Engine) -> None:
    """Install the index (the search app, at start-up)."""
    global _engine
    _engine = engine


def engine() -> Engine | None:
    """The installed index, or None when the search app is not installed."""
    return _engine
