from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import pgettext_lazy

from xieshang.core.http import as_id
from xieshang.core.permissions import Actor
from xieshang.core.tenancy import scoped
from xieshang.duties import permissions
from xieshang.duties.facts import Fact, collect, known_kinds
from xieshang.duties.models import (
    DutyRecomputeRequest,
    DutyWarning,
    ManualItem,
    Score,
    ScoreLine,
    SelfReport,
    SelfReportEvent,
)
from xieshang.members.models import Member

# --- who may open what (pages, API and lists fetch through these) --------------------------

def visible_self_reports(actor: Actor) -> QuerySet[SelfReport]:
    """Self-reports (述职) the actor may read: their own; every one for the staff who review."""
    qs = scoped(actor, SelfReport)
    if actor.committee is None:
        return qs.none()
    if permissions.can_review_self_reports(actor):
        return qs
    return qs.filter(member_id=actor.member_id) if actor.member_id is not None else qs.none()


def record_facts(member: Member, year: int) -> list[Fact]:
    return collect(member.committee_id, dt.date(year, 1, 1), dt.date(year, 12, 31), {member.id})


def recompute_pending(committee_id: int, year: int) -> bool:
    """Is a recomputation of the committee-year asked for and not yet done (the record page
    says the score is being updated)?"""
    return DutyRecomputeRequest.objects.filter(committee_id=committee_id, year=year).exists()


def score_of(actor: Actor, member: Member, year: int) -> Score | None:
    return scoped(actor, Score).filter(member=member, year=year).first()


def lines_of(actor: Actor, member: Member, year: int) -> QuerySet[ScoreLine]:
    return scoped(actor, ScoreLine).filter(member=member, year=year).select_related("rule")


def distribution(scores: list[Decimal] | list[float], width: int = 20,
                 top: int = 100) -> list[tuple[str, int]]:
    """Scores by bucket, each label saying the range it really holds: ``<0`` (only when some
    score is negative), ``0–19`` … ``80–99``, then ``≥100`` for every score from ``top`` up
    (scores have no upper limit: rules add points without a cap)."""
    rows: list[tuple[str, int]] = []
    negative = sum(1 for s in scores if s < 0)
    if negative:
        rows.append(("<0", negative))
    for low in range(0, top, width):
        rows.append((f"{low}–{low + width - 1}", sum(1 for s in scores if low <= s < low + width)))
    rows.append((f"≥{top}", sum(1 for s in scores if s >= top)))
    return rows


def ranking(actor: Actor, year: int, *, sector: str = "") -> QuerySet[Score]:
    qs = scoped(actor, Score).filter(year=year).select_related("member", "member__sector")
    if (sector_id := as_id(sector)) is not None:
        qs = qs.filter(member__sector_id=sector_id)
    return qs.order_by("-total", "member__name")


def open_warnings(actor: Actor) -> QuerySet[DutyWarning]:
    return scoped(actor, DutyWarning).filter(resolved_at__isnull=True).select_related(
        "member", "rule")


# --- the record in figures, and yearly self-reports ----------------------------------------

def kind_label(kind: str, labels: dict[str, str]) -> str:
    """The label of a kind: its own, else its family's (``activity.attended:*``)."""
    if kind in labels:
        return labels[kind]
    family = kind.split(":", maxsplit=1)[0] + ":*"
    if family in labels:
        return labels[family]
    # A kind no source describes (an app switched off, an old rule): never show its code.
    return str(pgettext_lazy("duties", "Other duty records"))


def record_figures(member: Member, year: int) -> dict[str, Any]:
    """What a self-report is written against: the counts of each kind of record, the score."""
    labels = known_kinds()
    counts: dict[str, int] = {}
    for fact in record_facts(member, year):
        label = kind_label(fact.kind, labels)
        counts[label] = counts.get(label, 0) + 1
    score = Score.objects.filter(member=member, year=year).first()
    return {
        "year": year,
        "counts": [{"label": k, "count": v} for k, v in counts.items()],
        "score": None if score is None else str(score.total.normalize()),
        "band": "" if score is None else score.band,
    }


def members_of_year(actor: Actor, year: int) -> QuerySet[Member]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return (scoped(actor, Member).filter(joined_on__lte=end)
            .filter(Q(left_on__isnull=True) | Q(left_on__gte=start))
            .select_related("sector", "user").order_by("sector__order", "name", "id"))


def self_reports(actor: Actor, year: int) -> QuerySet[SelfReport]:
    return scoped(actor, SelfReport).filter(year=year).select_related("member",
                                                                        "member__sector")


def self_report_collection(actor: Actor, year: int
                           ) -> tuple[list[tuple[Member, SelfReport]],
                                      list[tuple[Member, SelfReport | None]]]:
    """(member, report) of those who submitted, and of those who have not (a draft, a report
    returned for revision, or nothing yet)."""
    reports = {r.member_id: r for r in self_reports(actor, year)}
    done: list[tuple[Member, SelfReport]] = []
    missing: list[tuple[Member, SelfReport | None]] = []
    for member in members_of_year(actor, year):
        report = reports.get(member.id)
        if report is not None and report.status in SUBMITTED_STATES:
            done.append((member, report))
        else:
            missing.append((member, report))
    return done, missing


SUBMITTED_STATES = (SelfReport.Status.SUBMITTED, SelfReport.Status.ACCEPTED)


def self_report_history(report: SelfReport) -> list[SelfReportEvent]:
    """The report's events, oldest first (each labels its step: ``action_label``)."""
    return list(report.events.all())


def manual_items_visible(actor: Actor) -> QuerySet[ManualItem]:
    """Items recorded by hand: the office sees the committee's, a member their own, no one
    else any (pages, API and downloads fetch through this)."""
    rows = scoped(actor, ManualItem).select_related("member", "created_by", "voided_by")
    if permissions.can_manage(actor):
        return rows
    if actor.member_id is not None:
        return rows.filter(member_id=actor.member_id)
    return rows.none()
