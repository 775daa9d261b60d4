"""The lifecycles of this app: a vote (表决) and an election (选举) are opened and closed by
staff; closing fixes the record (counts, result, digest), which nothing changes afterwards."""

from __future__ import annotations

import hashlib
import json

from django.db.models import F, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieshang.core import audit, clock
from xieshang.core.permissions import Actor
from xieshang.core.workflow import STAY, Changes, Lifecycle, Step, StepIn
from xieshang.meetings import counting, permissions, selectors
from xieshang.meetings.models import (
    Candidate,
    Choice,
    Election,
    ElectionTally,
    Majority,
    MeetingEvent,
    PaperBox,
    Poll,
    PollTally,
    Position,
)

P = Poll.Status
E = Election.Status


class PollStepIn(StepIn):
    note: str = ""


class ElectionStepIn(StepIn):
    note: str = ""


def digest(record: dict[str, object]) -> str:
    return hashlib.sha256(json.dumps(record, sort_keys=True, ensure_ascii=False)
                          .encode()).hexdigest()


def _open_poll(actor: Actor, poll: Poll, data: PollStepIn) -> Changes:
    def tallies() -> None:
        PollTally.objects.bulk_create(
            [PollTally(committee_id=poll.committee_id, poll=poll, choice=c) for c in Choice.values],
            ignore_conflicts=True)
    return Changes(fields={"opened_at": clock.now()}, after_save=[tallies])


def poll_record(poll: Poll) -> Changes:
    """The closed record of a vote: electronic tallies plus the paper ballot boxes."""
    counts = selectors.counts(poll.meeting)
    tallies = selectors.live_tallies(poll)
    paper = PaperBox.objects.filter(poll=poll).aggregate(
        yes=Sum("yes"), no=Sum("no"), abstain=Sum("abstain"))
    yes = tallies.get(Choice.YES, 0) + (paper["yes"] or 0)
    no = tallies.get(Choice.NO, 0) + (paper["no"] or 0)
    abstain = tallies.get(Choice.ABSTAIN, 0) + (paper["abstain"] or 0)
    passed = counting.motion_passes(yes, members_total=counts.members_total,
                                    present=counts.registered,
                                    of_present=poll.majority == Majority.PRESENT)
    fields: dict[str, object] = {
        "closed_at": clock.now(), "members_total": counts.members_total,
        "present": counts.registered, "yes": yes, "no": no, "abstain": abstain,
        "passed": passed}
    fields["digest"] = digest({"poll": poll.pk, "title": poll.title, **{
        k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in fields.items()}})

    def touch() -> None:
        # Rewrite every counter in the closing transaction: on PostgreSQL a row's xmin would
        # otherwise name the last voter's transaction (docs/security.md).
        PollTally.objects.filter(poll=poll).update(votes=F("votes"))
    return Changes(fields=fields, after_save=[touch],
                   note=_("In favour %(y)s, against %(n)s, abstentions %(a)s")
                   % {"y": yes, "n": no, "a": abstain})


def _close_poll(actor: Actor, poll: Poll, data: PollStepIn) -> Changes:
    return poll_record(poll)


POLL: Lifecycle[Poll] = Lifecycle(
    name="poll", model=Poll, event_model=MeetingEvent, event_field="poll",
    audit_prefix="poll", schema_prefix="Poll", url_name="meetings:poll-act",
    template_prefix="poll_", describe=lambda p: p.title,
    steps=[
        Step("open", P.DRAFT, P.OPEN, permissions.can_run_poll, gettext_lazy("Open the vote"),
             input=PollStepIn, run=_open_poll, done=gettext_lazy("The vote is open.")),
        Step("close", P.OPEN, P.CLOSED, permissions.can_run_poll,
             gettext_lazy("Close the vote"), input=PollStepIn, run=_close_poll,
             confirm=gettext_lazy("Close the vote? The result cannot be changed afterwards."),
             done=gettext_lazy("The vote is closed.")),
    ])


def _election_guard(actor: Actor, election: Election) -> str | None:
    positions = list(election.positions.all())
    if not positions:
        return _("Add at least one position first.")
    for p in positions:
        if p.candidates.count() < p.seats:
            return _("%(p)s has fewer candidates than seats.") % {"p": p.name}
    return None


def _opened(actor: Actor, election: Election, data: ElectionStepIn) -> Changes:
    return Changes(fields={"opened_at": clock.now()})


def election_record(election: Election) -> Changes:
    counts = selectors.counts(election.meeting)
    result: list[dict[str, object]] = []
    for position in election.positions.all():
        votes = dict(ElectionTally.objects.filter(position=position)
                     .values_list("name", "votes"))
        written = set(ElectionTally.objects.filter(position=position, written_in=True)
                      .values_list("name", flat=True))
        r = counting.decide(position.seats, valid=position.valid, invalid=position.invalid,
                            votes=votes, rule=election.rule)
        result.append({"position": position.name, "seats": position.seats, "cast": r.cast,
                       "valid": r.valid, "invalid": r.invalid,
                       "votes": [[n, v, n in written] for n, v in r.votes.items()],
                       "elected": r.elected, "runoff_seats": r.runoff_seats,
                       "runoff_names": r.runoff_names})
    fields: dict[str, object] = {"closed_at": clock.now(), "members_total": counts.members_total,
                                 "present": counts.registered, "result": {"positions": result}}
    fields["digest"] = digest({"election": election.pk, "title": election.title,
                               "ballots": election.ballots, **{
                                   k: (v.isoformat() if hasattr(v, "isoformat") else v)
                                   for k, v in fields.items()}})

    def touch() -> None:
        ElectionTally.objects.filter(position__election=election).update(votes=F("votes"))
    return Changes(fields=fields, after_save=[touch])


def _close_election(actor: Actor, election: Election, data: ElectionStepIn) -> Changes:
    return election_record(election)


def _runoff_guard(actor: Actor, election: Election) -> str | None:
    if election.runoffs.exists():
        return _("The runoff of this election has been set up already.")
    plan = selectors.runoff_plan(election)
    if not plan:
        return _("Every seat is filled: no runoff is needed.")
    for name, seats, names in plan:
        if len(names) < seats:
            return _("%(p)s: fewer names than seats left for a runoff; set up a new election "
                     "with new nominees.") % {"p": name}
    return None


def _runoff(actor: Actor, election: Election, data: ElectionStepIn) -> Changes:
    """另行选举: a new election on the same meeting for the seats left empty, its candidates the
    names the count gave (差额 when more names than seats, else 等额), counted by the runoff
    rule (``counting.RUNOFF``)."""
    runoff = Election.objects.create(
        committee_id=election.committee_id, meeting_id=election.meeting_id, runoff_of=election,
        title=(_("%(t)s (runoff)") % {"t": election.title})[:200])
    members = {c.name: c.member_id for c in
               Candidate.objects.filter(position__election=election)}
    plan = selectors.runoff_plan(election)
    for order, (name, seats, names) in enumerate(plan, start=1):
        position = Position.objects.create(committee_id=election.committee_id, election=runoff,
                                           name=name, seats=seats, order=order)
        for n, candidate in enumerate(names, start=1):
            Candidate.objects.create(committee_id=election.committee_id, position=position,
                                     name=candidate, member_id=members.get(candidate), order=n)
            ElectionTally.objects.create(committee_id=election.committee_id, position=position,
                                         name=candidate)
    audit.record(actor, "election.create", runoff, after={
        "title": runoff.title, "runoff_of": election.pk,
        "positions": [[name, seats, list(names)] for name, seats, names in plan]})
    return Changes(note=runoff.title)


ELECTION: Lifecycle[Election] = Lifecycle(
    name="election", model=Election, event_model=MeetingEvent, event_field="election",
    audit_prefix="election", schema_prefix="Election", url_name="meetings:election-act",
    template_prefix="election_", describe=lambda e: e.title,
    steps=[
        Step("open", E.DRAFT, E.OPEN, permissions.can_run_election,
             gettext_lazy("Open the election"), guard=_election_guard, input=ElectionStepIn,
             run=_opened, done=gettext_lazy("The election is open.")),
        Step("close", E.OPEN, E.CLOSED, permissions.can_run_election,
             gettext_lazy("Close the election and count"), input=ElectionStepIn,
             run=_close_election,
             confirm=gettext_lazy("Close the election? The result cannot be changed "
                                  "afterwards."),
             done=gettext_lazy("The election is closed and counted.")),
        Step("runoff", E.CLOSED, STAY, permissions.can_run_election,
             gettext_lazy("Set up the runoff"), guard=_runoff_guard, input=ElectionStepIn,
             run=_runoff,
             confirm=gettext_lazy("Set up a runoff for the seats left empty, with the names "
                                  "the count gave?"),
             done=gettext_lazy("The runoff is set up; open it when the members are ready.")),
    ])

POLL_TRANSITIONS = POLL.table
ELECTION_TRANSITIONS = ELECTION.table
