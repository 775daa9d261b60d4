"""The index as a filter: the ids of a committee's records whose text holds a query, for lists
that keep their own filters, ordering and paging (the proposals list's text box).

``search()`` ranks and pages its hits and applies the search page's own visibility rules; a list
needs every match, as a sub-select for ``pk__in``, and decides itself what the user may see.
``ENGINE`` offers both to the apps below search through ``core.fulltext``.
"""

from __future__ import annotations

from django.db import connection
from django.tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from xieshang.core.fulltext import Match
from xieshang.core.permissions import Actor
from xieshang.search.index import index_task, kind_token
from xieshang.search.query import fts_phrase, search, tsquery_phrase
from xieshang.textmining.tokens import query_terms

MAX_TERMS = 8
# More index tasks than this still queued for a kind: the worker is behind (or stopped) and
# the index cannot be trusted for that kind; the caller scans the text instead.
PENDING_LIMIT = 500


# A query matching more records than this ("建议" is in nearly every title) is answered faster
# by scanning the text than by a list of ids as long as the table; the caller scans.
MATCH_CAP = 5000


def matching_ids(committee_id: int, query: str, *, kind: str,
                 cap: int | None = None) -> Match | None:
    """The ``kind`` records of a committee whose indexed text holds every Chinese run of
    ``query`` (every visibility). None when the query has no Chinese run: the index keeps Latin
    words and numbers whole, so it cannot find part of one ("202" in "2025"); None too when
    more than ``cap`` (default MATCH_CAP) records match (scanning is then the cheaper way)."""
    cap = MATCH_CAP if cap is None else cap
    query = (query or "").strip()
    terms = [t for t in query_terms(query) if t[1] and not t[1][0].isascii()][:MAX_TERMS]
    if not terms:
        return None
    # One or two characters, all Chinese: one unigram or bigram token, found wherever it is.
    exact = len(query) <= 2 and [t[1] for t in terms] == [[query]]
    if connection.vendor == "postgresql":
        conditions = ["e.committee_id + 0 = %s", "e.kind = %s"]
        params: list[int | str] = [committee_id, kind]
        for column, tokens in terms:
            conditions.append(f"e.{column}_tsv @@ to_tsquery('simple', %s)")
            params.append(tsquery_phrase(tokens))
        sql = ("SELECT CAST(e.object_id AS BIGINT) FROM search_searchentry e WHERE "  # noqa: S608
               + " AND ".join(conditions))
        return _capped(sql, params, exact, cap)
    parts = [f"scope : c{int(committee_id)}", f"scope : {kind_token(kind)}"]
    for column, tokens in terms:
        parts.append(fts_phrase(column, tokens))
    sql = ("SELECT CAST(e.object_id AS INTEGER) FROM search_searchentry e WHERE e.id IN "
           "(SELECT rowid FROM search_fts WHERE search_fts MATCH %s)")
    # The MATCH expression is a parameter; its tokens are letters and digits only (query_terms).
    return _capped(sql, [" AND ".join(parts)], exact, cap)


def _capped(sql: str, params: list[int | str], exact: bool, cap: int) -> Match | None:
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} LIMIT %s", [*params, cap + 1])
        ids = [int(r[0]) for r in cursor.fetchall()]
    return None if len(ids) > cap else Match(ids, exact)


def pending_ids(kind: str) -> list[int] | None:
    """Ids of ``kind`` records whose index task is still queued: their entry may be missing or
    stale until the worker runs it. None when there are more than PENDING_LIMIT. Empty with a
    task backend that runs tasks at once (tests) or keeps no queue in the database."""
    if not isinstance(task_backends[index_task.backend], DatabaseBackend):
        return []
    # READY only: that status has a (partial) index; a running task writes its entry within
    # moments, and one stuck in RUNNING is put back to READY by `xieshang tasks_recover`.
    rows = list(DBTaskResult.objects.filter(status="READY", task_path=index_task.module_path,
                                            args_kwargs__args__0=kind)
                .values_list("args_kwargs", flat=True)[:PENDING_LIMIT + 1])
    if len(rows) > PENDING_LIMIT:
        return None
    return sorted({int(args[1]) for args in (r["args"] for r in rows)
                   if len(args) > 1 and str(args[1]).isdigit()})


class IndexEngine:
    """This app's index behind ``core.fulltext`` (installed by ``SearchConfig.ready``)."""

    def matching_ids(self, committee_id: int, query: str, *, kind: str) -> Match | None:
        return matching_ids(committee_id, query, kind=kind)

    def pending_ids(self, kind: str) -> list[int] | None:
        return pending_ids(kind)

    def search_ids(self, actor: Actor, query: str, *, kind: str, limit: int) -> list[int]:
        hits = search(actor, query, kind=kind, limit=limit).hits
        return [int(h.entry.object_id) for h in hits]


ENGINE = IndexEngine()
