"""Searching: one interface over SQLite FTS5 and PostgreSQL tsvector.

Every query term must match (AND). A term of two or more Chinese characters is a phrase of
consecutive bigrams; one character is looked up among single characters; Latin words whole.
Relevance ranks (bm25 / ts_rank), newer records first among equals.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Q, QuerySet

from xieshang.core.models import Role
from xieshang.core.permissions import Actor
from xieshang.core.tenancy import scoped
from xieshang.search.index import kind_token
from xieshang.search.models import SearchEntry
from xieshang.textmining.tokens import highlight, query_terms

MAX_TERMS = 8


@dataclass
class Hit:
    entry: SearchEntry
    snippet: str
    spans: list[tuple[int, int]]

    @property
    def parts(self) -> list[tuple[str, bool]]:
        """The snippet cut into (text, is_match) pieces for templates (escaped there)."""
        out, pos = [], 0
        for a, b in self.spans:
            if a < pos:
                continue
            out.append((self.snippet[pos:a], False))
            out.append((self.snippet[a:b], True))
            pos = b
        out.append((self.snippet[pos:], False))
        return [p for p in out if p[0]]


@dataclass
class Results:
    hits: list[Hit]
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


def visible(actor: Actor) -> QuerySet[SearchEntry]:
    qs = scoped(actor, SearchEntry)
    if actor.is_staff or actor.has(Role.LEADER, Role.ADMIN):
        return qs
    uid = actor.user.pk if actor.user else 0
    return qs.filter(
        Q(visibility__in=[SearchEntry.Visibility.PUBLIC, SearchEntry.Visibility.COMMITTEE])
        | Q(owner_ids__contains=f" {uid} ")
    )


def _is_privileged(actor: Actor) -> bool:
    return actor.is_staff or actor.has(Role.LEADER, Role.ADMIN)


def _sqlite_match(actor: Actor, terms: list[tuple[str, list[str]]], kind: str,
                  public_only: bool = False) -> str:
    assert actor.committee is not None
    parts = [f"scope : c{actor.committee.id}"]
    if public_only:
        parts.append("scope : vpublic")
    elif not _is_privileged(actor):
        uid = actor.user.pk if actor.user else 0
        parts.append(f"(scope : vpublic OR scope : vcommittee OR scope : o{uid})")
    if kind:
        parts.append(f"scope : {kind_token(kind)}")
    for column, tokens in terms:
        parts.append(f'{column} : "{" ".join(t.replace(chr(34), "") for t in tokens)}"')
    return " AND ".join(parts)


def _search_sqlite(actor: Actor, terms: list[tuple[str, list[str]]], kind: str, limit: int,
                   offset: int, public_only: bool = False) -> tuple[list[int], dict[str, int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kind, COUNT(*) FROM search_searchentry WHERE id IN "
            "(SELECT rowid FROM search_fts WHERE search_fts MATCH %s) GROUP BY kind",
            [_sqlite_match(actor, terms, "", public_only)])
        by_kind = {str(k): int(n) for k, n in cursor.fetchall()}
        # Rank inside the index (fast), then break ties among the window by date.
        window = offset + limit + 50
        cursor.execute("SELECT rowid, rank FROM search_fts WHERE search_fts MATCH %s "
                       "ORDER BY rank LIMIT %s",
                       [_sqlite_match(actor, terms, kind, public_only), window])
        ranked = cursor.fetchall()
    dates = dict(SearchEntry.objects.filter(id__in=[r[0] for r in ranked])
                 .values_list("id", "date"))
    ranked.sort(key=lambda r: (round(r[1], 6), -dates[r[0]].timestamp(), -r[0]))
    return [int(r[0]) for r in ranked[offset:offset + limit]], by_kind


def _search_postgres(actor: Actor, terms: list[tuple[str, list[str]]], kind: str, limit: int,
                     offset: int, public_only: bool = False) -> tuple[list[int], dict[str, int]]:
    assert actor.committee is not None
    conditions, ranks = ["e.committee_id = %s"], []
    params: list[int | str] = [actor.committee.id]
    if public_only:
        conditions.append("e.visibility = 'public'")
    elif not _is_privileged(actor):
        uid = actor.user.pk if actor.user else 0
        conditions.append("(e.visibility IN ('public', 'committee') OR e.owner_ids LIKE %s)")
        params.append(f"% {uid} %")
    tsqueries = []
    for column, tokens in terms:
        tsq = " <-> ".join(t.replace("'", "").replace("\\", "") for t in tokens)
        conditions.append(f"e.{column}_tsv @@ to_tsquery('simple', %s)")
        ranks.append(f"ts_rank(e.{column}_tsv, to_tsquery('simple', %s))")
        tsqueries.append(tsq)
    params += tsqueries
    where = " AND ".join(conditions)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT e.kind, COUNT(*) FROM search_searchentry e WHERE {where} "  # noqa: S608
                       "GROUP BY e.kind", params)
        by_kind = {str(k): int(n) for k, n in cursor.fetchall()}
        kind_sql, kind_params = (" AND e.kind = %s", [kind]) if kind else ("", [])
        cursor.execute(
            f"SELECT e.id FROM search_searchentry e WHERE {where}{kind_sql} "  # noqa: S608
            f"ORDER BY {' + '.join(ranks)} DESC, e.date DESC, e.id DESC LIMIT %s OFFSET %s",
            [*params, *kind_params, *tsqueries, int(limit), int(offset)])
        return [int(r[0]) for r in cursor.fetchall()], by_kind


def search(actor: Actor, query: str, *, kind: str = "", limit: int = 20, offset: int = 0,
           public_only: bool = False) -> Results:
    """Search the actor's committee; ``public_only`` for the public website (no login)."""
    qs = visible(actor)
    if public_only:
        qs = qs.filter(visibility=SearchEntry.Visibility.PUBLIC)
    terms = [t for t in query_terms(query) if t[1]][:MAX_TERMS]
    if not terms or actor.committee is None:
        facets = {"kind": {r["kind"]: r["n"] for r in
                           qs.values("kind").annotate(n=Count("id")).order_by()}}
        if kind:
            qs = qs.filter(kind=kind)
        entries = list(qs.order_by("-date", "-id")[offset:offset + limit])
        return Results(hits=[_hit(e, "") for e in entries], total=qs.count(), facets=facets)
    run = _search_postgres if connection.vendor == "postgresql" else _search_sqlite
    page_ids, by_kind = run(actor, terms, kind, limit, offset, public_only)
    total = by_kind.get(kind, 0) if kind else sum(by_kind.values())
    by_id = SearchEntry.objects.in_bulk(page_ids)
    hits = [_hit(by_id[i], query) for i in page_ids if i in by_id]
    return Results(hits=hits, total=total, facets={"kind": by_kind})


def _hit(entry: SearchEntry, query: str) -> Hit:
    first = (query or "").split()[0].lower() if (query or "").split() else ""
    source = entry.body if first and first in entry.body.lower() else f"{entry.title} {entry.body}"
    snippet, spans = highlight(source, query or "", width=90)
    return Hit(entry=entry, snippet=snippet, spans=spans)
