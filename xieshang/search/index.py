"""Keeping the index current for the kinds the apps register (``xieshang.core.searchable``).

A save or delete of a registered model (re)indexes it after the transaction commits, through a
background task; ``xieshang text reindex`` rebuilds everything. Who may see an entry is not
stored here: the search asks the kind's ``visible(actor)`` selector (``search.query``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.tasks import task
from django.utils import timezone

from xieshang.core import clock
from xieshang.core.searchable import SOURCES, Document, Source, source_for
from xieshang.search.models import SearchEntry
from xieshang.textmining.tokens import bigrams, unigrams

__all__ = ["SOURCES", "Document", "Source", "connect_signals", "entry_fields", "index_object",
           "index_task", "kind_token", "reindex"]


def _as_datetime(value: dt.datetime | dt.date | None) -> dt.datetime:
    if value is None:
        return clock.now()
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.make_aware(dt.datetime.combine(value, dt.time(12)))


def kind_token(kind: str) -> str:
    return "k" + "".join(ch for ch in kind if ch.isalnum())


def entry_fields(obj: Any, doc: Document, kind: str) -> dict[str, Any]:
    text = f"{doc.title}\n{doc.body}"
    return {
        "committee_id": obj.committee_id, "title": doc.title[:300], "body": doc.body,
        "url": doc.url[:300], "date": _as_datetime(doc.date), "facets": doc.facets,
        "bi": bigrams(text), "uni": unigrams(text),
        "scope": f"c{obj.committee_id} {kind_token(kind)}",
    }


def index_object(source: Source, obj: Any) -> None:
    doc = source.to_document(obj)
    if doc is None:
        SearchEntry.objects.filter(kind=source.kind, object_id=str(obj.pk)).delete()
        return
    SearchEntry.objects.update_or_create(kind=source.kind, object_id=str(obj.pk),
                                         defaults=entry_fields(obj, doc, source.kind))


@task()
def index_task(kind: str, object_id: str) -> str:
    source = SOURCES.get(kind)
    if source is None:
        return "unknown kind"
    obj = source.rows().filter(pk=object_id).first()
    if obj is None:
        SearchEntry.objects.filter(kind=kind, object_id=object_id).delete()
        return "removed"
    index_object(source, obj)
    return "indexed"


def _on_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    source = source_for(sender)
    if source is not None and not kwargs.get("raw"):
        transaction.on_commit(partial(index_task.enqueue, source.kind, str(instance.pk)))


def _on_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    source = source_for(sender)
    if source is not None:
        SearchEntry.objects.filter(kind=source.kind, object_id=str(instance.pk)).delete()


def connect_signals() -> None:
    post_save.connect(_on_save, dispatch_uid="xieshang.search.save")
    post_delete.connect(_on_delete, dispatch_uid="xieshang.search.delete")


def reindex(kinds: Iterable[str] | None = None, batch: int = 1000) -> dict[str, int]:
    """Rebuild the index for ``kinds`` (all by default); returns documents per kind."""
    counts: dict[str, int] = {}
    for kind in list(kinds or SOURCES):
        source = SOURCES[kind]
        with transaction.atomic():
            SearchEntry.objects.filter(kind=kind).delete()
            rows: list[SearchEntry] = []
            for obj in source.rows().iterator(chunk_size=batch):
                doc = source.to_document(obj)
                if doc is None:
                    continue
                rows.append(SearchEntry(kind=kind, object_id=str(obj.pk),
                                        **entry_fields(obj, doc, kind)))
                if len(rows) >= batch:
                    SearchEntry.objects.bulk_create(rows)
                    rows = []
            SearchEntry.objects.bulk_create(rows)
        counts[kind] = SearchEntry.objects.filter(kind=kind).count()
    return counts
