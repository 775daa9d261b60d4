from __future__ import annotations

from django.db.models import QuerySet

from xieshang.core.permissions import Actor
from xieshang.core.tenancy import scoped
from xieshang.duties.facts import Fact, collect
from xieshang.duties.models import DutyWarning, Score, ScoreLine
from xieshang.members.models import Member


def record_facts(member: Member, year: int) -> list[Fact]:
    import datetime as dt

    return collect(member.committee_id, dt.date(year, 1, 1), dt.date(year, 12, 31), {member.id})


def score_of(actor: Actor, member: Member, year: int) -> Score | None:
    return scoped(actor, Score).filter(member=member, year=year).first()


def lines_of(actor: Actor, member: Member, year: int) -> QuerySet[ScoreLine]:
    return scoped(actor, ScoreLine).filter(member=member, year=year).select_related("rule")


def ranking(actor: Actor, year: int, *, sector: str = "") -> QuerySet[Score]:
    qs = scoped(actor, Score).filter(year=year).select_related("member", "member__sector")
    if sector.isdigit():
        qs = qs.filter(member__sector_id=int(sector))
    return qs.order_by("-total", "member__name")


def open_warnings(actor: Actor) -> QuerySet[DutyWarning]:
    return scoped(actor, DutyWarning).filter(resolved_at__isnull=True).select_related(
        "member", "rule")
