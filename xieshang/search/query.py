"""Searching: one interface over SQLite FTS5 and PostgreSQL tsvector.

Every query term must match (AND). A term of two or more Chinese characters is a phrase of
consecutive bigrams; one character is looked up among single characters; Latin words whole.
Relevance ranks (bm25 / ts_rank), newer records first among equals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet

from xieshang.core.models import Role
from xieshang.core.permissions import Actor
from xieshang.core.tenancy import scoped
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


@dataclass
class Match:
    """SQL pieces for a query: FROM, WHERE and ORDER BY over entries aliased ``e``."""

    from_sql: str
    where_sql: str
    where_params: list[Any]
    rank_sql: str
    rank_params: list[Any]


def _match(terms: list[tuple[str, list[str]]]) -> Match:
    if connection.vendor == "postgresql":
        conditions, ranks, params = [], [], []
        for column, tokens in terms:
            tsq = " <-> ".join(t.replace("'", "").replace("\\", "") for t in tokens)
            conditions.append(f"to_tsvector('simple', e.{column}) @@ to_tsquery('simple', %s)")
            ranks.append(f"ts_rank(to_tsvector('simple', e.{column}), to_tsquery('simple', %s))")
            params.append(tsq)
        return Match("search_searchentry e", " AND ".join(conditions), params,
                     f"-({' + '.join(ranks)})", params)
    phrases = []
    for column, tokens in terms:
        phrases.append(f'{column} : "{" ".join(t.replace(chr(34), "") for t in tokens)}"')
    return Match("search_searchentry e JOIN search_fts ON search_fts.rowid = e.id",
                 "search_fts MATCH %s", [" AND ".join(phrases)],
                 "bm25(search_fts, 1.0, 0.3)", [])


def search(actor: Actor, query: str, *, kind: str = "", facet_filters: dict[str, str] | None = None,
           limit: int = 20, offset: int = 0) -> Results:
    qs = visible(actor)
    for key, value in (facet_filters or {}).items():
        if value:
            qs = qs.filter(**{f"facets__{key}": value})
    terms = [t for t in query_terms(query) if t[1]][:MAX_TERMS]
    if not terms:
        facets = {"kind": {r["kind"]: r["n"] for r in
                           qs.values("kind").annotate(n=Count("id")).order_by()}}
        if kind:
            qs = qs.filter(kind=kind)
        entries = list(qs.order_by("-date", "-id")[offset:offset + limit])
        return Results(hits=[_hit(e, "") for e in entries], total=qs.count(), facets=facets)
    m = _match(terms)
    sub_sql, sub_params = qs.values("id").query.sql_with_params()
    base = (f"FROM {m.from_sql} WHERE {m.where_sql} AND e.id IN ({sub_sql})")
    params = [*m.where_params, *sub_params]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT e.kind, COUNT(*) {base} GROUP BY e.kind", params)  # noqa: S608
        by_kind = {str(k): int(n) for k, n in cursor.fetchall()}
        kind_sql, kind_params = ("", []) if not kind else (" AND e.kind = %s", [kind])
        cursor.execute(
            f"SELECT e.id {base}{kind_sql} ORDER BY {m.rank_sql}, e.date DESC, e.id DESC "  # noqa: S608
            "LIMIT %s OFFSET %s",
            [*params, *kind_params, *m.rank_params, int(limit), int(offset)],
        )
        page_ids = [int(r[0]) for r in cursor.fetchall()]
    total = by_kind.get(kind, 0) if kind else sum(by_kind.values())
    by_id = SearchEntry.objects.in_bulk(page_ids)
    hits = [_hit(by_id[i], query) for i in page_ids if i in by_id]
    return Results(hits=hits, total=total, facets={"kind": by_kind})


def _hit(entry: SearchEntry, query: str) -> Hit:
    first = (query or "").split()[0].lower() if (query or "").split() else ""
    source = entry.body if first and first in entry.body.lower() else f"{entry.title} {entry.body}"
    snippet, spans = highlight(source, query or "", width=90)
    return Hit(entry=entry, snippet=snippet, spans=spans)
