"""A plenary built through the services: an activity with its members invited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from tests.activities.factories import make_activity, member_with_login
from tests.factories import user_with_role
from xieshang.activities import services as activity_services
from xieshang.activities.models import Invitation
from xieshang.core.models import Committee, Role, User
from xieshang.core.permissions import Actor, actor_for
from xieshang.meetings import services
from xieshang.meetings.models import DiscussionGroup, Meeting
from xieshang.members.models import Member, Sector


@dataclass
class Plenary:
    meeting: Meeting
    staff: User
    staff_actor: Actor
    members: list[tuple[User, Member, Actor]] = field(default_factory=list)

    def register(self, *indexes: int) -> None:
        for i in indexes:
            services.register(actor=self.staff_actor, meeting=self.meeting,
                              member=self.members[i][1])


def plenary(committee: Committee, n: int = 5, *, kind: str = Meeting.Kind.PLENARY,
            start: dt.datetime | None = None) -> Plenary:
    staff = user_with_role(committee, Role.STAFF_OFFICE)
    staff_actor = actor_for(staff, committee)
    code = "plenary" if kind == Meeting.Kind.PLENARY else "standing_meeting"
    activity = make_activity(committee, code, actor=staff_actor, title="第一次全体会议",
                             start=start or timezone.now() + dt.timedelta(minutes=30))
    people = [member_with_login(committee, is_standing=(kind == Meeting.Kind.STANDING))
              for _ in range(n)]
    activity_services.invitations_send(actor=staff_actor, activity=activity,
                                       members=[m for _u, m, _a in people],
                                       notify_members=False)
    meeting = services.meeting_create(actor=staff_actor, activity=activity, kind=kind)
    return Plenary(meeting, staff, staff_actor, people)


def approve_leave(p: Plenary, i: int) -> None:
    _u, member, actor = p.members[i]
    inv = Invitation.objects.get(activity=p.meeting.activity, member=member)
    activity_services.invitation_reply(actor=actor, invitation=inv, action="request_leave",
                                       reason="出差")
    activity_services.leave_decide(actor=p.staff_actor, invitation=inv, approve=True)


def discussion_group(p: Plenary, name: str = "第一组", *, venue: str = "第一会议室",
                     starts_at: dt.datetime | None = None) -> DiscussionGroup:
    """A discussion group of the plenary, made by its staff (empty)."""
    return services.group_create(actor=p.staff_actor, meeting=p.meeting, name=name, venue=venue,
                                 starts_at=starts_at)


def with_sectors(p: Plenary, *names: str | None) -> dict[str, Sector]:
    """Give the plenary's members (in order) the sectors named (``None``: no sector); returns
    the sectors by name."""
    committee = p.meeting.committee
    sectors = {n: Sector.objects.get_or_create(committee=committee, name=n,
                                               defaults={"order": i})[0]
               for i, n in enumerate(dict.fromkeys(n for n in names if n))}
    for (_u, member, _a), name in zip(p.members, names, strict=False):
        member.sector = sectors[name] if name else None
        member.save(update_fields=["sector"])
    return sectors
