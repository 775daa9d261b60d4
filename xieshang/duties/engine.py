"""Computing scores from facts and rules, with every point traced to its record."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection, models, transaction
from django.db.models import Q, QuerySet

from xieshang.core import clock
from xieshang.core.models import Committee
from xieshang.duties.facts import Fact, collect, kind_matches
from xieshang.duties.models import Band, Rule, RuleSet, Score, ScoreLine
from xieshang.members.models import Member


@dataclass
class Result:
    members: int
    lines: int
    facts: int


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def members_in_year(committee: Committee, year: int) -> list[int]:
    start, end = year_bounds(year)
    return list(
        Member.objects.filter(committee=committee, joined_on__lte=end)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=start))
        .values_list("id", flat=True)
    )


def ordered_rules(rule_set: RuleSet) -> list[Rule]:
    """Exact kinds before families (wildcards), then by the order staff gave them."""
    rules = list(rule_set.rules.all())
    return sorted(rules, key=lambda r: (r.kind.endswith("*"), r.order, r.id))


def match_rule(rules: list[Rule], kind: str) -> Rule | None:
    return next((r for r in rules if kind_matches(r.kind, kind)), None)


class RuleMatcher:
    """``match_rule`` remembered per kind: a year has few kinds and very many facts."""

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules
        self.cache: dict[str, Rule | None] = {}

    def __call__(self, kind: str) -> Rule | None:
        try:
            return self.cache[kind]
        except KeyError:
            rule = self.cache[kind] = match_rule(self.rules, kind)
            return rule


def band_for(bands: list[Band], total: Decimal) -> str:
    for band in sorted(bands, key=lambda b: -b.min_score):
        if total >= band.min_score:
            return band.name
    return ""


class Line(NamedTuple):
    """A score line before it is stored (a model instance each would cost more than the sum)."""

    member_id: int
    rule_id: int
    kind: str
    date: dt.date
    ref_type: str
    ref_id: str
    label: str
    points: Decimal
    capped: bool


def score_lines(rule_set: RuleSet, rules: list[Rule], facts: list[Fact], year: int,
                ) -> list[Line]:
    """The lines of the facts (of any members), with caps applied per member and rule."""
    running: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    lines = []
    matcher = RuleMatcher(rules)
    quantities: dict[float, Decimal] = {}
    zero = Decimal(0)
    for fact in facts:
        rule = matcher(fact.kind)
        if rule is None:
            continue
        quantity = quantities.get(fact.quantity)
        if quantity is None:
            quantity = quantities[fact.quantity] = Decimal(str(fact.quantity))
        points = rule.points * quantity
        capped = False
        if rule.cap is not None:
            key = (fact.member_id, rule.id)
            so_far = running[key]
            limit = abs(rule.cap)
            if abs(so_far + points) > limit:
                allowed = (limit - abs(so_far)) if abs(so_far) < limit else zero
                points = allowed if points >= 0 else -allowed
                capped = True
            running[key] = so_far + points
        lines.append(Line(fact.member_id, rule.id, fact.kind, fact.date, fact.ref_type,
                          fact.ref_id, fact.label[:300], points, capped))
    return lines


def _insert(model: type[models.Model], columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert plain rows: COPY on PostgreSQL, one prepared statement many times elsewhere.

    The ORM's ``bulk_create`` builds a model instance and converts every value of every row in
    Python; for hundreds of thousands of score lines that is most of the time of a recompute.
    Values here are already what the columns store (ints, strings, dates, Decimals, bools).
    """
    if not rows:
        return
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    cols = ", ".join(ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"  # noqa: S608 - names quoted
        # Dates and times in the backend's own format, as the ORM would send them.
        adapt = [(i, ops.adapt_datetimefield_value if isinstance(v, dt.datetime)
                  else ops.adapt_datefield_value)
                 for i, v in enumerate(rows[0]) if isinstance(v, dt.date)]
        for i in range(0, len(rows), BATCH):
            batch: list[list[Any]] = [list(values) for values in rows[i:i + BATCH]]
            for values in batch:
                for j, fn in adapt:
                    values[j] = fn(values[j])
            cursor.executemany(sql, batch)


BATCH = 5000


def _chunks(ids: list[int], size: int = 900) -> list[list[int]]:
    # SQLite limits the parameters of one statement; a partial recompute names few members.
    return [ids[i:i + size] for i in range(0, len(ids), size)]


def _delete(qs: QuerySet[Any]) -> None:
    """One DELETE statement. ``QuerySet.delete()`` would first fetch every id (some app listens
    to delete signals of all models) and then send them back: 300,000 ids for a province.
    Scores and their lines are derived rows that nothing refers to and nobody listens for."""
    qs._raw_delete(qs.db)


@transaction.atomic
def recompute(committee: Committee, year: int, member_ids: list[int] | None = None) -> Result:
    """Recompute the scores of ``committee`` for ``year`` (all members, or some).

    The number of queries does not depend on the number of members: facts come from one query
    per source, old lines and scores go in one delete each (per chunk of named members), and
    the new ones are written in batches.
    """
    rule_set = RuleSet.objects.filter(committee=committee, year=year).first()
    everyone = member_ids is None
    ids = members_in_year(committee, year) if member_ids is None else list(member_ids)
    if everyone:
        _delete(ScoreLine.objects.filter(committee=committee, year=year))
        _delete(Score.objects.filter(committee=committee, year=year))
    else:
        for chunk in _chunks(ids):
            _delete(ScoreLine.objects.filter(committee=committee, year=year,
                                             member_id__in=chunk))
            _delete(Score.objects.filter(committee=committee, year=year, member_id__in=chunk))
    if rule_set is None:
        return Result(members=0, lines=0, facts=0)
    start, end = year_bounds(year)
    facts = collect(committee.id, start, end, set(ids))
    rules = ordered_rules(rule_set)
    bands = sorted(rule_set.bands.all(), key=lambda b: -b.min_score)
    lines = score_lines(rule_set, rules, facts, year)
    cid = committee.pk
    _insert(ScoreLine, ["committee_id", "member_id", "year", "rule_id", "kind", "date",
                        "ref_type", "ref_id", "label", "points", "capped"],
            [(cid, m, year, r, k, d, rt, ri, lb, p, c) for m, r, k, d, rt, ri, lb, p, c in lines])
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        totals[line.member_id] += line.points
    now = clock.now()
    scores = []
    for member_id in ids:
        total = rule_set.base_points + totals.get(member_id, Decimal(0))
        if rule_set.max_points is not None:
            total = min(total, rule_set.max_points)
        scores.append((cid, member_id, year, total, band_for(bands, total), now))
    _insert(Score, ["committee_id", "member_id", "year", "total", "band", "computed_at"], scores)
    return Result(members=len(ids), lines=len(lines), facts=len(facts))
