"""The search index for rows the builders wrote in bulk.

``bulk_create`` sends no ``post_save``, so the index does not hear of those rows; the builders
that write in bulk (the demo and the province generator) leave the index incomplete until this
fills it, for their committees only, every kind, in batches, with the same documents the
index's own task would write. ``xieshang text reindex --check`` (``search.completeness``) says
whether it is complete.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from xieshang.search.index import SOURCES, entry_fields
from xieshang.search.models import SearchEntry

BATCH = 1000


def index_committees(committee_ids: Iterable[int],
                     kinds: Iterable[str] | None = None) -> dict[str, int]:
    """(Re)index every ``kinds`` record (default: every registered kind) of the committees;
    returns the entries per kind. Entries of those committees whose record is gone or no
    longer searchable are removed, so the committees' index matches their records."""
    ids = list(committee_ids)
    counts: dict[str, int] = {}
    for kind in list(SOURCES if kinds is None else kinds):
        source = SOURCES.get(kind)
        if source is None:  # the app that registers this kind is not installed
            continue
        manager = source.queryset() if source.queryset else source.model._default_manager.all()
        with transaction.atomic():
            rows: list[SearchEntry] = []
            written = 0
            kept: set[str] = set()
            for obj in manager.filter(committee_id__in=ids).iterator(chunk_size=BATCH):
                doc = source.to_document(obj)
                if doc is None:
                    continue
                kept.add(str(obj.pk))
                rows.append(SearchEntry(kind=kind, object_id=str(obj.pk),
                                        **entry_fields(obj, doc, kind)))
                if len(rows) >= BATCH:
                    written += _replace(kind, rows)
                    rows = []
            written += _replace(kind, rows)
            stale = set(SearchEntry.objects.filter(kind=kind, committee_id__in=ids)
                        .values_list("object_id", flat=True)) - kept
            SearchEntry.objects.filter(kind=kind, committee_id__in=ids,
                                       object_id__in=stale).delete()
        counts[kind] = written
    return counts


def _replace(kind: str, rows: list[SearchEntry]) -> int:
    if not rows:
        return 0
    SearchEntry.objects.filter(kind=kind, object_id__in=[r.object_id for r in rows]).delete()
    SearchEntry.objects.bulk_create(rows)
    return len(rows)
