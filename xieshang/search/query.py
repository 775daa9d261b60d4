"""Searching: one interface over SQLite FTS5 and PostgreSQL tsvector.

Every query term must match (AND). A term of two or more Chinese characters is a phrase of
consecutive bigrams; one character is looked up among single characters; Latin words whole.
Relevance ranks (bm25 / ts_rank), newer records first among equals. A match is shown only
when the user may open its record: each kind's ``visible(actor)`` selector decides (``Gate``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils.dateparse import parse_datetime

from xieshang.core.permissions import Actor
from xieshang.core.searchable import SOURCES
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
    # Very common terms: the total is an estimate ("about N").
    estimated: bool = False


class Gate:
    """Which index entries the actor may see. Nothing is decided here: each kind's source
    (``xieshang.core.searchable``) gives the app's ``visible(actor)`` selector, the same
    queryset its pages and API fetch through, and an entry is kept only when its record is
    in it. A kind nobody registered is seen by nobody. Answers are remembered per search, so
    widening a window does not ask twice."""

    # Above this many ids of one kind, read the visible ids whole instead of in chunks.
    WHOLE = 5000
    CHUNK = 500

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.known: dict[tuple[str, str], bool] = {}

    def keep(self, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """The rows (…, kind at [1], …, object id last) whose record the actor may open."""
        todo: dict[str, set[str]] = {}
        for row in rows:
            key = (str(row[1]), str(row[-1]))
            if key not in self.known:
                todo.setdefault(key[0], set()).add(key[1])
        for kind, ids in todo.items():
            allowed = self._allowed(kind, sorted(int(i) for i in ids if i.isdigit()))
            for object_id in ids:
                self.known[(kind, object_id)] = object_id in allowed
        return [row for row in rows if self.known[(str(row[1]), str(row[-1]))]]

    def _allowed(self, kind: str, pks: list[int]) -> set[str]:
        source = SOURCES.get(kind)
        if source is None or not pks or self.actor.committee is None:
            return set()
        visible = source.visible(self.actor)
        if len(pks) > self.WHOLE:
            return {str(pk) for pk in visible.values_list("pk", flat=True)}
        out: set[str] = set()
        for start in range(0, len(pks), self.CHUNK):
            out.update(str(pk) for pk in visible.filter(pk__in=pks[start:start + self.CHUNK])
                       .values_list("pk", flat=True))
        return out


def fts_phrase(column: str, tokens: list[str]) -> str:
    """An FTS5 phrase of ``tokens`` in ``column`` (quotes dropped: tokens are text only)."""
    return f'{column} : "{" ".join(t.replace(chr(34), "") for t in tokens)}"'


def tsquery_phrase(tokens: list[str]) -> str:
    """A PostgreSQL tsquery phrase of ``tokens`` (quotes and backslashes dropped)."""
    return " <-> ".join(t.replace("'", "").replace("\\", "") for t in tokens)


def _sqlite_match(actor: Actor, terms: list[tuple[str, list[str]]], kind: str) -> str:
    assert actor.committee is not None
    parts = [f"scope : c{actor.committee.id}"]
    if kind:
        parts.append(f"scope : {kind_token(kind)}")
    for column, tokens in terms:
        parts.append(fts_phrase(column, tokens))
    return " AND ".join(parts)


def _search_sqlite(actor: Actor, terms: list[tuple[str, list[str]]], kind: str, limit: int,
                   offset: int, gate: Gate, exact: bool = False,
                   query: str = "") -> tuple[list[int], dict[str, int], bool]:
    """(page ids, matches by kind, whether the counts are estimates).

    FTS5's bm25() first counts the documents of every phrase of the MATCH, the committee's
    scope token included: at a million entries in one committee that alone is ~70 ms, and
    ranking every match of a common term (tens of thousands) ~300 ms. So, as on PostgreSQL,
    the newest part of the id range is read until RANK_WINDOW matches are seen (FTS5 seeks to
    a rowid bound in each doclist), the counts are scaled from it, and that window is ranked in
    Python (:func:`_relevance`). Deep pages and ``exact`` use bm25 over every match. Every
    match passes the ``gate`` (what the actor may open) before it is counted or ranked."""
    match = _sqlite_match(actor, terms, "")
    with connection.cursor() as cursor:
        if not exact and offset + limit <= RANK_WINDOW:
            cursor.execute(_ID_RANGE)
            low, high = cursor.fetchone()

            def fetch(start: int) -> list[tuple[Any, ...]]:
                cursor.execute(
                    "SELECT e.id, e.kind, e.date, e.object_id FROM search_fts f "
                    "JOIN search_searchentry e ON e.id = f.rowid "
                    "WHERE search_fts MATCH %s AND f.rowid >= %s", [match, start])
                return gate.keep(cursor.fetchall())

            rows, part = _newest_window(fetch, low, high, FIRST_SHARE, kind, offset + limit)
            by_kind = _counts_by_kind(rows, part)
            # The newest matches of the window, ranked by relevance, newer first among equals.
            wanted = sorted((r for r in rows if not kind or r[1] == kind), key=lambda r: -r[0])
            pool = wanted[:RANK_POOL]
            texts = dict((i, (t, b)) for i, t, b in SearchEntry.objects.filter(
                id__in=[r[0] for r in pool]).values_list("id", "title", "body"))
            needles = [n.lower() for n in query.split() if n]
            pool.sort(key=lambda r: (-_relevance(*texts.get(r[0], ("", "")), needles),
                                     -_as_ts(r[2]), -r[0]))
            return [int(r[0]) for r in pool[offset:offset + limit]], by_kind, part < 1.0
        # Every match, ranked inside the index; ties broken by date.
        cursor.execute(
            "SELECT f.rowid, e.kind, f.rank, e.date, e.object_id FROM search_fts f "
            "JOIN search_searchentry e ON e.id = f.rowid WHERE search_fts MATCH %s", [match])
        ranked = gate.keep(cursor.fetchall())
    by_kind = _counts_by_kind(ranked, 1.0)
    ranked = [r for r in ranked if not kind or r[1] == kind]
    ranked.sort(key=lambda r: (round(r[2], 6), -_as_ts(r[3]), -r[0]))
    return [int(r[0]) for r in ranked[offset:offset + limit]], by_kind, False


# Two sub-selects: each is one index probe; "SELECT MIN(id), MAX(id)" scans the table on SQLite.
_ID_RANGE = ("SELECT (SELECT MIN(id) FROM search_searchentry), "
             "(SELECT MAX(id) FROM search_searchentry)")

# The first pass of the newest-window search reads this share of the id range; RANK_POOL
# bounds how many matches of the window are ranked (their texts are read to rank them).
FIRST_SHARE = 0.02
RANK_POOL = 600


def _as_ts(value: Any) -> float:
    if isinstance(value, str):  # SQLite through a raw cursor

        parsed = parse_datetime(value)
        return parsed.timestamp() if parsed else 0.0
    return float(value.timestamp()) if value else 0.0


def _relevance(title: str, body: str, needles: list[str]) -> float:
    """BM25-like, per query word: a hit in the title counts most, then how often the body
    repeats it (saturating, shorter texts favoured). Every word matches (AND), so no IDF."""
    title, body = (title or "").lower(), (body or "").lower()
    norm = 0.25 + 0.75 * len(body) / 400
    score = 0.0
    for needle in needles:
        tf = body.count(needle)
        score += 2.0 * (needle in title) + tf * 2.2 / (tf + 1.2 * norm)
    return round(score, 6)


# PostgreSQL: a match costs one heap visit (the GIN index has no positions, dates or ranks),
# so at a million documents a common term (tens of thousands of matches) cannot be counted and
# ranked whole in 100 ms. Up to EXACT_LIMIT estimated matches everything is exact; above it the
# total is the planner's estimate ("about N") and relevance ranks the newest matches only,
# found by walking back the id range (ids grow with time) until RANK_WINDOW have been seen.
EXACT_LIMIT = 1500
RANK_WINDOW = 300


def _pg_where(actor: Actor, terms: list[tuple[str, list[str]]], kind: str,
              *, opaque: bool = False) -> tuple[str, list[int | str], list[str]]:
    """``opaque``: the tsqueries come from a sub-select, so the planner uses its default
    selectivity instead of a phrase estimate that is orders of magnitude too low (with that,
    it would rather test every row of an id range than AND the range with the GIN index)."""
    assert actor.committee is not None
    # "+ 0": the committee holds most entries, so its btree index would only add a huge
    # bitmap to AND with the GIN one (seconds at a million rows); filter on the heap instead.
    conditions = ["e.committee_id + 0 = %s"]
    params: list[int | str] = [actor.committee.id]
    tsqueries, ranks = [], []
    by_column: dict[str, list[str]] = {}
    for column, tokens in terms:
        tsq = tsquery_phrase(tokens)
        by_column.setdefault(column, []).append(f"({tsq})")
        ranks.append(f"ts_rank(e.{column}_tsv, to_tsquery('simple', %s))")
        tsqueries.append(tsq)
    # One condition per column with its terms ANDed inside the tsquery: the same rows as one
    # condition per term, but the planner then sees one index condition of ordinary
    # selectivity, not a product of tiny ones that makes it skip ANDing with the id range.
    for column, parts in by_column.items():
        conditions.append(f"e.{column}_tsv @@ (SELECT to_tsquery('simple', %s))" if opaque
                          else f"e.{column}_tsv @@ to_tsquery('simple', %s)")
        params.append(" & ".join(parts))
    if kind:
        conditions.append("e.kind = %s")
        params.append(kind)
    return " AND ".join(conditions), params, [" + ".join(ranks), *tsqueries]


_STATS: dict[str, tuple[float, float, dict[str, float], float]] = {}
STATS_SECONDS = 600


def _pg_estimate(cursor: Any, terms: list[tuple[str, list[str]]]) -> int:
    """The matches expected from ANALYZE's token frequencies: a phrase matches no more documents
    than its rarest token (the planner's own phrase estimate is far too low, because the bigrams
    of a phrase are anything but independent); so do separate terms, which tend to co-occur."""
    share = 1.0
    for column, tokens in terms:
        cached = _STATS.get(column)
        if cached is None or time.monotonic() - cached[0] > STATS_SECONDS:
            cursor.execute(
                "SELECT c.reltuples, s.most_common_elems::text::text[], s.most_common_elem_freqs "
                "FROM pg_class c LEFT JOIN pg_stats s ON s.tablename = c.relname "
                "AND s.attname = %s WHERE c.relname = 'search_searchentry'", [f"{column}_tsv"])
            row = cursor.fetchone() or (0, None, None)
            freqs = dict(zip(row[1] or [], row[2] or [], strict=False))
            cached = (time.monotonic(), float(row[0] or 0),
                      freqs, min(freqs.values()) if freqs else 1.0)
            _STATS[column] = cached
        _at, _rows, freqs, rarest = cached
        # The rarest token bounds the matches (terms of one query are far from independent).
        share = min(share, *(freqs.get(t, rarest) for t in tokens))
    return int(share * max(_STATS[terms[0][0]][1], 0))


def _search_postgres(actor: Actor, terms: list[tuple[str, list[str]]], kind: str, limit: int,
                     offset: int, gate: Gate, exact: bool = False
                     ) -> tuple[list[int], dict[str, int], bool]:
    """(page ids, matches by kind, whether the counts are estimates); every match passes the
    ``gate`` (what the actor may open) before it is counted or ranked."""
    where, params, (rank_sql, *tsqueries) = _pg_where(actor, terms, "")
    select = f"SELECT e.id, e.kind, {rank_sql} AS r, e.date, e.object_id FROM search_searchentry e "  # noqa: S608
    with connection.cursor() as cursor:
        estimate = 0 if exact else _pg_estimate(cursor, terms)
        if exact or estimate <= EXACT_LIMIT or offset + limit > RANK_WINDOW:
            cursor.execute(f"{select}WHERE {where}", [*tsqueries, *params])
            return _ranked_page(gate.keep(cursor.fetchall()), kind, limit, offset, 1.0)
        opaque_where, opaque_params, _ranks = _pg_where(actor, terms, "", opaque=True)
        cursor.execute(_ID_RANGE)
        low, high = cursor.fetchone()
        if len(terms) > 1:
            # Several terms: the estimate is that of the rarest one, but together they may be
            # rare (物业 + 电梯). Ask the GIN index for the rows holding all of them, up to
            # EXACT_LIMIT + 1 (no rank yet: that reads each row's whole tsvector). A small
            # intersection is the whole, exact answer; a large one comes back in id order, and
            # how far into the id range its first EXACT_LIMIT rows reach gives the density.
            with transaction.atomic():
                cursor.execute("SET LOCAL enable_indexscan = off")
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute(f"SELECT e.id FROM search_searchentry e WHERE {opaque_where} "  # noqa: S608
                               "LIMIT %s", [*opaque_params, EXACT_LIMIT + 1])
                found = [int(r[0]) for r in cursor.fetchall()]
            if len(found) <= EXACT_LIMIT:
                cursor.execute(f"{select}WHERE e.id = ANY(%s)",  # noqa: S608
                               [*tsqueries, found])
                return _ranked_page(gate.keep(cursor.fetchall()), kind, limit, offset, 1.0)
            # Rows come in heap order, mostly id order; where updates have moved rows the
            # density is underestimated, which the widening below makes up for.
            span = max(1, (high or 0) - (low or 0) + 1)
            estimate = max(EXACT_LIMIT + 1,
                           int(len(found) * span / max(1, max(found) - (low or 0) + 1)))

        def fetch(start: int) -> list[tuple[Any, ...]]:
            with transaction.atomic():
                # A bitmap of the id range ANDed with the GIN bitmap: heap visits for the
                # matches in the range only (a plain index scan on the id range would read
                # every row in it to test its tsvector).
                cursor.execute("SET LOCAL enable_indexscan = off")
                cursor.execute(f"{select}WHERE {opaque_where} AND e.id >= %s",  # noqa: S608
                               [*tsqueries, *opaque_params, start])
                return gate.keep(cursor.fetchall())

        rows, part = _newest_window(fetch, low, high, 1.5 * RANK_WINDOW / max(estimate, 1),
                                    kind, offset + limit)
    return _ranked_page(rows, kind, limit, offset, part)


def _newest_window(fetch: Callable[[int], list[tuple[Any, ...]]], low: int | None,
                   high: int | None, share: float, kind: str, wanted: int
                   ) -> tuple[list[tuple[Any, ...]], float]:
    """The matches (rows of id, kind, …) among the newest ids, read by ``fetch(first id)``
    from ``share`` of the id range, widened until RANK_WINDOW matches and ``wanted`` of
    ``kind`` are seen, or the whole range is read; and the share of the range read."""
    span = max(1, (high or 0) - (low or 0) + 1)
    share = min(1.0, share)
    while True:
        start = int((high or 0) - span * share) if share < 1.0 else 0
        rows = fetch(start)
        found = sum(1 for r in rows if not kind or r[1] == kind)
        if share >= 1.0 or (len(rows) >= RANK_WINDOW and found >= wanted):
            break
        # Widen to where the density seen so far says enough matches lie (one more pass,
        # usually), rather than by a fixed factor.
        need = max(RANK_WINDOW / max(len(rows), 1), wanted / max(found, 1))
        share = min(1.0, share * min(16.0, max(2.0, 1.3 * need)))
    return rows, ((high or 0) - start + 1) / span if start > (low or 0) else 1.0


def _counts_by_kind(rows: list[tuple[Any, ...]], part: float) -> dict[str, int]:
    """Matches by kind; ``part`` < 1: the rows are that share of the id range, and the counts
    are scaled up to the whole (estimates)."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[str(row[1])] = counts.get(str(row[1]), 0) + 1
    return {k: round(n / part) for k, n in counts.items()} if part < 1.0 else counts


def _ranked_page(rows: list[tuple[Any, ...]], kind: str, limit: int, offset: int,
                 part: float) -> tuple[list[int], dict[str, int], bool]:
    """Rank (id, kind, rank, date) rows; ``part`` < 1: they are the newest ``part`` of the id
    range, and the counts by kind are scaled up to the whole (estimates)."""
    wanted = [r for r in rows if not kind or r[1] == kind]
    wanted.sort(key=lambda r: (-r[2], -r[3].timestamp(), -r[0]))
    return ([int(r[0]) for r in wanted[offset:offset + limit]], _counts_by_kind(rows, part),
            part < 1.0)


def search(actor: Actor, query: str, *, kind: str = "", limit: int = 20, offset: int = 0,
           exact: bool = False) -> Results:
    """Search the actor's committee: only records the actor may open (each kind's
    ``visible(actor)``); an empty query finds nothing (it never lists everything).

    ``exact``: count every match even where the search would estimate (slow on huge sets)."""
    terms = [t for t in query_terms(query) if t[1]][:MAX_TERMS]
    if not terms or actor.committee is None:
        return Results(hits=[], total=0, facets={"kind": {}})
    gate = Gate(actor)
    estimated = False
    if connection.vendor == "postgresql":
        page_ids, by_kind, estimated = _search_postgres(actor, terms, kind, limit, offset, gate,
                                                        exact)
    else:
        page_ids, by_kind, estimated = _search_sqlite(actor, terms, kind, limit, offset, gate,
                                                      exact, query)
    total = by_kind.get(kind, 0) if kind else sum(by_kind.values())
    by_id = SearchEntry.objects.in_bulk(page_ids)
    hits = [_hit(by_id[i], query) for i in page_ids if i in by_id]
    return Results(hits=hits, total=total, facets={"kind": by_kind}, estimated=estimated)


def _hit(entry: SearchEntry, query: str) -> Hit:
    first = (query or "").split()[0].lower() if (query or "").split() else ""
    source = entry.body if first and first in entry.body.lower() else f"{entry.title} {entry.body}"
    snippet, spans = highlight(source, query or "", width=90)
    return Hit(entry=entry, snippet=snippet, spans=spans)
