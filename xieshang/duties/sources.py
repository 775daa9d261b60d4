"""Fact sources. Each area of work registers one; the built-in one reads manual items.

The proposals, opinions and activities apps register their sources here too (see
``register_builtin``), each guarded so that an app that is not installed adds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieshang.duties.facts import Fact, register_source
from xieshang.duties.models import ManualItem


def manual_facts(committee_id: int, start: dt.date, end: dt.date) -> Iterator[Fact]:
    rows = ManualItem.objects.filter(
        committee_id=committee_id, date__gte=start, date__lte=end, voided_at__isnull=True,
    ).values_list("id", "member_id", "date", "code", "description")
    for pk, member_id, date, code, description in rows:
        yield Fact(member_id=member_id, kind=f"manual:{code}", date=date,
                   ref_type="duties.manualitem", ref_id=str(pk), label=description)


def activity_facts(committee_id: int, start: dt.date, end: dt.date) -> Iterator[Fact]:
    """Attendance, leave and absence at held activities whose type counts for duty; speeches."""
    # Optional apps: each is imported only where register_builtin found it installed.
    from xieshang.activities.models import Activity, Invitation, Speech

    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    rows = (Invitation.objects.filter(
        committee_id=committee_id, activity__status=Activity.Status.HELD,
        activity__start__gte=lo, activity__start__lt=hi, activity__type__counts_for_duty=True)
        .values_list("id", "member_id", "activity__start", "activity__type__code",
                     "activity__title", "status", "attendance"))
    tz = timezone.get_current_timezone()
    for pk, member_id, when, code, title, status, attendance in rows:
        day = when.astimezone(tz).date()
        if attendance in (Invitation.Attendance.ATTENDED, Invitation.Attendance.LATE):
            kind, verb = f"activity.attended:{code}", "参加"
        elif status == Invitation.Status.LEAVE_APPROVED:
            kind, verb = f"activity.absent_excused:{code}", "请假"
        elif attendance == Invitation.Attendance.ABSENT:
            kind, verb = f"activity.absent_unexcused:{code}", "无故缺席"
        else:
            continue
        yield Fact(member_id=member_id, kind=kind, date=day, ref_type="activities.invitation",
                   ref_id=str(pk), label=f"{verb}“{title}”")
    speeches = Speech.objects.filter(committee_id=committee_id, submitted_at__gte=lo,
                                     submitted_at__lt=hi).values_list(
        "id", "member_id", "submitted_at", "title")
    for pk, member_id, when, title in speeches:
        yield Fact(member_id=member_id, kind="speech.submitted",
                   date=when.astimezone(tz).date(), ref_type="activities.speech",
                   ref_id=str(pk), label=f"提交发言《{title}》")


UPPER_LEVELS = ("city", "province", "national")


def opinion_facts(committee_id: int, start: dt.date, end: dt.date) -> Iterator[Fact]:
    """Reports members wrote here, and what became of them at any level (adopted, instructed).

    An outcome recorded at the city or province on the copy sent up counts for the author of
    the original county report: outcomes are linked to every report of their chain.
    """
    # Optional app (see register_builtin).
    from xieshang.opinions.models import OpinionOutcome, OpinionReport

    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    reports = (OpinionReport.objects.filter(
        committee_id=committee_id, origin__isnull=True, author_member__isnull=False,
        submitted_at__gte=lo, submitted_at__lt=hi)
        .exclude(status=OpinionReport.Status.WITHDRAWN)
        .values_list("id", "author_member_id", "submitted_at", "title"))
    tz = timezone.get_current_timezone()
    for pk, member_id, when, title in reports:
        yield Fact(member_id=member_id, kind="opinion.submitted",
                   date=when.astimezone(tz).date(), ref_type="opinions.opinionreport",
                   ref_id=str(pk), label=f"报送社情民意《{title}》")
    outcomes = (OpinionOutcome.objects.filter(
        date__gte=start, date__lte=end, lineage__committee_id=committee_id,
        lineage__origin__isnull=True, lineage__author_member__isnull=False)
        .values_list("id", "lineage__author_member_id", "date", "kind", "level",
                     "committee__name", "lineage__title").distinct())
    for pk, member_id, day, kind, level, where, title in outcomes:
        if kind == OpinionOutcome.Kind.ADOPTED:
            yield Fact(member_id=member_id, kind="opinion.adopted", date=day,
                       ref_type="opinions.opinionoutcome", ref_id=str(pk),
                       label=f"《{title}》被{where}采用")
            if level in UPPER_LEVELS:
                yield Fact(member_id=member_id, kind="opinion.adopted_city_plus", date=day,
                           ref_type="opinions.opinionoutcome", ref_id=f"{pk}-upper",
                           label=f"《{title}》被{where}（市级及以上）采用")
        elif kind == OpinionOutcome.Kind.INSTRUCTION:
            yield Fact(member_id=member_id, kind="opinion.instruction", date=day,
                       ref_type="opinions.opinionoutcome", ref_id=str(pk),
                       label=f"《{title}》获领导批示")


def proposal_facts(committee_id: int, start: dt.date, end: dt.date) -> Iterator[Fact]:
    """Proposals as first proposer and as confirmed co-proposer: submitted, filed, key, excellent.

    Submission counts on the day it was submitted; filing and key on the filing day; excellent
    on the date of the resolution that selected it.
    """
    # Optional app (see register_builtin).
    from xieshang.proposals.figures import excellent_selected
    from xieshang.proposals.models import Proposal, ProposalCoProposer, Status

    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    base = Proposal.objects.filter(committee_id=committee_id).exclude(
        status__in=[Status.DRAFT, Status.WITHDRAWN])
    parts: dict[str, Any] = {}
    parts["first"] = base.filter(proposer__isnull=False).values_list(
        "id", "proposer_id", "submitted_at", "filed_at", "title", "is_key", "is_excellent")
    parts["co"] = ProposalCoProposer.objects.filter(
        proposal__in=base, confirmed_at__isnull=False, declined=False).values_list(
        "proposal_id", "member_id", "proposal__submitted_at", "proposal__filed_at",
        "proposal__title", "proposal__is_key", "proposal__is_excellent")
    tz = timezone.get_current_timezone()
    for part, rows in parts.items():
        suffix = "" if part == "first" else "_co"
        for pk, member_id, submitted, filed, title, key, _excellent in rows:
            if submitted is not None and lo <= submitted < hi:
                yield Fact(member_id=member_id,
                           kind="proposal.submitted" if part == "first" else
                           "proposal.co_submitted",
                           date=submitted.astimezone(tz).date(),
                           ref_type="proposals.proposal", ref_id=str(pk),
                           label=f"提交提案《{title}》" + ("（联名）" if suffix else ""))
            if filed is None or not lo <= filed < hi:
                continue
            day = filed.astimezone(tz).date()
            yield Fact(member_id=member_id,
                       kind="proposal.first_filed" if part == "first" else "proposal.co_filed",
                       date=day, ref_type="proposals.proposal", ref_id=str(pk),
                       label=f"提案《{title}》立案" + ("（联名）" if suffix else ""))
            if key:
                yield Fact(member_id=member_id, kind=f"proposal.key{suffix}", date=day,
                           ref_type="proposals.proposal", ref_id=f"{pk}-key",
                           label=f"《{title}》列为重点提案")
    # Excellent: on the date of the committee meeting's resolution that put the proposal on the
    # list — the same selection the figure "proposals.excellent" counts.
    chosen = excellent_selected([committee_id], start, end).values_list(
        "proposal_id", "resolution_date")
    decided: dict[int, dt.date] = {pk: day for pk, day in chosen if pk and day}
    excellent_rows = [(pk, member_id, "", title) for pk, member_id, title in
                      base.filter(pk__in=decided, proposer__isnull=False).values_list(
                          "id", "proposer_id", "title")]
    excellent_rows += [(pk, member_id, "_co", title) for pk, member_id, title in
                       ProposalCoProposer.objects.filter(
                           proposal_id__in=decided, confirmed_at__isnull=False,
                           declined=False).values_list("proposal_id", "member_id",
                                                       "proposal__title")]
    for pk, member_id, suffix, title in excellent_rows:
        yield Fact(member_id=member_id, kind=f"proposal.excellent{suffix}", date=decided[pk],
                   ref_type="proposals.proposal", ref_id=f"{pk}-excellent",
                   label=f"《{title}》评为优秀提案")


def register_builtin() -> None:
    # Activities, proposals and opinions are optional beside duties: a source is registered,
    # and its app's models imported, only where the app is there.
    from importlib.util import find_spec

    register_source("manual", manual_facts, {"manual:*": _("Item recorded by the office")})
    if find_spec("xieshang.activities.models") is not None:
        register_source("activities", activity_facts, {
            "activity.attended:*": _("Attended an activity"),
            "activity.absent_excused:*": _("Absent with leave"),
            "activity.absent_unexcused:*": _("Absent without leave"),
            "speech.submitted": _("Written speech"),
        })
    if find_spec("xieshang.proposals.models") is not None:
        register_source("proposals", proposal_facts, {
            "proposal.submitted": _("Proposal submitted (first proposer)"),
            "proposal.co_submitted": _("Proposal co-signed"),
            "proposal.first_filed": _("Proposal filed (first proposer)"),
            "proposal.co_filed": _("Proposal filed (co-proposer)"),
            "proposal.key": _("Key proposal"),
            "proposal.key_co": _("Key proposal (co-proposer)"),
            "proposal.excellent": _("Excellent proposal"),
            "proposal.excellent_co": _("Excellent proposal (co-proposer)"),
        })
    if find_spec("xieshang.opinions.models") is not None:
        register_source("opinions", opinion_facts, {
            "opinion.submitted": _("Public-opinion report submitted"),
            "opinion.adopted": _("Public-opinion report adopted"),
            "opinion.adopted_city_plus": _("Adopted at city level or above"),
            "opinion.instruction": _("Leader's written instruction"),
        })
