"""Figure providers for each area of work. Each is guarded: an area that is not installed, or
whose counting functions are missing, contributes nothing rather than breaking the report."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from importlib.util import find_spec

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xieshang.reports.figures import Figure, Scope, register
from xieshang.reports.units import units_figures

logger = logging.getLogger("xieshang.reports")


def _bounds(scope: Scope) -> tuple[dt.datetime, dt.datetime]:
    from django.utils import timezone

    lo = timezone.make_aware(dt.datetime.combine(scope.start, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(scope.end + dt.timedelta(days=1), dt.time.min))
    return lo, hi


def members_figures(scope: Scope) -> list[Figure]:
    from xieshang.members.models import Member

    serving = Member.objects.filter(
        committee_id__in=scope.committee_ids, joined_on__lte=scope.end
    ).filter(Q(left_on__isnull=True) | Q(left_on__gte=scope.start))
    total = serving.count()
    return [
        Figure("members.serving", _("Members serving"), total, _("people"), link="/members/"),
        Figure(
            "members.standing",
            _("Standing committee members"),
            serving.filter(is_standing=True).count(),
            _("people"),
        ),
        Figure(
            "members.women_share",
            _("Share of women"),
            round(100 * serving.filter(gender="female").count() / total) if total else 0,
            "%",
        ),
    ]


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
    from collections import Counter

    from django.db.models import Count

    from xieshang.activities.models import Activity, Category, Invitation, ReadingRecord, Suggestion
    from xieshang.activities.selectors import PRESENT
    from xieshang.members.models import Member

    lo, hi = _bounds(scope)
    ids = scope.committee_ids
    held = Activity.objects.filter(committee_id__in=ids, start__gte=lo, start__lt=hi,
                                   status=Activity.Status.HELD)
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
    out = [
        Figure(
            f"activities.{key}",
            _(label),
            counts.get(code, 0),
            UNITS[unit],
            link=f"{reverse('activities:list')}?type={code}&{period}",
        )
        for code, key, label, unit in ACTIVITY_FIGURES
    ]
    out += [
        Figure(
            "activities.counterpart_departments",
            _("Departments met in counterpart consultations"),
            departments,
            "个",
        ),
        Figure(
            "activities.learning_coverage",
            _("Members reached by learning"),
            round(100 * reached / total) if total else 0,
            "%",
        ),
        Figure(
            "activities.inspection_suggestions",
            _("Suggestions from inspections"),
            suggestions.get("inspection", 0),
            "条",
            link=f"{reverse('activities:ledger')}?type=inspection&{period}",
        ),
        Figure(
            "activities.forum_seminar_suggestions",
            _("Suggestions from forums and seminars"),
            suggestions.get("forum", 0) + suggestions.get("seminar", 0),
            "条",
        ),
        Figure(
            "activities.research_suggestions",
            _("Suggestions from research"),
            suggestions.get("research", 0) + suggestions.get("sector_research", 0),
            "条",
        ),
        Figure(
            "activities.suggestions",
            _("Suggestions recorded in the ledger"),
            sum(suggestions.values()),
            "条",
            link="/activities/ledger/",
        ),
    ]
    return out


def duties_figures(scope: Scope) -> list[Figure]:
    from collections import Counter

    from django.db.models import Avg

    from xieshang.duties.models import DutyWarning, Score

    scores = Score.objects.filter(committee_id__in=scope.committee_ids, year=scope.end.year)
    average = scores.aggregate(a=Avg("total"))["a"]
    bands = Counter(scores.values_list("band", flat=True))
    out = [
        Figure("duties.scored_members", _("Members with a duty score"), scores.count(),
               _("people"), link="/duties/ranking/"),
        Figure("duties.average_score", _("Average duty score"),
               round(float(average), 1) if average is not None else 0, ""),
        Figure("duties.open_warnings", _("Open duty warnings"),
               DutyWarning.objects.filter(committee_id__in=scope.committee_ids,
                                          resolved_at__isnull=True).count(), ""),
    ]
    out += [Figure(f"duties.band.{name}", _("Band: %(name)s") % {"name": name}, n, _("people"))
            for name, n in sorted(bands.items()) if name]
    return out


def attendance_figures(scope: Scope) -> list[Figure]:
    from django.utils import timezone

    from xieshang.activities.models import Activity, Invitation

    lo = timezone.make_aware(dt.datetime.combine(scope.start, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(scope.end + dt.timedelta(days=1), dt.time.min))
    invitations = Invitation.objects.filter(
        committee_id__in=scope.committee_ids, activity__status=Activity.Status.HELD,
        activity__start__gte=lo, activity__start__lt=hi)
    recorded = invitations.exclude(attendance="")
    present = recorded.filter(attendance__in=["attended", "late"]).count()
    total = recorded.count()
    return [Figure("duties.attendance_rate", _("Attendance rate at activities"),
                   round(100 * present / total) if total else 0, "%")]


def opinions_figures(scope: Scope) -> list[Figure]:
    from django.utils import timezone

    from xieshang.core.models import Committee
    from xieshang.opinions.models import OpinionOutcome, OpinionReport

    lo = timezone.make_aware(dt.datetime.combine(scope.start, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(scope.end + dt.timedelta(days=1), dt.time.min))
    own = OpinionReport.objects.filter(committee_id__in=scope.committee_ids,
                                       origin__isnull=True, submitted_at__gte=lo,
                                       submitted_at__lt=hi).exclude(
        status=OpinionReport.Status.WITHDRAWN)
    used = own.filter(status__in=[OpinionReport.Status.SIGNED_OFF, OpinionReport.Status.PUBLISHED,
                                  OpinionReport.Status.SENT])
    reported_up = OpinionReport.objects.filter(committee_id__in=scope.committee_ids,
                                               reported_up_at__gte=lo, reported_up_at__lt=hi)
    outcomes = OpinionOutcome.objects.filter(lineage__in=own).distinct()
    adopted = outcomes.filter(kind=OpinionOutcome.Kind.ADOPTED)
    by_level = {level: adopted.filter(level=level).values("lineage").distinct().count()
                for level in ("county", "city", "province", "national")}
    upper = adopted.filter(level__in=["city", "province", "national"]).values(
        "lineage").distinct().count()
    return [
        Figure("opinions.submitted", _("Public-opinion reports submitted"), own.count(), "篇",
               link="/opinions/"),
        Figure("opinions.used", _("Reports used (signed off or published)"), used.count(), "篇"),
        Figure("opinions.reported_up", _("Reports sent up to the higher committee"),
               reported_up.count(), "篇"),
        Figure("opinions.adopted", _("Reports adopted"),
               adopted.values("lineage").distinct().count(), "篇"),
        Figure("opinions.adopted_upper", _("Reports adopted by a higher committee"), upper, "篇"),
        *[Figure(f"opinions.adopted.{level}",
                 _("Adopted at level: %(level)s") % {"level": Committee.Level(level).label},
                 n, "篇") for level, n in by_level.items()],
        Figure("opinions.instructions", _("Leaders' written instructions"),
               outcomes.filter(kind=OpinionOutcome.Kind.INSTRUCTION).count(), "篇"),
    ]


def _pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0


def proposals_figures(scope: Scope) -> list[Figure]:
    from collections import Counter

    from django.db.models import F
    from django.utils import timezone

    from xieshang.members.models import CollectiveBody
    from xieshang.proposals.models import Feedback, Proposal, Reply, Status

    lo = timezone.make_aware(dt.datetime.combine(scope.start, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(scope.end + dt.timedelta(days=1), dt.time.min))
    submitted = Proposal.objects.filter(committee_id__in=scope.committee_ids,
                                        submitted_at__gte=lo, submitted_at__lt=hi).exclude(
        status__in=[Status.DRAFT, Status.WITHDRAWN])
    n = submitted.count()
    filed = submitted.filter(filed_at__isnull=False)
    n_filed = filed.count()
    sent = Reply.objects.filter(proposal__in=filed, state=Reply.State.SENT)
    n_sent = sent.count()
    on_time = sent.filter(sent_at__date__lte=F("assignment__due_date")).count()
    classes = Counter(sent.values_list("result_class", flat=True))
    ratings = Counter(Feedback.objects.filter(proposal__in=filed).values_list("rating",
                                                                                flat=True))
    n_rated = sum(ratings.values())
    kinds = Counter(submitted.values_list("kind", flat=True))
    bodies = Counter(submitted.filter(body_proposer__isnull=False).values_list(
        "body_proposer__kind", flat=True))
    key_titles = list(filed.filter(is_key=True).order_by("serial_number", "id").values_list(
        "title", flat=True)[:5])
    categories = Counter(submitted.values_list("category__name", flat=True))
    out = [
        Figure("proposals.submitted", _("Proposals submitted"), n, "件", link="/proposals/"),
        Figure("proposals.filed", _("Proposals filed"), n_filed, "件"),
        Figure("proposals.filing_rate", _("Filing rate"), _pct(n_filed, n), "%"),
        Figure("proposals.not_filed", _("Not filed"),
               submitted.filter(status=Status.NOT_FILED).count(), "件"),
        Figure("proposals.converted", _("Converted to other forms"),
               submitted.filter(status=Status.CONVERTED).count(), "件"),
        Figure("proposals.merged", _("Merged into others"),
               submitted.filter(status=Status.MERGED).count(), "件"),
        Figure("proposals.replied", _("Filed proposals replied"),
               filed.filter(replied_at__isnull=False).count(), "件"),
        Figure("proposals.on_time_rate", _("Replies sent on time"), _pct(on_time, n_sent), "%"),
        Figure("proposals.class_a_share", _("Class A replies (solved or adopted)"),
               _pct(classes.get("A", 0), n_sent), "%"),
        Figure("proposals.class_b_share", _("Class B replies (being solved or planned)"),
               _pct(classes.get("B", 0), n_sent), "%"),
        Figure("proposals.class_c_share", _("Class C replies (kept for reference)"),
               _pct(classes.get("C", 0), n_sent), "%"),
        Figure("proposals.satisfied_rate", _("Satisfied or basically satisfied"),
               _pct(ratings.get("satisfied", 0) + ratings.get("basically", 0), n_rated), "%"),
        Figure("proposals.dissatisfied_share", _("Dissatisfied"),
               _pct(ratings.get("dissatisfied", 0), n_rated), "%"),
        Figure("proposals.members", _("Proposals of members (individual or joint)"),
               kinds.get("individual", 0) + kinds.get("joint", 0), "件"),
        Figure("proposals.collective", _("Proposals of parties, sectors and committees"),
               kinds.get("collective", 0), "件"),
        *[Figure(f"proposals.{cls.lower()}_class", _("Class %(c)s replies") % {"c": cls},
                 classes.get(cls, 0), "件") for cls in ("A", "B", "C")],
        Figure("proposals.sent_replies", _("Reply letters sent"), n_sent, "件"),
        *[Figure(f"proposals.rated_{r}", label, ratings.get(r, 0), "件") for r, label in
          (("satisfied", _("Rated satisfied")), ("basically", _("Rated basically satisfied")),
           ("dissatisfied", _("Rated dissatisfied")))],
        Figure("proposals.key", _("Key proposals"), filed.filter(is_key=True).count(), "件",
               detail={"titles": key_titles}),
        Figure("proposals.key_supervised", _("Key proposals supervised by leaders"),
               filed.filter(is_key=True, key_leader__isnull=False).count(), "件"),
        Figure("proposals.excellent", _("Excellent proposals"),
               filed.filter(is_excellent=True).count(), "件"),
        Figure("proposals.rehandled", _("Re-handled"), filed.filter(is_rehandled=True).count(),
               "件"),
    ]
    from xieshang.proposals.models import RoutingRecord

    def accuracy(ids: list[int]) -> tuple[int, int]:
        # proposals.routing.accuracy(), for many committees in one query
        rows = RoutingRecord.objects.filter(committee_id__in=ids, decided_at__isnull=False)
        hits = total = 0
        for suggested, decided in rows.values_list("suggested", "decided"):
            total += 1
            if suggested and decided and suggested[0][0] in decided:
                hits += 1
        return hits, total


    hits, decisions = accuracy(scope.committee_ids)
    out.append(Figure("proposals.routing_accuracy",
                      _("Assignments where the first suggested unit was chosen"),
                      _pct(hits, decisions), "%", detail={"decisions": decisions}))
    out += [Figure(f"proposals.kind.{kind}",
                   _("By proposer type: %(kind)s") % {"kind": Proposal.Kind(kind).label},
                   count, "件") for kind, count in sorted(kinds.items())]
    out += [Figure(f"proposals.body.{kind}",
                   _("By collective proposer: %(kind)s")
                   % {"kind": CollectiveBody.Kind(kind).label},
                   count, "件") for kind, count in sorted(bodies.items()) if kind]
    out += [Figure(f"proposals.category.{name}", _("Category: %(name)s") % {"name": name},
                   count, "件") for name, count in sorted(categories.items()) if name]
    return out


def _guarded(module: str, fn: Callable[[Scope], list[Figure]]) -> Callable[[Scope], list[Figure]]:
    def run(scope: Scope) -> list[Figure]:
        if find_spec(module) is None:
            return []
        try:
            return fn(scope)
        except (ImportError, AttributeError) as exc:  # an area changed its counting API
            logger.warning("figures from %s unavailable: %s", module, exc)
            return []

    return run


def register_all() -> None:
    register("members", members_figures)
    register("activities", _guarded("xieshang.activities.selectors", activities_figures))
    register("duties", _guarded("xieshang.duties.models", duties_figures))
    register("opinions", _guarded("xieshang.opinions.models", opinions_figures))
    register("proposals", _guarded("xieshang.proposals.models", proposals_figures))
    register("attendance", _guarded("xieshang.activities.models", attendance_figures))
    register("units", _guarded("xieshang.proposals.models", units_figures))
