"""Reads of the opinions app, with their select_related/prefetch_related."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from xieshang.core import clock, policy
from xieshang.core.http import as_id, query_date
from xieshang.core.models import Committee
from xieshang.core.permissions import Actor
from xieshang.core.tenancy import get_scoped_or_404, scoped
from xieshang.members.models import Member
from xieshang.opinions import permissions
from xieshang.opinions.models import (
    Bulletin,
    Correspondent,
    OpinionEvent,
    OpinionOutcome,
    OpinionReport,
    OpinionVersion,
    Topic,
)
from xieshang.opinions.policies import QUOTA_MEMBER, QUOTA_STANDING

S = OpinionReport.Status
LIST_RELATED = ("committee", "sector", "source_committee", "author_member")


# --- who may open what (the one definition per kind; pages, API, lists, search) -----------

def visible(actor: Actor) -> QuerySet[OpinionReport]:
    """Reports the actor may open: every report of the committee for its editors, signers and
    leaders (``permissions.READER_ROLES``); the author their own (a member, a collective body,
    or the correspondent who sent it). Other staff do not read them."""
    qs = scoped(actor, OpinionReport)
    if actor.committee is None:
        return qs.none()
    if actor.has(*permissions.READER_ROLES):
        return qs
    cond = Q(pk__in=[])
    if actor.member_id is not None:
        cond |= Q(author_member_id=actor.member_id)
    if actor.body_ids:
        cond |= Q(author_body_id__in=actor.body_ids)
    if actor.user is not None:
        cond |= Q(author_kind="correspondent", submitted_by=actor.user)
    return qs.exclude(author_kind="committee").filter(cond)


def visible_topics(actor: Actor) -> QuerySet[Topic]:
    """Residents' topics (有事好商量) inside the platform: the staff who screen them. (Concluded
    topics are public on the committee's public page, by their own rule.)"""
    if not permissions.can_screen_topics(actor):
        return scoped(actor, Topic).none()
    return scoped(actor, Topic)


def visible_bulletins(actor: Actor) -> QuerySet[Bulletin]:
    """Bulletins (信息专报) of the committee: for their editors, signers and leaders."""
    if not permissions.can_view_bulletins(actor):
        return scoped(actor, Bulletin).none()
    return scoped(actor, Bulletin)


def _outcome(**kw: Any) -> Q:
    return Q(Exists(OpinionOutcome.objects.filter(lineage=OuterRef("pk"), **kw)))


_OWN = Q(origin__isnull=True) & ~Q(status=OpinionReport.Status.WITHDRAWN)
_ADOPTED = OpinionOutcome.Kind.ADOPTED
# What a figure of the statistics page counts, as a filter of the list its number links to
# (``fact=…``; opinions.figures): the list then holds exactly the reports counted. The period
# filters the submission date, except for reports sent up: the date they were sent.
FACTS: dict[str, tuple[Promise, Q]] = {
    "submitted": (_("Raised here (not withdrawn)"), _OWN),
    "used": (_("Used (signed off or published)"), _OWN & Q(status__in=[
        OpinionReport.Status.SIGNED_OFF, OpinionReport.Status.PUBLISHED,
        OpinionReport.Status.SENT])),
    "reported_up": (_("Sent up to the higher committee"), Q(reported_up_at__isnull=False)),
    "adopted": (_("Adopted"), _OWN & _outcome(kind=_ADOPTED)),
    "adopted_upper": (_("Adopted by a higher committee"),
                      _OWN & _outcome(kind=_ADOPTED, level__in=["city", "province", "national"])),
    **{f"adopted_{level}": (format_lazy("{} · {}", _("Adopted"), label),
                            _OWN & _outcome(kind=_ADOPTED, level=level))
       for level, label in Committee.Level.choices},
    "instruction": (_("With leaders' written instructions"),
                    _OWN & _outcome(kind=OpinionOutcome.Kind.INSTRUCTION)),
}


@dataclass
class ReportFilters:
    q: str = ""
    status: str = ""
    category: str = ""
    sector: str = ""
    author: str = ""
    level: str = ""  # "own": raised here; "received": reported up from below
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    fact: str = ""  # a key of FACTS: what a figure counted

    @classmethod
    def from_query(cls, data: Any) -> ReportFilters:
        def date(key: str) -> dt.date | None:
            return query_date(data, key)

        return cls(q=(data.get("q") or "").strip()[:50], status=data.get("status") or "",
                   category=data.get("category") or "", sector=data.get("sector") or "",
                   author=(data.get("author") or "").strip()[:50],
                   level=data.get("level") or "", date_from=date("from"), date_to=date("to"),
                   fact=(data.get("fact") or "")[:30])


def report_list(actor: Actor, filters: ReportFilters | None = None) -> QuerySet[OpinionReport]:
    f = filters or ReportFilters()
    qs = visible(actor).select_related(*LIST_RELATED)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.sector:
        sector_id = as_id(f.sector)
        qs = qs.filter(sector_id=sector_id) if sector_id is not None else qs.none()
    if f.author:
        qs = qs.filter(author_name__contains=f.author)
    if f.level == "own":
        qs = qs.filter(origin__isnull=True)
    elif f.level == "received":
        qs = qs.filter(origin__isnull=False)
    if f.fact:
        fact = FACTS.get(f.fact)
        qs = qs.filter(fact[1]) if fact else qs.none()
    dated = "reported_up_at" if f.fact == "reported_up" else "submitted_at"
    if f.date_from:
        qs = qs.filter(**{f"{dated}__date__gte": f.date_from})
    if f.date_to:
        qs = qs.filter(**{f"{dated}__date__lte": f.date_to})
    if f.q:
        qs = qs.filter(Q(title__contains=f.q) | Q(situation__contains=f.q)
                       | Q(analysis__contains=f.q) | Q(suggestion__contains=f.q)
                       | Q(body__contains=f.q) | Q(author_name__contains=f.q))
    return qs.order_by("-submitted_at", "-id")


def my_reports(actor: Actor) -> QuerySet[OpinionReport]:
    qs = visible(actor).select_related(*LIST_RELATED).filter(origin__isnull=True)
    mine = Q(submitted_by=actor.user) if actor.user is not None else Q(pk__in=[])
    if actor.member_id:
        mine |= Q(author_member_id=actor.member_id)
    if actor.body_ids:
        mine |= Q(author_body_id__in=actor.body_ids)
    return qs.filter(mine).annotate(n_outcomes=Count("visible_outcomes", distinct=True))


INBOXES: dict[str, Q] = {
    "to_edit": Q(status=S.SUBMITTED, origin__isnull=True) | Q(status=S.EDITING),
    "to_sign": Q(status=S.EDITING),
    "to_publish": Q(status=S.SIGNED_OFF),
    "to_send": Q(status=S.PUBLISHED),
    "received": Q(status=S.SUBMITTED, origin__isnull=False),
}


def inbox(actor: Actor, name: str) -> QuerySet[OpinionReport]:
    return visible(actor).select_related(*LIST_RELATED).filter(
        INBOXES[name]).order_by("submitted_at", "id")


def report_for_page(actor: Actor, pk: int) -> OpinionReport:
    """The report page's fetch: 404 unless the actor may open it (:func:`visible`)."""
    return get_scoped_or_404(
        actor, visible(actor).select_related(
            "committee", "sector", "source_committee", "author_member", "author_body",
            "merged_into", "root", "origin", "submitted_by", "signed_off_by"),
        pk=pk)


def events_of(report: OpinionReport) -> list[OpinionEvent]:
    return list(report.events.select_related("actor").order_by("at", "id"))


def versions_of(report: OpinionReport) -> list[OpinionVersion]:
    return list(report.versions.order_by("number"))


def outcomes_visible_on(report: OpinionReport) -> list[OpinionOutcome]:
    """Outcomes recorded on this report or on any copy above it (they flow back down)."""
    return list(OpinionOutcome.objects.filter(lineage=report)
                .select_related("committee", "bulletin", "report").order_by("date", "id"))


@dataclass
class ChainStep:
    committee: Committee
    status: str
    status_label: str
    received_at: dt.datetime
    published_at: dt.datetime | None


def upward_chain(report: OpinionReport) -> list[ChainStep]:
    """Where this report went above this committee: one step per level, no text.

    Read across committees on purpose: the author is told how far the report went."""
    out: list[ChainStep] = []
    current = report
    for _level in range(6):
        nxt = (OpinionReport.objects.filter(origin=current).select_related("committee")
               .order_by("id").first())
        if nxt is None:
            break
        out.append(ChainStep(nxt.committee, nxt.status, nxt.get_status_display(),
                             nxt.submitted_at, nxt.published_at))
        current = nxt.merged_into if nxt.merged_into_id and nxt.merged_into else nxt
    return out


def outcomes_for_member(member: Member) -> QuerySet[OpinionOutcome]:
    """Every outcome at any level on the member's own reports (for the duty record)."""
    return (OpinionOutcome.objects.filter(lineage__author_member=member,
                                          lineage__origin__isnull=True)
            .select_related("committee", "bulletin", "report")
            .prefetch_related(Prefetch("lineage", queryset=OpinionReport.objects.filter(
                author_member=member, origin__isnull=True), to_attr="member_reports"))
            .distinct().order_by("date", "id"))


def reports_for_member(member: Member, year: int | None = None) -> QuerySet[OpinionReport]:
    qs = OpinionReport.objects.filter(author_member=member, origin__isnull=True).exclude(
        status=S.WITHDRAWN)
    if year:
        qs = qs.filter(submitted_at__year=year)
    return qs


# --- versions and diffs -----------------------------------------------------------

def version_text(v: OpinionVersion | OpinionReport) -> str:
    parts = [("标题", v.title), ("情况", v.situation), ("分析", v.analysis),
             ("建议", v.suggestion), ("正文", v.body)]
    return "\n".join(f"【{label}】{text}" for label, text in parts if text)


def diff_segments(old: str, new: str) -> list[tuple[str, str]]:
    """Character-level diff (Chinese has no spaces): [("equal"|"insert"|"delete", text)]."""
    out: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            out.append(("equal", old[a0:a1]))
        else:
            if a1 > a0:
                out.append(("delete", old[a0:a1]))
            if b1 > b0:
                out.append(("insert", new[b0:b1]))
    return out


def version_diff(report: OpinionReport, a: int, b: int) -> tuple[OpinionVersion,
                                                                  OpinionVersion,
                                                                  list[tuple[str, str]]]:
    va = report.versions.get(number=a)
    vb = report.versions.get(number=b)
    return va, vb, diff_segments(version_text(va), version_text(vb))


# --- bulletins, quotas ---------------------------------------------------------------

def bulletin_list(actor: Actor) -> QuerySet[Bulletin]:
    return visible_bulletins(actor).annotate(n_reports=Count("items")).order_by("-year",
                                                                                "-number")


def bulletin_reports(bulletin: Bulletin) -> list[OpinionReport]:
    return [item.report for item in bulletin.items.select_related("report").order_by(
        "order", "id")]


@dataclass
class QuotaRow:
    member: Member
    quota: int
    submitted: int
    adopted: int

    @property
    def met(self) -> bool:
        return self.submitted >= self.quota


def quota_progress(actor: Actor, year: int | None = None) -> list[QuotaRow]:
    committee = actor.committee
    if committee is None:
        return []
    year = year or clock.today().year
    standing = int(policy.get(committee, QUOTA_STANDING))
    ordinary = int(policy.get(committee, QUOTA_MEMBER))
    members = scoped(actor, Member).filter(status=Member.Status.ACTIVE).select_related(
        "sector").annotate(
        n_submitted=Count("opinion_reports", distinct=True, filter=Q(
            opinion_reports__submitted_at__year=year, opinion_reports__origin__isnull=True)
            & ~Q(opinion_reports__status=S.WITHDRAWN)),
        n_adopted=Count("opinion_reports", distinct=True, filter=Q(
            opinion_reports__submitted_at__year=year,
            opinion_reports__visible_outcomes__kind=OpinionOutcome.Kind.ADOPTED)),
    ).order_by("sector__order", "name", "id")
    return [QuotaRow(m, standing if m.is_standing else ordinary, m.n_submitted, m.n_adopted)
            for m in members]


def member_quota(actor: Actor, year: int | None = None) -> QuotaRow | None:
    if actor.member_id is None or actor.committee is None:
        return None
    year = year or clock.today().year
    member = scoped(actor, Member).filter(pk=actor.member_id).first()
    if member is None:
        return None
    quota = int(policy.get(actor.committee, QUOTA_STANDING if member.is_standing
                           else QUOTA_MEMBER))
    reports = reports_for_member(member, year)
    adopted = reports.filter(visible_outcomes__kind=OpinionOutcome.Kind.ADOPTED).distinct()
    return QuotaRow(member, quota, reports.count(), adopted.count())


def correspondent_for_user(user: Any) -> Correspondent | None:
    return (Correspondent.objects.select_related("committee")
            .filter(user=user, is_active=True, committee__is_active=True).first())


# --- topics ---------------------------------------------------------------------------

def topic_list(actor: Actor, *, status: str = "", q: str = "") -> QuerySet[Topic]:
    qs = visible_topics(actor).select_related("merged_into")
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(title__contains=q) | Q(description__contains=q) | Q(place__contains=q))
    return qs.order_by("-created_at", "-id")


def public_topics(committee: Committee) -> QuerySet[Topic]:
    """Topics whose result is published, for the committee's public page."""
    return Topic.objects.filter(committee=committee, status=Topic.Status.CONCLUDED).order_by(
        "-result_published_at", "-id")


def topic_by_code(committee: Committee, code: str) -> Topic | None:
    # Read aloud or copied from a message, a code arrives with spaces or dashes in it.
    code = re.sub(r"[\s\-_.·]+", "", code or "").upper()
    if not code or len(code) > 16:
        return None
    return (Topic.objects.filter(committee=committee, tracking_code=code)
            .select_related("merged_into").first())
