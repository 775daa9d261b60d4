"""Handling-unit performance (承办单位办理情况) for a scope: one line per unit.

Everything is read in a fixed number of queries whatever the number of units or proposals
(assignments, sent replies, ratings, extension events, units, plus the working-day calendar
of each year touched), then counted in Python: the ranking for 优秀承办单位 selection is read
by hundreds of units at a province and must not issue a query per unit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core import clock
from xieshang.core.calendar import WorkCalendar
from xieshang.core.figures import Figure, Scope
from xieshang.members.models import HandlingUnit
from xieshang.proposals import policies
from xieshang.proposals.models import Assignment, Feedback, ProposalEvent, Reply

# Sort keys the page offers (column → attribute), best first unless the name says otherwise.
SORTS = ("score", "assigned", "signed_on_time_rate", "replied_on_time_rate", "overdue_now",
         "extensions", "class_a", "satisfied_rate", "dissatisfied", "rehandled", "name")


@dataclass
class UnitLine:
    unit_id: int
    name: str
    committee_id: int
    assigned: int = 0
    signed: int = 0
    signed_on_time: int = 0
    replying: int = 0  # parts that must reply to the proposer (co-units give an opinion)
    replied: int = 0
    replied_on_time: int = 0
    overdue_now: int = 0
    extensions: int = 0
    class_a: int = 0
    class_b: int = 0
    class_c: int = 0
    satisfied: int = 0
    basically: int = 0
    dissatisfied: int = 0
    rehandled: int = 0
    proposal_ids: set[int] = field(default_factory=set)

    @staticmethod
    def _rate(part: int, whole: int) -> float:
        return round(100 * part / whole, 1) if whole else 0.0

    @property
    def signed_on_time_rate(self) -> float:
        return self._rate(self.signed_on_time, self.assigned)

    @property
    def replied_on_time_rate(self) -> float:
        return self._rate(self.replied_on_time, self.replying)

    @property
    def rated(self) -> int:
        return self.satisfied + self.basically + self.dissatisfied

    @property
    def satisfied_rate(self) -> float:
        """Satisfied or basically satisfied, of the ratings received."""
        return self._rate(self.satisfied + self.basically, self.rated)

    @property
    def score(self) -> float:
        """A ranking aid, not a verdict: on-time replies and satisfaction weigh most, each
        overdue or re-handled part costs points. The page shows every column beside it."""
        if not self.assigned:
            return 0.0
        value = (0.2 * self.signed_on_time_rate + 0.4 * self.replied_on_time_rate
                 + 0.4 * (self.satisfied_rate if self.rated else self.replied_on_time_rate)
                 - 5 * self.overdue_now - 5 * self.rehandled)
        return round(max(value, 0.0), 1)

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit_id": self.unit_id, "name": self.name, "assigned": self.assigned,
            "signed": self.signed, "signed_on_time": self.signed_on_time,
            "replying": self.replying, "replied": self.replied,
            "replied_on_time": self.replied_on_time, "overdue_now": self.overdue_now,
            "extensions": self.extensions, "class_a": self.class_a, "class_b": self.class_b,
            "class_c": self.class_c, "satisfied": self.satisfied, "basically": self.basically,
            "dissatisfied": self.dissatisfied, "rehandled": self.rehandled,
            "signed_on_time_rate": self.signed_on_time_rate,
            "replied_on_time_rate": self.replied_on_time_rate,
            "satisfied_rate": self.satisfied_rate, "score": self.score,
        }


def unit_lines(scope: Scope, *, unit_ids: set[int] | None = None,
               sort: str = "score", descending: bool = True) -> list[UnitLine]:
    """One line per handling unit of the scope's committees, for the parts assigned in the
    period. ``unit_ids`` limits the lines (a unit user sees only their own unit)."""
    lo, hi = scope.bounds
    ids = scope.committee_ids
    units = HandlingUnit.objects.filter(committee_id__in=ids)
    parts = Assignment.objects.filter(committee_id__in=ids, assigned_at__gte=lo,
                                      assigned_at__lt=hi).exclude(
        state=Assignment.State.WITHDRAWN)
    if unit_ids is not None:
        units = units.filter(pk__in=unit_ids)
        parts = parts.filter(unit_id__in=unit_ids)
    lines = {u["id"]: UnitLine(u["id"], u["name"], u["committee_id"])
             for u in units.filter(is_active=True).values("id", "name", "committee_id")}
    rows = list(parts.values("id", "unit_id", "unit__name", "unit__committee_id",
                             "proposal_id", "role", "state", "assigned_at", "signed_at",
                             "due_date", "proposal__is_rehandled"))
    if not rows:
        return _sorted(list(lines.values()), sort, descending)
    part_ids = parts.values("id")
    proposal_ids = parts.values("proposal_id")
    replies: dict[int, list[tuple[dt.datetime, str]]] = defaultdict(list)
    for assignment_id, result_class, sent_at in Reply.objects.filter(
            assignment_id__in=part_ids, state=Reply.State.SENT).values_list(
            "assignment_id", "result_class", "sent_at").order_by("round", "sent_at"):
        if sent_at is not None:
            replies[assignment_id].append((sent_at, result_class))
    # The latest rating of each proposal counts (a re-handled proposal is rated again).
    ratings: dict[int, str] = {}
    for f in Feedback.objects.filter(proposal_id__in=proposal_ids).values(
            "proposal_id", "rating").order_by("round", "at", "id"):
        ratings[f["proposal_id"]] = f["rating"]
    extensions: dict[int, int] = defaultdict(int)
    for e in ProposalEvent.objects.filter(proposal_id__in=proposal_ids,
                                          action="extend").values("proposal_id"):
        extensions[e["proposal_id"]] += 1

    sign_days = int(policies.get(scope.committee, "return_request_days"))
    calendar = WorkCalendar(scope.committee)
    sign_due: dict[dt.date, dt.date] = {}
    today = clock.today()
    # One time zone object for the loop: timezone.localtime looks it up on every call, which
    # cost more than all the queries together for a province's 170 000 parts.
    tz = timezone.get_current_timezone()
    open_states = frozenset(str(state) for state in Assignment.OPEN_STATES)
    co_unit = str(Assignment.Role.CO)
    for row in rows:
        line = lines.get(row["unit_id"])
        if line is None:  # an inactive unit that still has parts in the period
            line = lines[row["unit_id"]] = UnitLine(row["unit_id"], row["unit__name"],
                                                    row["unit__committee_id"])
        line.assigned += 1
        line.proposal_ids.add(row["proposal_id"])
        assigned_on = row["assigned_at"].astimezone(tz).date()
        if assigned_on not in sign_due:
            sign_due[assigned_on] = calendar.add_working_days(assigned_on, sign_days).date
        if row["signed_at"] is not None:
            line.signed += 1
            if row["signed_at"].astimezone(tz).date() <= sign_due[assigned_on]:
                line.signed_on_time += 1
        if row["state"] in open_states and row["due_date"] < today:
            line.overdue_now += 1
        if row["role"] == co_unit:
            continue
        line.replying += 1
        line.extensions += extensions.get(row["proposal_id"], 0)
        sent = replies.get(row["id"], [])
        if sent:
            line.replied += 1
            first, last = sent[0], sent[-1]
            if first[0].astimezone(tz).date() <= row["due_date"]:
                line.replied_on_time += 1
            cls = last[1]
            if cls in ("A", "B", "C"):
                setattr(line, f"class_{cls.lower()}", getattr(line, f"class_{cls.lower()}") + 1)
        rating = ratings.get(row["proposal_id"])
        if rating in ("satisfied", "basically", "dissatisfied"):
            setattr(line, rating, getattr(line, rating) + 1)
        if row["proposal__is_rehandled"]:
            line.rehandled += 1
    return _sorted(list(lines.values()), sort, descending)


def _sorted(lines: list[UnitLine], sort: str, descending: bool) -> list[UnitLine]:
    if sort not in SORTS:
        sort = "score"
    if sort == "name":
        return sorted(lines, key=lambda x: x.name, reverse=descending)
    # Ties keep a stable order by name so that the ranking is reproducible.
    lines = sorted(lines, key=lambda x: x.name)
    return sorted(lines, key=lambda x: getattr(x, sort), reverse=descending)


def units_figures(scope: Scope) -> list[Figure]:
    """The unit performance as figures (API, command line, proposal-work report)."""
    lines = [line for line in unit_lines(scope) if line.assigned]
    total = sum(x.assigned for x in lines)
    replying = sum(x.replying for x in lines)
    by_count = sorted(lines, key=lambda x: (-len(x.proposal_ids), x.name))
    period = f"from={scope.start}&to={scope.end}"
    table = f"{reverse('reports-units')}?{period}"
    return [
        Figure("units.with_parts", _("Handling units with proposals"), len(lines), "个",
               link=table, definition=_("Units given at least one part (交办件次) in the "
                                        "period.")),
        Figure("units.assigned", _("Parts assigned to handling units"), total, "件", link=table,
               definition=_("Parts assigned in the period: one for each unit a proposal was "
                            "given to (main, co- or sole unit).")),
        Figure("units.signed_on_time_rate", _("Parts signed for on time"),
               UnitLine._rate(sum(x.signed_on_time for x in lines), total), "%", link=table,
               definition=_("Parts signed for within the set working days ÷ parts assigned in "
                            "the period.")),
        Figure("units.replied_on_time_rate", _("Replies sent on time by units"),
               UnitLine._rate(sum(x.replied_on_time for x in lines), replying), "%", link=table,
               definition=_("Of the parts assigned in the period that must reply (co-units "
                            "give opinions instead), those replied by their deadline.")),
        Figure("units.overdue_now", _("Parts overdue now"),
               sum(x.overdue_now for x in lines), "件", link="/proposals/work/overdue/",
               definition=_("Parts assigned in the period that are past their deadline today "
                            "without a reply.")),
        Figure("units.extensions", _("Extensions granted"),
               sum(x.extensions for x in lines), "次", link=table,
               definition=_("Extensions of a deadline granted on the proposals assigned in "
                            "the period.")),
        Figure("units.top", _("Units with the most proposals"),
               len(by_count[0].proposal_ids) if by_count else 0, "件", link=table,
               definition=_("The proposals of the period handled by the unit with the most "
                            "(the five first are in the table)."),
               detail={"units": [{"name": x.name, "proposals": len(x.proposal_ids)}
                                 for x in by_count[:5]]}),
    ]
