"""Reads of the meetings app: the one ``visible(actor)`` per kind, the live counts, results."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from xieshang.activities import selectors as activity_selectors
from xieshang.activities.models import Invitation, Speech
from xieshang.core import clock
from xieshang.core.permissions import Actor
from xieshang.core.tenancy import scoped
from xieshang.meetings import counting, permissions
from xieshang.meetings.models import (
    AgendaItem,
    DiscussionGroup,
    Election,
    GroupMember,
    Meeting,
    Paper,
    Poll,
    PollTally,
    Speaker,
)
from xieshang.members.models import Member

PRESENT = activity_selectors.PRESENT


def visible(actor: Actor) -> QuerySet[Meeting]:
    """Meetings the actor may open: those whose activity the actor may open (staff and leaders
    every one; a member those they are invited to)."""
    return scoped(actor, Meeting).filter(
        activity__in=activity_selectors.visible(actor).values("pk"))


def visible_polls(actor: Actor) -> QuerySet[Poll]:
    """Votes of the meetings the actor may open (:func:`visible`)."""
    return scoped(actor, Poll).filter(meeting__in=visible(actor).values("pk"))


def visible_elections(actor: Actor) -> QuerySet[Election]:
    """Elections of the meetings the actor may open (:func:`visible`)."""
    return scoped(actor, Election).filter(meeting__in=visible(actor).values("pk"))


def visible_papers(actor: Actor) -> QuerySet[Paper]:
    """Papers the actor may read: every one for staff and leaders; a participant (an invited
    member) those of their meetings, except papers withdrawn once the meeting is over."""
    qs = scoped(actor, Paper).filter(item__meeting__in=visible(actor).values("pk"))
    if permissions.can_read_all(actor):
        return qs
    if actor.member_id is None:
        return qs.none()
    return qs.filter(item__meeting__activity__invitations__member_id=actor.member_id).exclude(
        Q(withdraw_after=True) & Q(item__meeting__activity__end__lt=clock.now()))


def body_size(meeting: Meeting) -> int:
    """All members of the body that meets: the committee's serving members for a plenary, its
    serving standing-committee members for a standing committee meeting."""
    qs = Member.objects.filter(committee_id=meeting.committee_id, status=Member.Status.ACTIVE)
    if meeting.kind == Meeting.Kind.STANDING:
        qs = qs.filter(is_standing=True)
    return qs.count()


@dataclass(frozen=True)
class Counts:
    members_total: int
    expected: int
    registered: int
    on_leave: int
    absent: int
    quorum: int

    @property
    def quorum_reached(self) -> bool:
        return self.registered >= self.quorum


def counts(meeting: Meeting) -> Counts:
    """Live counts of the meeting, read from its activity's invitations (registration is the
    activity's sign-in)."""
    invitations = Invitation.objects.filter(activity_id=meeting.activity_id)
    expected = invitations.count()
    registered = invitations.filter(attendance__in=PRESENT).count()
    on_leave = invitations.filter(status=Invitation.Status.LEAVE_APPROVED).exclude(
        attendance__in=PRESENT).count()
    total = body_size(meeting)
    return Counts(members_total=total, expected=expected, registered=registered,
                  on_leave=on_leave, absent=max(0, expected - registered - on_leave),
                  quorum=counting.quorum(total))


def is_registered(meeting: Meeting, member_id: int | None) -> bool:
    return member_id is not None and Invitation.objects.filter(
        activity_id=meeting.activity_id, member_id=member_id, attendance__in=PRESENT).exists()


def is_participant(actor: Actor, meeting: Meeting) -> bool:
    return actor.member_id is not None and actor.acts_in(meeting) and Invitation.objects.filter(
        activity_id=meeting.activity_id, member_id=actor.member_id).exists()


def awaiting_my_vote(actor: Actor) -> int:
    """Open votes and elections of meetings the actor is registered at and has not voted in
    (the member's home-page card)."""
    if actor.member_id is None or actor.committee is None:
        return 0
    meetings = visible(actor).filter(
        activity__invitations__member_id=actor.member_id,
        activity__invitations__attendance__in=PRESENT).values("pk")
    polls = scoped(actor, Poll).filter(meeting__in=meetings, status=Poll.Status.OPEN).exclude(
        participations__member_id=actor.member_id).count()
    elections = scoped(actor, Election).filter(
        meeting__in=meetings, status=Election.Status.OPEN).exclude(
        participations__member_id=actor.member_id).count()
    return polls + elections


def not_registered(meeting: Meeting) -> QuerySet[Invitation]:
    """The expected members not registered yet (the desk's list)."""
    return (Invitation.objects.filter(activity_id=meeting.activity_id)
            .exclude(attendance__in=PRESENT).select_related("member").order_by("member__name"))


def projector_state(meeting: Meeting) -> dict[str, Any]:
    """What the projector shows: the current item, speaker and timer, or a vote's or an
    election's result, and the counts."""
    meeting = Meeting.objects.select_related(
        "current_item", "current_speaker__member", "current_speaker__speech", "current_poll",
        "current_election").get(pk=meeting.pk)
    speaker = meeting.current_speaker
    ctx: dict[str, Any] = {"m": meeting, "counts": counts(meeting),
                           "item": meeting.current_item, "speaker": speaker,
                           "poll": meeting.current_poll, "election": meeting.current_election}
    if speaker is not None and speaker.started_at is not None:
        limit = dt.timedelta(minutes=speaker.minutes)
        left = int((limit - ((speaker.ended_at or clock.now()) - speaker.started_at))
                   .total_seconds())
        ctx["timer"] = f"{'-' if left < 0 else ''}{abs(left) // 60:02d}:{abs(left) % 60:02d}"
        ctx["overtime"] = left < 0
    if meeting.current_item is not None:
        ctx["next_speakers"] = list(speakers(meeting.current_item)
                                    .filter(started_at__isnull=True)[:3])
    poll = meeting.current_poll
    if poll is not None and poll.status == Poll.Status.OPEN:
        ctx["voted"] = poll.participations.count()
    return ctx


def speeches_in_order(meeting: Meeting) -> list[Speech]:
    """The speeches submitted for the meeting: the oral ones in the order of the lists of
    speakers (agenda order, then place on the list), then the written ones as submitted."""
    listed = list(Speaker.objects.filter(item__meeting=meeting, speech__isnull=False)
                  .select_related("speech__member").order_by("item__position", "position",
                                                               "id"))
    seen = {s.speech_id for s in listed if s.speech_id is not None}
    rest = (Speech.objects.filter(activity_id=meeting.activity_id).exclude(pk__in=seen)
            .select_related("member").order_by("submitted_at", "id"))
    return [s.speech for s in listed if s.speech is not None] + list(rest)


def agenda(meeting: Meeting) -> QuerySet[AgendaItem]:
    return meeting.items.prefetch_related("papers")


def speakers(item: AgendaItem) -> QuerySet[Speaker]:
    return item.speakers.select_related("member", "speech")


def live_tallies(poll: Poll) -> dict[str, int]:
    return dict(PollTally.objects.filter(poll=poll).values_list("choice", "votes"))


# --- the figures (``figures.py``) and the lists their links open ---------------------------


def held_in(meetings: QuerySet[Meeting], lo: dt.datetime | None,
            hi: dt.datetime | None) -> QuerySet[Meeting]:
    """Meetings whose activity was held (not planned or cancelled) and started in [lo, hi):
    the activities' own rule (``activities.selectors.held_between``)."""
    return meetings.filter(activity_selectors.held_between(lo, hi, through="activity__"))


def polls_taken(meetings: QuerySet[Meeting]) -> QuerySet[Poll]:
    """Votes (表决事项) closed at these meetings."""
    return Poll.objects.filter(meeting__in=meetings.values("pk"), status=Poll.Status.CLOSED)


def elections_held(meetings: QuerySet[Meeting]) -> QuerySet[Election]:
    """Elections (选举) closed and counted at these meetings."""
    return Election.objects.filter(meeting__in=meetings.values("pk"),
                                   status=Election.Status.CLOSED)


def oral_speeches(meetings: QuerySet[Meeting]) -> QuerySet[Speaker]:
    """Oral speeches (大会发言): written speeches chosen for the floor, on the list of speakers
    of these meetings (a member's request to speak is not one)."""
    return Speaker.objects.filter(item__meeting__in=meetings.values("pk"),
                                  speech__isnull=False)


# --- discussion groups (分组讨论) ----------------------------------------------------------------


def group_pool(meeting: Meeting) -> QuerySet[Member]:
    """Who is placed in the groups: the members invited to the meeting's activity, or, before
    anyone is invited, the members of the body (:func:`body_size`)."""
    invited = Member.objects.filter(activity_invitations__activity_id=meeting.activity_id)
    if invited.exists():
        return invited.select_related("sector")
    qs = Member.objects.filter(committee_id=meeting.committee_id, status=Member.Status.ACTIVE)
    if meeting.kind == Meeting.Kind.STANDING:
        qs = qs.filter(is_standing=True)
    return qs.select_related("sector")


def groups(meeting: Meeting) -> list[DiscussionGroup]:
    """The meeting's groups in order, each with ``placed`` (its members, by sector and name)."""
    out = list(meeting.groups.select_related("convener").prefetch_related("sectors"))
    placed: dict[int, list[Member]] = {g.pk: [] for g in out}
    for gm in (GroupMember.objects.filter(meeting=meeting)
               .select_related("member__sector").order_by("member__sector__order",
                                                          "member__name", "member_id")):
        placed[gm.group_id].append(gm.member)
    for g in out:
        g.placed = placed[g.pk]  # type: ignore[attr-defined]
    return out


def ungrouped(meeting: Meeting) -> QuerySet[Member]:
    """Members of the pool in no group yet (未分组): without a sector, or of a sector no group
    took, or added later."""
    taken = GroupMember.objects.filter(meeting=meeting).values("member_id")
    return group_pool(meeting).exclude(pk__in=taken).order_by("sector__order", "name", "id")


def my_group(meeting: Meeting, member_id: int | None) -> DiscussionGroup | None:
    """The member's own group at the meeting, with ``placed`` (fellow members), or ``None``."""
    if member_id is None:
        return None
    gm = GroupMember.objects.filter(meeting=meeting, member_id=member_id).first()
    if gm is None:
        return None
    return next((g for g in groups(meeting) if g.pk == gm.group_id), None)


def runoff_plan(election: Election) -> list[tuple[str, int, list[str]]]:
    """The runoff (另行选举) a closed election's count calls for: per position that left seats
    empty, its name, the seats left and the names the count put forward."""
    return [(str(r["position"]), int(r["runoff_seats"]), list(r["runoff_names"]))
            for r in (election.result or {}).get("positions", []) if r.get("runoff_seats")]


@dataclass(frozen=True)
class Round:
    election: Election
    elected: list[str]


@dataclass(frozen=True)
class Combined:
    position: str
    seats: int
    rounds: list[Round]

    @property
    def elected(self) -> list[str]:
        return [name for r in self.rounds for name in r.elected]

    @property
    def empty(self) -> int:
        return max(0, self.seats - len(self.elected))


def combined_result(election: Election) -> list[Combined]:
    """The result of a runoff together with the rounds before it: per position of the first
    election, the seats and who was elected in each round (a round not closed yet elects
    nobody so far)."""
    chain = [election]
    while chain[0].runoff_of_id is not None:
        first = chain[0].runoff_of
        assert first is not None
        chain.insert(0, first)
    rows = [Combined(str(r["position"]), int(r["seats"]), [])
            for r in chain[0].result.get("positions", [])]
    by_name = {c.position: c for c in rows}
    for e in chain:
        results = {str(r["position"]): list(r["elected"])
                   for r in (e.result or {}).get("positions", [])}
        for name in (results if e.status == Election.Status.CLOSED else
                     e.positions.values_list("name", flat=True)):
            if name in by_name:
                by_name[name].rounds.append(Round(e, results.get(name, [])))
    return rows
