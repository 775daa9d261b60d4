"""The activities the seed county report counts for its 14th term (2022–2025), built through
the services (never by inserting counts): reference/000_68f865f998aa0624.txt."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from tests.factories import HandlingUnitFactory, MemberFactory
from xieshang.activities import services as act
from xieshang.activities.models import Activity, Invitation
from xieshang.core.models import Committee
from xieshang.core.permissions import Actor

# type code → (activities held, suggestions recorded across them)
SEED = {
    "party_group": (56, 0),
    "learning": (52, 0),
    "training": (25, 0),
    "plenary": (4, 0),
    "thematic_consultation": (6, 0),
    "counterpart_consultation": (63, 0),
    "research": (26, 0),
    "sector_research": (52, 0),
    "inspection": (21, 107),
    "forum": (38, 80),
    "seminar": (23, 62),
    "cultural": (13, 0),
}
DEPARTMENTS = 27
START = dt.date(2022, 1, 1)
END = dt.date(2025, 12, 31)

EXPECTED = {
    "activities.party_group_meetings": 56,
    "activities.learning_sessions": 52,
    "activities.training_courses": 25,
    "activities.learning_coverage": 100,
    "activities.thematic_consultations": 6,
    "activities.counterpart_consultations": 63,
    "activities.counterpart_departments": 27,
    "activities.research_topics": 26,
    "activities.sector_research": 52,
    "activities.inspections": 21,
    "activities.inspection_suggestions": 107,
    "activities.forums": 38,
    "activities.seminars": 23,
    "activities.forum_seminar_suggestions": 142,
    "activities.cultural_events": 13,
}


def _when(i: int, n: int) -> dt.datetime:
    span = (END - START).days
    day = START + dt.timedelta(days=int(span * (i + 0.5) / n))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def build(committee: Committee, members: int = 12) -> None:
    actor = Actor.for_system(committee)
    people = [MemberFactory(committee=committee) for _ in range(members)]
    units = [HandlingUnitFactory(committee=committee) for _ in range(DEPARTMENTS)]
    unit_cycle = itertools.cycle(units)
    types = act.activity_types_ensure(committee)
    for code, (count, suggestions) in SEED.items():
        per = [suggestions // count + (1 if i < suggestions % count else 0) for i in range(count)]
        for i in range(count):
            activity = act.activity_create(
                actor=actor, committee=committee, type=types[code],
                title=f"{types[code].label}{i + 1}", start=_when(i, count),
                status=Activity.Status.HELD,
                units=[next(unit_cycle)] if code == "counterpart_consultation" else ())
            for k in range(per[i]):
                act.suggestion_record(actor=actor, activity=activity, text=f"建议{k + 1}")
            if code == "training" and i == 0:
                for invitation in act.invitations_send(actor=actor, activity=activity,
                                                       members=people, notify_members=False):
                    act.attendance_record(actor=actor, invitation=invitation,
                                          attendance=Invitation.Attendance.ATTENDED)
