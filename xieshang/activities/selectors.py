"""Reads of the activities app, including the counts the work report is built from."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from xieshang.activities import permissions
from xieshang.activities.models import (
    Activity,
    ActivityType,
    AnnualPlan,
    Category,
    Invitation,
    LearningMaterial,
    PlanItem,
    ReadingRecord,
    Speech,
    Suggestion,
)
from xieshang.activities.types import DEFAULT_CODES
from xieshang.core import clock
from xieshang.core.http import as_id
from xieshang.core.models import Committee, Term
from xieshang.core.permissions import Actor
from xieshang.core.tenancy import get_scoped_or_404, scoped
from xieshang.members.models import Member

PRESENT = (Invitation.Attendance.ATTENDED, Invitation.Attendance.LATE)


def _day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Aware datetimes covering the local days ``start``..``end`` inclusive."""
    tz = timezone.get_current_timezone()
    return (dt.datetime.combine(start, dt.time.min, tzinfo=tz),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz))


# --- who may open what (the one definition per kind; pages, API, lists, search) -----------


def visible(actor: Actor) -> QuerySet[Activity]:
    """Activities the actor may open: every one for the staff and leaders who read them all
    (``permissions.READERS``); a member those they are invited to."""
    qs = scoped(actor, Activity)
    if actor.committee is None:
        return qs.none()
    if permissions.can_view_all(actor):
        return qs
    if actor.member_id is None:
        return qs.none()
    return qs.filter(pk__in=Invitation.objects.filter(member_id=actor.member_id)
                     .values("activity_id"))


def visible_materials(actor: Actor) -> QuerySet[LearningMaterial]:
    """Learning materials the actor may read: those for all members; those for the standing
    committee only to its members; every one for the staff and leaders."""
    qs = scoped(actor, LearningMaterial)
    if not permissions.can_read_materials(actor):
        return qs.none()
    if permissions.can_view_all(actor):
        return qs
    standing = actor.member_id is not None and Member.objects.filter(
        pk=actor.member_id, committee=actor.committee, is_standing=True).exists()
    return qs if standing else qs.filter(audience=LearningMaterial.Audience.ALL)


# --- lists ---------------------------------------------------------------------------------


def activity_list(actor: Actor, *, type_code: str = "", start: dt.date | None = None,
                  end: dt.date | None = None, organiser: str = "", status: str = "",
                  q: str = "") -> QuerySet[Activity]:
    """Activities the actor may see (:func:`visible`), filtered."""
    qs = visible(actor).select_related("type", "special_committee", "group", "lead")
    if type_code:  # one code, or several separated by commas (a figure adding types)
        qs = qs.filter(type__code__in=type_code.split(","))
    if start or end:
        lo, hi = _day_bounds(start or dt.date(1900, 1, 1), end or dt.date(2999, 12, 31))
        qs = qs.filter(start__gte=lo, start__lt=hi)
    if organiser:
        kind, _sep, pk = organiser.partition(":")
        if kind == "office":
            qs = qs.filter(organiser=Activity.Organiser.OFFICE)
        elif kind == "sc" and as_id(pk) is not None:
            qs = qs.filter(special_committee_id=as_id(pk))
        elif kind == "group" and as_id(pk) is not None:
            qs = qs.filter(group_id=as_id(pk))
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(title__contains=q) | Q(topic__contains=q) | Q(place__contains=q))
    return qs.annotate(
        n_invited=Count("invitations", distinct=True),
        n_present=Count("invitations", filter=Q(invitations__attendance__in=PRESENT),
                        distinct=True),
    ).order_by("-start", "-id")


def activity_for_page(actor: Actor, pk: int) -> Activity:
    """The activity page's fetch: 404 unless the actor may open it (:func:`visible`)."""
    qs = visible(actor).select_related(
        "type", "special_committee", "group", "lead", "committee", "created_by",
    ).prefetch_related(  # type: ignore[type-var]
        "units", "materials", "files",
        Prefetch("invitations", queryset=Invitation.objects.select_related(
            "member__sector").order_by("member__name", "id")),
        Prefetch("speeches", queryset=Speech.objects.select_related("member")),
        Prefetch("suggestions", queryset=Suggestion.objects.select_related("recipient_unit")),
    )
    return get_scoped_or_404(actor, qs, pk=pk)


@dataclass
class Day:
    date: dt.date
    in_month: bool
    activities: list[Activity]


def month_calendar(actor: Actor, year: int, month: int, **filters: Any) -> list[list[Day]]:
    """Weeks (Monday first) of the month with the actor's visible activities on each day."""
    cal = calendar.Calendar(firstweekday=0)
    weeks = cal.monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    by_day: dict[dt.date, list[Activity]] = {}
    for a in activity_list(actor, start=first, end=last, **filters).order_by("start"):
        by_day.setdefault(timezone.localdate(a.start), []).append(a)
    return [[Day(d, d.month == month, by_day.get(d, [])) for d in week] for week in weeks]


def my_invitations(actor: Actor, *, upcoming_only: bool = False) -> QuerySet[Invitation]:
    if actor.member_id is None:
        return scoped(actor, Invitation).none()
    qs = scoped(actor, Invitation).filter(member_id=actor.member_id).select_related(
        "activity__type").exclude(activity__status=Activity.Status.CANCELLED)
    if upcoming_only:
        qs = qs.filter(activity__end__gte=clock.now())
    return qs.order_by("-activity__start")


def signed_in_already(actor: Actor, activity: Activity) -> Invitation | None:
    """The member's invitation to the activity when they are already present (by an earlier
    scan or as recorded by the staff): scanning again is told so, and writes nothing."""
    if actor.member_id is None:
        return None
    invitation = scoped(actor, Invitation).filter(activity=activity,
                                                  member_id=actor.member_id).first()
    return invitation if invitation is not None and invitation.present else None


def awaiting_reply_count(actor: Actor) -> int:
    return my_invitations(actor, upcoming_only=True).filter(
        status=Invitation.Status.INVITED).count()


def leave_requests(actor: Actor) -> QuerySet[Invitation]:
    return scoped(actor, Invitation).filter(
        status=Invitation.Status.LEAVE_REQUESTED).select_related(
        "member", "activity__type").order_by("activity__start")


def ledger(actor: Actor, *, status: str = "", overdue: bool = False, type_code: str = "",
           unit: str = "", held_from: dt.date | None = None, held_to: dt.date | None = None
           ) -> QuerySet[Suggestion]:
    """The suggestion ledger as the actor may see it. ``type_code``: one activity type's code
    or several separated by commas (a figure that adds types links here);
    ``held_from``/``held_to``: the activity started on or between these days."""
    qs = scoped(actor, Suggestion).select_related("activity__type", "recipient_unit", "document")
    if not permissions.can_view_all(actor):
        qs = qs.filter(recipient_unit_id__in=actor.unit_ids, status__in=[
            Suggestion.Status.SENT, Suggestion.Status.ANSWERED, Suggestion.Status.CLOSED])
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status=Suggestion.Status.SENT, deadline__lt=clock.today())
    if type_code:
        qs = qs.filter(activity__type__code__in=type_code.split(","))
    if held_from is not None:
        qs = qs.filter(activity__start__gte=clock.at(held_from))
    if held_to is not None:
        qs = qs.filter(activity__start__lt=clock.at(held_to + dt.timedelta(days=1)))
    if (unit_id := as_id(unit)) is not None:
        qs = qs.filter(recipient_unit_id=unit_id)
    return qs.order_by("-created_at", "-id")


def overdue_count(actor: Actor) -> int:
    return ledger(actor, overdue=True).count()


def plan_with_progress(actor: Actor, plan: AnnualPlan) -> dict[str, Any]:
    items = list(plan.items.select_related("type", "lead_special_committee", "lead",
                                           "activity").prefetch_related("units"))
    counts = Counter(i.status for i in items)
    total = len(items)
    return {"items": items, "total": total, "done": counts[PlanItem.Status.DONE],
            "pending": counts[PlanItem.Status.PENDING], "moved": counts[PlanItem.Status.MOVED],
            "percent": round(100 * counts[PlanItem.Status.DONE] / total) if total else 0}


# --- counting (the work report builds on these) --------------------------------------------


def held_between(lo: dt.datetime | None, hi: dt.datetime | None, *, through: str = "") -> Q:
    """The one rule of every activity figure: held (not planned or cancelled) and started in
    [lo, hi). ``through`` names the path to the activity (``"activity__"`` from a meeting or
    an invitation); an open bound is not applied."""
    rule = Q(**{f"{through}status": Activity.Status.HELD})
    if lo is not None:
        rule &= Q(**{f"{through}start__gte": lo})
    if hi is not None:
        rule &= Q(**{f"{through}start__lt": hi})
    return rule


def _counted(committee: Committee, start: dt.date, end: dt.date,
             include_planned: bool = False) -> QuerySet[Activity]:
    """The committee's activities counted by ``held_between`` over ``start``..``end``; with
    ``include_planned`` those still planned in the period count too (a plan's forecast)."""
    lo, hi = _day_bounds(start, end)
    rule = held_between(lo, hi)
    if include_planned:
        rule |= Q(status=Activity.Status.PLANNED, start__gte=lo, start__lt=hi)
    return Activity.objects.filter(rule, committee=committee)


def count_by_type(committee: Committee, start: dt.date, end: dt.date, *,
                  include_planned: bool = False) -> dict[str, int]:
    """Held activities whose start falls on ``start``..``end`` (inclusive), by type code.

    Every type of the committee appears, with 0 when none was held; cancelled activities never
    count, planned ones only with ``include_planned``.
    """
    codes = ActivityType.objects.filter(committee=committee).values_list("code", flat=True)
    out = dict.fromkeys([*DEFAULT_CODES, *codes], 0)
    rows = (_counted(committee, start, end, include_planned).values("type__code")
            .annotate(n=Count("id")))
    out.update({r["type__code"]: r["n"] for r in rows})
    return out


def suggestions_by_type(committee: Committee, start: dt.date, end: dt.date) -> dict[str, int]:
    """Ledger items that came out of held activities in the period, by activity type code."""
    rows = (Suggestion.objects.filter(activity__in=_counted(committee, start, end))
            .values("activity__type__code").annotate(n=Count("id")))
    return {r["activity__type__code"]: r["n"] for r in rows}


def adoption_counts(committee: Committee, start: dt.date, end: dt.date) -> dict[str, int]:
    rows = (Suggestion.objects.filter(activity__in=_counted(committee, start, end))
            .values("status", "adoption").annotate(n=Count("id")))
    out: Counter[str] = Counter()
    for r in rows:
        out[r["status"]] += r["n"]
        if r["adoption"]:
            out[r["adoption"]] += r["n"]
    return dict(out)


def counterpart_departments(committee: Committee, start: dt.date, end: dt.date) -> int:
    """Distinct departments met in counterpart consultations (对口协商) in the period."""
    return (_counted(committee, start, end).filter(type__category=Category.COUNTERPART)
            .values("units").exclude(units=None).distinct().count())


def serving_members(committee: Committee, start: dt.date, end: dt.date) -> QuerySet[Member]:
    """Members who served at some point of ``start``..``end``."""
    return Member.objects.filter(committee=committee, joined_on__lte=end).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=start))


@dataclass(frozen=True)
class Coverage:
    reached: int
    total: int

    @property
    def rate(self) -> float:
        return self.reached / self.total if self.total else 0.0

    @property
    def percent(self) -> int:
        return round(100 * self.rate)


def learning_coverage(committee: Committee, start: dt.date, end: dt.date) -> Coverage:
    """Members reached by learning / all serving members in the period.

    Reached: opened a learning material (a reading record) or attended a learning session or a
    training course held in the period.
    """
    lo, hi = _day_bounds(start, end)
    serving = serving_members(committee, start, end)
    readers = ReadingRecord.objects.filter(committee=committee, opened_at__gte=lo,
                                           opened_at__lt=hi).values("member_id")
    attendees = Invitation.objects.filter(
        activity__in=_counted(committee, start, end).filter(type__category=Category.LEARNING),
        attendance__in=PRESENT).values("member_id")
    reached = serving.filter(Q(pk__in=readers) | Q(pk__in=attendees)).count()
    return Coverage(reached=reached, total=serving.count())


def learning_coverage_for_term(term: Term, today: dt.date | None = None) -> Coverage:
    end = term.end_date or today or clock.today()
    return learning_coverage(term.committee, term.start_date, end)


def learning_coverage_for_year(committee: Committee, year: int) -> Coverage:
    return learning_coverage(committee, dt.date(year, 1, 1), dt.date(year, 12, 31))


def attendance_by_activity(activity: Activity) -> dict[str, Any]:
    rows = Counter(activity.invitations.values_list("attendance", flat=True))
    leave = activity.invitations.filter(status=Invitation.Status.LEAVE_APPROVED).count()
    invited = sum(rows.values())
    present = rows[Invitation.Attendance.ATTENDED] + rows[Invitation.Attendance.LATE]
    expected = invited - leave
    return {"invited": invited, "present": present, "late": rows[Invitation.Attendance.LATE],
            "absent": rows[Invitation.Attendance.ABSENT], "leave": leave,
            "rate": round(100 * present / expected) if expected else 0}


def attendance_by_member(committee: Committee, start: dt.date, end: dt.date
                         ) -> list[dict[str, Any]]:
    """Per member: invited, present, approved leave and rate = present / (invited − leave)."""
    rows = (Invitation.objects.filter(activity__in=_counted(committee, start, end))
            .values("member_id", "member__name")
            .annotate(invited=Count("id"),
                      n_present=Count("id", filter=Q(attendance__in=PRESENT)),
                      leave=Count("id", filter=Q(status=Invitation.Status.LEAVE_APPROVED)))
            .order_by("member__name"))
    out: list[dict[str, Any]] = []
    for r in rows:
        expected = r["invited"] - r["leave"]
        present = r["n_present"]
        out.append({"member_id": r["member_id"], "member__name": r["member__name"],
                    "invited": r["invited"], "leave": r["leave"], "present": present,
                    "rate": round(100 * present / expected) if expected else 0})
    return out


def materials_for(actor: Actor) -> QuerySet[LearningMaterial]:
    qs = visible_materials(actor).annotate(
        n_readers=Count("readings", distinct=True))
    return qs.order_by("-published_on", "-id")
