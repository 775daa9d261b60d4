"""The search index for rows the builders wrote in bulk.

``bulk_create`` sends no ``post_save``, so the index does not hear of those rows; the builders
that write in bulk (the demo's proposals, the province generator's members, proposals, opinion
reports and activities) leave the index incomplete until this fills it, for their committees
only, in batches, with the same documents the index's own task would write.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from xieshang.search.index import SOURCES, entry_fields
from xieshang.search.models import SearchEntry

BATCH = 1000


def index_committees(committee_ids: Iterable[int], kinds: Iterable[str]) -> dict[str, int]:
    """(Re)index every ``kinds`` record of the committees; returns the entries per kind."""
    ids = list(committee_ids)
    counts: dict[str, int] = {}
    for kind in kinds:
        source = SOURCES.get(kind)
        if source is None:  # the app that registers this kind is not installed
            continue
        manager = source.queryset() if source.queryset else source.model._default_manager.all()
        with transaction.atomic():
            rows: list[SearchEntry] = []
            written = 0
            for obj in manager.filter(committee_id__in=ids).iterator(chunk_size=BATCH):
                doc = source.to_document(obj)
                if doc is None:
                    continue
                rows.append(SearchEntry(kind=kind, object_id=str(obj.pk),
                                        **entry_fields(obj, doc, kind)))
                if len(rows) >= BATCH:
                    written += _replace(kind, rows)
                    rows = []
            written += _replace(kind, rows)
        counts[kind] = written
    return counts


def _replace(kind: str, rows: list[SearchEntry]) -> int:
    if not rows:
        return 0
    SearchEntry.objects.filter(kind=kind, object_id__in=[r.object_id for r in rows]).delete()
    SearchEntry.objects.bulk_create(rows)
    return len(rows)
