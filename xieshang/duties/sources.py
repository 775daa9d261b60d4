"""Fact sources. Each area of work registers one; the built-in one reads manual items.

The proposals, opinions and activities apps register their sources here too (see
``register_builtin``), each guarded so that an app that is not installed adds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from xieshang.duties.facts import Fact, register_source


def manual_facts(committee_id: int, start: dt.date, end: dt.date) -> Iterator[Fact]:
    from xieshang.duties.models import ManualItem

    rows = ManualItem.objects.filter(committee_id=committee_id, date__gte=start,
                                     date__lte=end).values_list("id", "member_id", "date",
                                                                "code", "description")
    for pk, member_id, date, code, description in rows:
        yield Fact(member_id=member_id, kind=f"manual:{code}", date=date,
                   ref_type="duties.manualitem", ref_id=str(pk), label=description)


def activity_facts(committee_id: int, start: dt.date, end: dt.date) -> Iterator[Fact]:
    """Attendance, leave and absence at held activities whose type counts for duty; speeches."""
    from django.utils import timezone

    from xieshang.activities.models import Activity, Invitation, Speech

    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    rows = (Invitation.objects.filter(
        committee_id=committee_id, activity__status=Activity.Status.HELD,
        activity__start__gte=lo, activity__start__lt=hi, activity__type__counts_for_duty=True)
        .values_list("id", "member_id", "activity__start", "activity__type__code",
                     "activity__title", "status", "attendance"))
    for pk, member_id, when, code, title, status, attendance in rows:
        day = timezone.localtime(when).date()
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
                   date=timezone.localtime(when).date(), ref_type="activities.speech",
                   ref_id=str(pk), label=f"提交发言《{title}》")


def register_builtin() -> None:
    from importlib.util import find_spec

    register_source("manual", manual_facts, {"manual:*": _("Item recorded by the office")})
    if find_spec("xieshang.activities.models") is not None:
        register_source("activities", activity_facts, {
            "activity.attended:*": _("Attended an activity"),
            "activity.absent_excused:*": _("Absent with leave"),
            "activity.absent_unexcused:*": _("Absent without leave"),
            "speech.submitted": _("Written speech"),
        })
