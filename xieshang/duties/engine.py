"""Computing scores from facts and rules, with every point traced to its record."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

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


def band_for(bands: list[Band], total: Decimal) -> str:
    for band in sorted(bands, key=lambda b: -b.min_score):
        if total >= band.min_score:
            return band.name
    return ""


def score_lines(rule_set: RuleSet, rules: list[Rule], facts: list[Fact], year: int,
                ) -> list[ScoreLine]:
    """The lines of the facts (of any members), with caps applied per member and rule."""
    running: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    lines = []
    for fact in facts:
        rule = match_rule(rules, fact.kind)
        if rule is None:
            continue
        points = rule.points * Decimal(str(fact.quantity))
        capped = False
        if rule.cap is not None:
            key = (fact.member_id, rule.id)
            so_far = running[key]
            limit = abs(rule.cap)
            if abs(so_far + points) > limit:
                allowed = (limit - abs(so_far)) if abs(so_far) < limit else Decimal(0)
                points = allowed if points >= 0 else -allowed
                capped = True
            running[key] = so_far + points
        lines.append(ScoreLine(
            committee_id=rule_set.committee_id, member_id=fact.member_id, year=year, rule=rule,
            kind=fact.kind, date=fact.date, ref_type=fact.ref_type, ref_id=fact.ref_id,
            label=fact.label[:300], points=points, capped=capped,
        ))
    return lines


@transaction.atomic
def recompute(committee: Committee, year: int, member_ids: list[int] | None = None) -> Result:
    """Recompute the scores of ``committee`` for ``year`` (all members, or some)."""
    rule_set = RuleSet.objects.filter(committee=committee, year=year).first()
    ids = member_ids if member_ids is not None else members_in_year(committee, year)
    ScoreLine.objects.filter(committee=committee, year=year, member_id__in=ids).delete()
    if rule_set is None:
        Score.objects.filter(committee=committee, year=year, member_id__in=ids).delete()
        return Result(members=0, lines=0, facts=0)
    start, end = year_bounds(year)
    facts = collect(committee.id, start, end, set(ids))
    rules = ordered_rules(rule_set)
    bands = list(rule_set.bands.all())
    lines = score_lines(rule_set, rules, facts, year)
    ScoreLine.objects.bulk_create(lines, batch_size=2000)
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        totals[line.member_id] += line.points
    now = timezone.now()
    existing = {s.member_id: s for s in
                Score.objects.filter(committee=committee, year=year, member_id__in=ids)}
    to_create, to_update = [], []
    for member_id in ids:
        total = rule_set.base_points + totals.get(member_id, Decimal(0))
        if rule_set.max_points is not None:
            total = min(total, rule_set.max_points)
        band = band_for(bands, total)
        score = existing.get(member_id)
        if score is None:
            to_create.append(Score(committee=committee, member_id=member_id, year=year,
                                   total=total, band=band, computed_at=now))
        else:
            score.total, score.band, score.computed_at = total, band, now
            to_update.append(score)
    Score.objects.bulk_create(to_create, batch_size=2000)
    Score.objects.bulk_update(to_update, ["total", "band", "computed_at"], batch_size=2000)
    return Result(members=len(ids), lines=len(lines), facts=len(facts))
