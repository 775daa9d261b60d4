"""The activities area's figures: activities held, suggestions, learning and attendance
(registered in ``ActivitiesConfig.ready``; keys in docs/reports.md)."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xieshang.activities.models import (
    Activity,
    ActivityType,
    Category,
    Invitation,
    ReadingRecord,
    Suggestion,
)
from xieshang.activities.selectors import PRESENT, held_between
from xieshang.core.figures import Figure, Scope
from xieshang.members.models import Member

# Activity type code → (figure key, label, unit). The keys are the ones in docs/reports.md.
ACTIVITY_FIGURES = [
    ("plenary", "plenaries", gettext_noop("Plenary sessions"), "times"),
    ("standing_meeting", "standing_meetings", gettext_noop("Standing committee meetings"), "times"),
    ("chair_meeting", "chair_meetings", gettext_noop("Chair meetings"), "times"),
    ("party_group", "party_group_meetings", gettext_noop("Party group meetings"), "times"),
    (
        "special_committee_meeting",
        "special_committee_meetings",
        gettext_noop("Special committee meetings"),
        "times",
    ),
    ("learning", "learning_sessions", gettext_noop("Learning sessions"), "times"),
    ("training", "training_courses", gettext_noop("Training courses"), "courses"),
    (
        "thematic_consultation",
        "thematic_consultations",
        gettext_noop("Thematic consultations"),
        "times",
    ),
    (
        "counterpart_consultation",
        "counterpart_consultations",
        gettext_noop("Counterpart consultations"),
        "times",
    ),
    ("sector_consultation", "sector_consultations", gettext_noop("Sector consultations"), "times"),
    (
        "proposal_consultation",
        "proposal_consultations",
        gettext_noop("Proposal-handling consultations"),
        "times",
    ),
    (
        "grassroots_consultation",
        "grassroots_consultations",
        gettext_noop("Grassroots consultations"),
        "times",
    ),
    ("research", "research_topics", gettext_noop("Research topics"), "topics"),
    ("sector_research", "sector_research", gettext_noop("Sector research activities"), "times"),
    ("inspection", "inspections", gettext_noop("Inspections"), "items"),
    (
        "democratic_supervision",
        "supervisions",
        gettext_noop("Democratic supervision activities"),
        "times",
    ),
    ("forum", "forums", gettext_noop("Member forums"), "times"),
    ("seminar", "seminars", gettext_noop("Seminars"), "times"),
    ("cultural", "cultural_events", gettext_noop("Cultural events"), "items"),
    ("visit", "visits", gettext_noop("Visits"), "times"),
    ("volunteer", "volunteer_services", gettext_noop("Volunteer services"), "times"),
]
UNITS = {"times": "次", "courses": "期", "topics": "个", "items": "项"}


def activities_figures(scope: Scope) -> list[Figure]:
    """Held activities of the period, counted for all the scope's committees at once (a
    province's hundred counties cost the same few queries as one county). The rules are those
    of activities.selectors (held, starting in the period); sums over committees equal the
    per-committee figures added up (departments and members are distinct per committee)."""
    lo, hi = scope.bounds
    ids = scope.committee_ids
    held = Activity.objects.filter(held_between(lo, hi), committee_id__in=ids)
    counts: Counter[str] = Counter({r["type__code"]: r["n"] for r in held.values(
        "type__code").annotate(n=Count("id")).order_by()})
    suggestions: Counter[str] = Counter({r["activity__type__code"]: r["n"] for r in
                                         Suggestion.objects.filter(activity__in=held).values(
        "activity__type__code").annotate(n=Count("id")).order_by()})
    departments = (held.filter(type__category=Category.COUNTERPART).exclude(units=None)
                   .values("committee_id", "units").distinct().count())
    serving = Member.objects.filter(committee_id__in=ids, joined_on__lte=scope.end).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=scope.start))
    readers = ReadingRecord.objects.filter(committee_id__in=ids, opened_at__gte=lo,
                                           opened_at__lt=hi).values("member_id")
    attendees = Invitation.objects.filter(
        activity__in=held.filter(type__category=Category.LEARNING),
        attendance__in=PRESENT).values("member_id")
    reached = serving.filter(Q(pk__in=readers) | Q(pk__in=attendees)).count()
    total = serving.count()
    period = f"from={scope.start}&to={scope.end}"
    counterpart_codes = ",".join(sorted(set(ActivityType.objects.filter(
        category=Category.COUNTERPART).values_list("code", flat=True)))) or "-"
    out = [
        Figure(
            f"activities.{key}",
            _(label),
            counts.get(code, 0),
            UNITS[unit],
            link=f"{reverse('activities:list')}?type={code}&status=held&{period}",
            definition=_("Activities of this type held (not planned or cancelled) that "
                         "started in the period."),
        )
        for code, key, label, unit in ACTIVITY_FIGURES
    ]
    out += [
        Figure(
            "activities.counterpart_departments",
            _("Departments met in counterpart consultations"),
            departments,
            "个",
            link=f"{reverse('activities:list')}?type={counterpart_codes}&status=held&{period}",
            definition=_("Departments taking part in counterpart consultations (对口协商) held "
                         "in the period, each counted once; the list shows those activities."),
        ),
        Figure(
            "activities.learning_coverage",
            _("Members reached by learning"),
            round(100 * reached / total) if total else 0,
            "%",
            link=reverse("activities:learning"),
            definition=_("Serving members with a reading record, or present at a learning "
                         "session or training course, in the period ÷ serving members."),
        ),
        Figure(
            "activities.inspection_suggestions",
            _("Suggestions from inspections"),
            suggestions.get("inspection", 0),
            "条",
            link=f"{reverse('activities:ledger')}?type=inspection&{period}",
            definition=_("Ledger items (意见建议台账) of inspections held in the period."),
        ),
        Figure(
            "activities.forum_seminar_suggestions",
            _("Suggestions from forums and seminars"),
            suggestions.get("forum", 0) + suggestions.get("seminar", 0),
            "条",
            link=f"{reverse('activities:ledger')}?type=forum,seminar&{period}",
            definition=_("Ledger items of member forums and seminars held in the period."),
        ),
        Figure(
            "activities.research_suggestions",
            _("Suggestions from research"),
            suggestions.get("research", 0) + suggestions.get("sector_research", 0),
            "条",
            link=f"{reverse('activities:ledger')}?type=research,sector_research&{period}",
            definition=_("Ledger items of research (调研), sector research included, held in "
                         "the period."),
        ),
        Figure(
            "activities.suggestions",
            _("Suggestions recorded in the ledger"),
            sum(suggestions.values()),
            "条",
            link=f"{reverse('activities:ledger')}?{period}",
            definition=_("Ledger items (意见建议台账) of activities held in the period."),
        ),
    ]
    return out


def attendance_figures(scope: Scope) -> list[Figure]:
    lo, hi = scope.bounds
    invitations = Invitation.objects.filter(
        held_between(lo, hi, through="activity__"), committee_id__in=scope.committee_ids)
    recorded = invitations.exclude(attendance="")
    present = recorded.filter(attendance__in=["attended", "late"]).count()
    total = recorded.count()
    period = f"from={scope.start}&to={scope.end}"
    return [Figure("duties.attendance_rate", _("Attendance rate at activities"),
                   round(100 * present / total) if total else 0, "%",
                   link=f"{reverse('activities:list')}?status=held&{period}",
                   definition=_("Present (attended or late) ÷ invitations with attendance "
                                "recorded, at activities held in the period."),
                   note="" if total else _("No data: no attendance recorded in the period."))]
