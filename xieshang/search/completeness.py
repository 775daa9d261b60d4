"""Is the index complete? Source and index counts per kind and committee.

For every registered kind (``xieshang.core.searchable``) the records that make a document
(``to_document`` is not None) are compared, by id, with the index's entries: *missing* are
searchable records without an entry (a write in bulk that skipped the index, a lost task),
*stale* are entries whose record is gone or no longer searchable. ``xieshang text reindex
--check`` prints the table and exits non-zero on any difference; the install checks
(``search.integrity``) report the totals.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from xieshang.core.models import Committee
from xieshang.core.searchable import SOURCES
from xieshang.search.models import SearchEntry

BATCH = 2000


@dataclass(frozen=True)
class Count:
    kind: str
    committee: str  # the committee's code
    source: int  # records of the kind that make a document
    indexed: int  # entries of the kind in the index
    missing: int  # searchable records without an entry
    stale: int  # entries without a searchable record

    @property
    def ok(self) -> bool:
        return self.missing == 0 and self.stale == 0


def counts(kinds: Iterable[str] | None = None,
           committee_ids: Iterable[int] | None = None) -> list[Count]:
    """One row per kind and committee that has records or entries of it."""
    ids = set(committee_ids) if committee_ids is not None else None
    codes = dict(Committee.objects.values_list("pk", "code"))
    out: list[Count] = []
    for kind in list(kinds or SOURCES):
        source = SOURCES[kind]
        expected: dict[int, set[str]] = defaultdict(set)
        rows = source.rows()
        if ids is not None:
            rows = rows.filter(committee_id__in=ids)
        for obj in rows.iterator(chunk_size=BATCH):
            if source.to_document(obj) is not None:
                expected[obj.committee_id].add(str(obj.pk))
        entries = SearchEntry.objects.filter(kind=kind)
        if ids is not None:
            entries = entries.filter(committee_id__in=ids)
        present: dict[int, set[str]] = defaultdict(set)
        for committee_id, object_id in entries.values_list("committee_id", "object_id").iterator(
                chunk_size=BATCH):
            present[committee_id].add(object_id)
        for committee_id in sorted(set(expected) | set(present),
                                   key=lambda c: codes.get(c, str(c))):
            want, have = expected.get(committee_id, set()), present.get(committee_id, set())
            out.append(Count(kind, codes.get(committee_id, str(committee_id)), len(want),
                             len(have), len(want - have), len(have - want)))
    return out


def complete(kinds: Iterable[str] | None = None,
             committee_ids: Iterable[int] | None = None) -> bool:
    return all(c.ok for c in counts(kinds, committee_ids))
