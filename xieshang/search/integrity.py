"""The search index check (``xieshang.core.integrity``): is the full-text index whole?

The engine's own structures (SQLite: the FTS5 table ``search_fts`` and its triggers;
PostgreSQL: the stored tsvector columns and their GIN indexes, migrations 0002–0004) are
present; the index holds one document per entry; and a sample of entries is found by a
phrase of its own title through the same MATCH / tsquery the search uses.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from xieshang.search.models import SearchEntry
from xieshang.search.query import fts_phrase, tsquery_phrase
from xieshang.textmining.tokens import query_terms

PROBES = 200
SQLITE_STRUCTURES = {("table", "search_fts"), ("trigger", "search_fts_ai"),
                     ("trigger", "search_fts_ad"), ("trigger", "search_fts_au")}
POSTGRES_INDEXES = {"search_entry_bi_tsv", "search_entry_uni_tsv"}


def figures() -> dict[str, Any]:
    entries = SearchEntry.objects.count()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT type, name FROM sqlite_master WHERE name LIKE 'search_fts%%'")
            structures = {(t, n) for t, n in cursor.fetchall()} >= SQLITE_STRUCTURES
            indexed = _count(cursor, "SELECT COUNT(*) FROM search_fts_docsize") if structures else 0
        else:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = "
                           "'search_searchentry'")
            structures = {r[0] for r in cursor.fetchall()} >= POSTGRES_INDEXES
            indexed = _count(cursor, "SELECT COUNT(*) FROM search_searchentry "
                                     "WHERE bi_tsv IS NOT NULL AND uni_tsv IS NOT NULL")
        probes = found = 0
        if structures:
            for pk, title in _sample(entries):
                terms = query_terms(title[:12])
                if not terms:
                    continue
                probes += 1
                found += _finds(cursor, pk, terms)
    return {"entries": entries, "indexed": indexed, "probes": probes, "found": found,
            "ok": structures and indexed == entries and found == probes}


def _count(cursor: Any, sql: str) -> int:
    cursor.execute(sql)
    return int(cursor.fetchone()[0])


def _sample(entries: int) -> list[tuple[int, str]]:
    """Every n-th entry by id, so that both sides of a move probe the same entries."""
    step = max(1, entries // PROBES)
    ids = list(SearchEntry.objects.order_by("id").values_list("id", flat=True)[::step][:PROBES])
    return list(SearchEntry.objects.filter(id__in=ids).order_by("id").values_list("id", "title"))


def _finds(cursor: Any, pk: int, terms: list[tuple[str, list[str]]]) -> int:
    if connection.vendor == "sqlite":
        match = " AND ".join(fts_phrase(column, tokens) for column, tokens in terms)
        cursor.execute("SELECT COUNT(*) FROM search_fts WHERE search_fts MATCH %s AND rowid = %s",
                       [match, pk])
    else:
        where = " AND ".join(f"{column}_tsv @@ to_tsquery('simple', %s)" for column, _t in terms)
        cursor.execute(f"SELECT COUNT(*) FROM search_searchentry WHERE id = %s AND {where}",  # noqa: S608
                       [pk, *(tsquery_phrase(tokens) for _c, tokens in terms)])
    return 1 if cursor.fetchone()[0] else 0
