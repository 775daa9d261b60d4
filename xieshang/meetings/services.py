"""Every write of the meetings app: one transaction, a permission check and an audit row each.

Votes and elections are opened and closed through the workflow engine (``workflow.py``); the
typed functions here only call it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from xieshang.activities import services as activity_services
from xieshang.activities.models import Activity, Category, Invitation, Speech
from xieshang.core import audit, clock
from xieshang.core.inputs import refuse_nul
from xieshang.core.permissions import Actor, require
from xieshang.core.workflow import step_input, transition
from xieshang.meetings import permissions, selectors, workflow
from xieshang.meetings.models import (
    AgendaItem,
    Candidate,
    Choice,
    DiscussionGroup,
    Election,
    ElectionParticipation,
    ElectionTally,
    GroupMember,
    Majority,
    Meeting,
    Paper,
    PaperBox,
    PaperRead,
    Poll,
    PollParticipation,
    PollTally,
    Position,
    Speaker,
)
from xieshang.members.models import Member, Sector
from xieshang.portal import services as portal_services
from xieshang.portal.models import Article
from xieshang.portal.workflow import ARTICLE

WRITE_IN_MAX = 50


def _manage(actor: Actor, obj: Any) -> None:
    require(permissions.can_manage_meeting(actor, obj) or (actor.system and actor.acts_in(obj)))


def _text(value: str, message: str, limit: int = 200) -> str:
    refuse_nul({"__all__": value})
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value[:limit]


# --- the meeting ---------------------------------------------------------------------------


@transaction.atomic
def meeting_create(*, actor: Actor, activity: Activity, kind: str = Meeting.Kind.PLENARY,
                   title: str = "") -> Meeting:
    """Run a plenary or standing committee meeting on the activity that records it."""
    _manage(actor, activity)
    if kind not in Meeting.Kind.values:
        raise ValidationError(_("Choose the kind of meeting."))
    if activity.type.category != Category.MEETING:
        raise ValidationError(_("Choose an activity that is a meeting."))
    if Meeting.objects.filter(activity=activity).exists():
        raise ValidationError(_("This activity already has its meeting."))
    meeting = Meeting.objects.create(committee_id=activity.committee_id, activity=activity,
                                     kind=kind, title=(title.strip() or activity.title)[:200])
    audit.record(actor, "meeting.create", meeting, after={"activity": activity.pk, "kind": kind})
    return meeting


def register(*, actor: Actor, meeting: Meeting, member: Member) -> Invitation:
    """Register (报到) a member at the desk: the activity's attendance, recorded by staff."""
    _manage(actor, meeting)
    invitation = Invitation.objects.filter(activity_id=meeting.activity_id,
                                           member=member).first()
    if invitation is None:
        raise ValidationError(_("%(m)s is not among the members expected at this meeting.")
                              % {"m": member})
    return activity_services.attendance_record(
        actor=actor, invitation=invitation, attendance=Invitation.Attendance.ATTENDED)


@transaction.atomic
def project(*, actor: Actor, meeting: Meeting, item: AgendaItem | None = None,
            poll: Poll | None = None, election: Election | None = None) -> Meeting:
    """Choose what the projector shows: an agenda item, a vote's or an election's result."""
    _manage(actor, meeting)
    for obj in (item, poll, election):
        if obj is not None and getattr(obj, "meeting_id", None) != meeting.pk:
            raise ValidationError(_("That is not part of this meeting."))
    m = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if item is not None:
        m.current_item = item
    m.current_poll = poll
    m.current_election = election
    m.save(update_fields=["current_item", "current_poll", "current_election"])
    audit.record(actor, "meeting.project", m, after={
        "item": item.pk if item else None, "poll": poll.pk if poll else None,
        "election": election.pk if election else None})
    return m


# --- agenda and papers ---------------------------------------------------------------------


@transaction.atomic
def agenda_item_add(*, actor: Actor, meeting: Meeting, title: str,
                    starts_at: dt.datetime | None = None) -> AgendaItem:
    _manage(actor, meeting)
    title = _text(title, _("Give the title of the agenda item."))
    last = meeting.items.aggregate(m=Max("position"))["m"] or 0
    item = AgendaItem.objects.create(committee_id=meeting.committee_id, meeting=meeting,
                                     position=last + 1, title=title, starts_at=starts_at)
    audit.record(actor, "meeting.agenda_add", item, after={"title": title})
    return item


@transaction.atomic
def paper_add(*, actor: Actor, item: AgendaItem, title: str, text: str,
              kind: str = Paper.Kind.DRAFT, withdraw_after: bool = False) -> Paper:
    _manage(actor, item)
    if kind not in Paper.Kind.values:
        raise ValidationError(_("Choose whether the paper is a draft or the final text."))
    paper = Paper.objects.create(
        committee_id=item.committee_id, item=item,
        title=_text(title, _("Give the title of the paper.")),
        text=_text(text, _("Give the text of the paper."), 200_000), kind=kind,
        withdraw_after=withdraw_after)
    audit.record(actor, "meeting.paper_add", paper, after={"title": paper.title, "kind": kind})
    return paper


@transaction.atomic
def paper_read_confirm(*, actor: Actor, paper: Paper) -> PaperRead:
    """The member confirms having read the paper (once; again changes nothing)."""
    require(paper in selectors.visible_papers(actor) and actor.member_id is not None,
            _("Only participants confirm reading a paper."))
    assert actor.member_id is not None
    row, created = PaperRead.objects.get_or_create(
        paper=paper, member_id=actor.member_id,
        defaults={"committee_id": paper.committee_id, "read_at": clock.now()})
    if created:
        audit.record(actor, "meeting.paper_read", paper)
    return row


# --- speakers ------------------------------------------------------------------------------


def _next_position(item: AgendaItem) -> int:
    return (item.speakers.aggregate(m=Max("position"))["m"] or 0) + 1


@transaction.atomic
def oral_pick(*, actor: Actor, item: AgendaItem, speech: Speech, minutes: int = 8) -> Speaker:
    """Choose a submitted speech (大会发言) for oral delivery under an agenda item: the speech is
    marked oral (``activities.services.speech_mark_oral``) and its author joins the list."""
    _manage(actor, item)
    if speech.activity_id != item.meeting.activity_id:
        raise ValidationError(_("That speech was not submitted for this meeting."))
    if Speaker.objects.filter(item__meeting=item.meeting, speech=speech).exists():
        raise ValidationError(_("That speech is already on the list of speakers."))
    if not 1 <= minutes <= 60:
        raise ValidationError(_("Speaking time must be 1 to 60 minutes."))
    activity_services.speech_mark_oral(actor=actor, speech=speech, is_oral=True)
    speaker = Speaker.objects.create(committee_id=item.committee_id, item=item,
                                     member_id=speech.member_id, speech=speech,
                                     position=_next_position(item), minutes=minutes)
    audit.record(actor, "meeting.oral_pick", speaker, after={"speech": speech.pk})
    return speaker


@transaction.atomic
def oral_unpick(*, actor: Actor, speaker: Speaker) -> None:
    _manage(actor, speaker)
    if speaker.started_at is not None:
        raise ValidationError(_("That speaker has already spoken."))
    if speaker.speech is not None:
        activity_services.speech_mark_oral(actor=actor, speech=speaker.speech, is_oral=False)
    audit.record(actor, "meeting.speaker_remove", speaker, before={"member": speaker.member_id})
    speaker.delete()


@transaction.atomic
def speaker_request(*, actor: Actor, item: AgendaItem) -> Speaker:
    """A registered member asks to speak on an agenda item."""
    meeting = item.meeting
    require(actor.acts_in(item) and selectors.is_registered(meeting, actor.member_id),
            _("Only registered members may ask to speak."))
    assert actor.member_id is not None
    if Speaker.objects.filter(item=item, member_id=actor.member_id,
                              ended_at__isnull=True).exists():
        raise ValidationError(_("You are already on the list of speakers."))
    speaker = Speaker.objects.create(committee_id=item.committee_id, item=item,
                                     member_id=actor.member_id, position=_next_position(item))
    audit.record(actor, "meeting.speaker_request", speaker)
    return speaker


@transaction.atomic
def speaker_move(*, actor: Actor, speaker: Speaker, up: bool) -> Speaker:
    """Move a speaker one place up or down the list of their agenda item."""
    _manage(actor, speaker)
    rows = list(Speaker.objects.select_for_update().filter(item_id=speaker.item_id)
                .order_by("position", "id"))
    i = next(n for n, s in enumerate(rows) if s.pk == speaker.pk)
    j = i - 1 if up else i + 1
    if 0 <= j < len(rows):
        rows[i], rows[j] = rows[j], rows[i]
        for n, row in enumerate(rows, start=1):
            if row.position != n:
                row.position = n
                row.save(update_fields=["position"])
        audit.record(actor, "meeting.speaker_move", speaker, after={"up": up})
    return Speaker.objects.get(pk=speaker.pk)


@transaction.atomic
def speaker_start(*, actor: Actor, speaker: Speaker) -> Speaker:
    """Give the floor: the projector shows the speaker and the timer starts."""
    _manage(actor, speaker)
    meeting = Meeting.objects.select_for_update().get(pk=speaker.item.meeting_id)
    now = clock.now()
    Speaker.objects.filter(item__meeting=meeting, started_at__isnull=False,
                           ended_at__isnull=True).exclude(pk=speaker.pk).update(ended_at=now)
    speaker.started_at, speaker.ended_at = now, None
    speaker.save(update_fields=["started_at", "ended_at"])
    meeting.current_item_id, meeting.current_speaker_id = speaker.item_id, speaker.pk
    meeting.current_poll, meeting.current_election = None, None
    meeting.save(update_fields=["current_item", "current_speaker", "current_poll",
                                "current_election"])
    audit.record(actor, "meeting.speaker_start", speaker)
    return speaker


@transaction.atomic
def speaker_stop(*, actor: Actor, speaker: Speaker) -> Speaker:
    _manage(actor, speaker)
    if speaker.started_at is None:
        raise ValidationError(_("That speaker has not started."))
    speaker.ended_at = speaker.ended_at or clock.now()
    speaker.save(update_fields=["ended_at"])
    Meeting.objects.filter(pk=speaker.item.meeting_id, current_speaker=speaker).update(
        current_speaker=None)
    audit.record(actor, "meeting.speaker_stop", speaker)
    return speaker


# --- votes ---------------------------------------------------------------------------------


@transaction.atomic
def poll_create(*, actor: Actor, meeting: Meeting, title: str, item: AgendaItem | None = None,
                secret: bool = False, majority: str = Majority.ALL_MEMBERS) -> Poll:
    _manage(actor, meeting)
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError(_("That agenda item is not part of this meeting."))
    if majority not in Majority.values:
        raise ValidationError(_("Choose the majority the vote needs."))
    poll = Poll.objects.create(committee_id=meeting.committee_id, meeting=meeting, item=item,
                               title=_text(title, _("Give what is voted on.")), secret=secret,
                               majority=majority)
    audit.record(actor, "poll.create", poll, after={"title": poll.title, "secret": secret,
                                                     "majority": majority})
    return poll


def poll_open(*, actor: Actor, poll: Poll, version: int | None = None) -> Poll:
    return transition(workflow.POLL, actor=actor, obj=poll, step="open", version=version,
                      data=step_input(workflow.PollStepIn))


def poll_close(*, actor: Actor, poll: Poll, version: int | None = None) -> Poll:
    return transition(workflow.POLL, actor=actor, obj=poll, step="close", version=version,
                      data=step_input(workflow.PollStepIn))


def _may_vote(actor: Actor, meeting: Meeting) -> int:
    require(actor.acts_in(meeting) and actor.member_id is not None,
            _("Only members of this committee vote."))
    if not selectors.is_registered(meeting, actor.member_id):
        raise ValidationError(_("Register (报到) first: only registered members vote."),
                              code="not_registered")
    assert actor.member_id is not None
    return actor.member_id


def vote_cast(*, actor: Actor, poll: Poll, choice: str) -> None:
    """One registered member's vote, once. For a secret vote only the fact of voting is stored
    with the member; the choice only increments its counter (unlinkable, docs/security.md)."""
    member_id = _may_vote(actor, poll.meeting)
    if choice not in Choice.values:
        raise ValidationError(_("Choose in favour, against or abstain."))
    with transaction.atomic():
        if Poll.objects.filter(pk=poll.pk, status=Poll.Status.OPEN).count() != 1:
            raise ValidationError(_("This vote is not open."), code="not_open")
        try:
            with transaction.atomic():
                PollParticipation.objects.create(
                    committee_id=poll.committee_id, poll=poll, member_id=member_id,
                    choice="" if poll.secret else choice)
        except IntegrityError:
            raise ValidationError(_("You have already voted."), code="already_voted") from None
        PollTally.objects.filter(poll=poll, choice=choice).update(votes=F("votes") + 1)
        audit.record(actor, "poll.vote", poll, after={} if poll.secret else {"choice": choice})


@transaction.atomic
def paper_box_record(*, actor: Actor, poll: Poll, label: str, yes: int, no: int, abstain: int,
                     ballots: int) -> PaperBox:
    """The counts of one ballot box of paper ballots (the fallback), while the vote is open."""
    _manage(actor, poll)
    if Poll.objects.filter(pk=poll.pk, status=Poll.Status.OPEN).count() != 1:
        raise ValidationError(_("Paper ballots are entered while the vote is open."))
    if min(yes, no, abstain, ballots) < 0:
        raise ValidationError(_("Counts cannot be negative."))
    if yes + no + abstain > ballots:
        raise ValidationError(_("In favour, against and abstentions add up to more than the "
                                "ballots in the box."))
    label = _text(label, _("Name the ballot box."), 50)
    if PaperBox.objects.filter(poll=poll, label=label).exists():
        raise ValidationError(_("That ballot box has been entered already."))
    box = PaperBox.objects.create(committee_id=poll.committee_id, poll=poll, label=label,
                                  yes=yes, no=no, abstain=abstain, voters=ballots)
    audit.record(actor, "poll.paper_box", poll, after={
        "box": label, "yes": yes, "no": no, "abstain": abstain, "ballots": ballots})
    return box


# --- elections -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PositionSpec:
    name: str
    seats: int
    candidates: Sequence[str | Member]


@transaction.atomic
def election_create(*, actor: Actor, meeting: Meeting, title: str,
                    positions: Sequence[PositionSpec]) -> Election:
    """An election with its positions and candidate lists (等额: as many candidates as seats;
    差额: more)."""
    _manage(actor, meeting)
    if not positions:
        raise ValidationError(_("Add at least one position first."))
    election = Election.objects.create(committee_id=meeting.committee_id, meeting=meeting,
                                       title=_text(title, _("Give the title of the election.")))
    for order, spec in enumerate(positions, start=1):
        if not 1 <= spec.seats <= 200:
            raise ValidationError(_("Seats must be 1 to 200."))
        position = Position.objects.create(
            committee_id=meeting.committee_id, election=election, order=order,
            name=_text(spec.name, _("Give the name of the position."), 100), seats=spec.seats)
        names: set[str] = set()
        for n, c in enumerate(spec.candidates, start=1):
            member = c if isinstance(c, Member) else None
            if member is not None and member.committee_id != meeting.committee_id:
                raise ValidationError(_("%(m)s belongs to another committee.") % {"m": member})
            name = _text(member.name if member else str(c), _("Give the candidate's name."), 50)
            if name in names:
                raise ValidationError(_("%(n)s is listed twice.") % {"n": name})
            names.add(name)
            Candidate.objects.create(committee_id=meeting.committee_id, position=position,
                                     name=name, member=member, order=n)
            ElectionTally.objects.create(committee_id=meeting.committee_id, position=position,
                                         name=name)
        if len(names) < spec.seats:
            raise ValidationError(_("%(p)s has fewer candidates than seats.") % {"p": position})
    audit.record(actor, "election.create", election, after={
        "title": election.title,
        "positions": [[p.name, p.seats, [str(c) for c in p.candidates]] for p in positions]})
    return election


def election_open(*, actor: Actor, election: Election, version: int | None = None) -> Election:
    return transition(workflow.ELECTION, actor=actor, obj=election, step="open",
                      version=version, data=step_input(workflow.ElectionStepIn))


def election_close(*, actor: Actor, election: Election,
                   version: int | None = None) -> Election:
    return transition(workflow.ELECTION, actor=actor, obj=election, step="close",
                      version=version, data=step_input(workflow.ElectionStepIn))


def election_runoff(*, actor: Actor, election: Election,
                    version: int | None = None) -> Election:
    """另行选举: set up the runoff of a closed election's empty seats (``workflow._runoff``)
    and return it, ready to open."""
    transition(workflow.ELECTION, actor=actor, obj=election, step="runoff", version=version,
               data=step_input(workflow.ElectionStepIn))
    return election.runoffs.get()


def _bump(position: Position, name: str, written_in: bool) -> None:
    if ElectionTally.objects.filter(position=position, name=name).update(
            votes=F("votes") + 1):
        return
    try:
        with transaction.atomic():
            ElectionTally.objects.create(committee_id=position.committee_id, position=position,
                                         name=name, written_in=written_in, votes=1)
    except IntegrityError:  # written in by another voter at the same moment
        ElectionTally.objects.filter(position=position, name=name).update(votes=F("votes") + 1)


def ballot_cast(*, actor: Actor, election: Election,
                marks: Mapping[int, Sequence[str]]) -> None:
    """One registered member's ballot: per position (by id) the names marked, candidates or
    written in. A part marking more names than seats is counted invalid for that position. The
    member is recorded as having voted; what they marked only increments counters."""
    member_id = _may_vote(actor, election.meeting)
    positions = {p.pk: p for p in election.positions.all()}
    unknown = set(marks) - set(positions)
    if unknown:
        raise ValidationError(_("That position is not part of this election."))
    cleaned: dict[int, tuple[set[str], set[str]]] = {}
    for pid, position in positions.items():
        candidates = set(position.candidates.values_list("name", flat=True))
        refuse_nul({"marks": " ".join(str(n) for n in marks.get(pid, ()))})
        names = {str(n).strip()[:WRITE_IN_MAX] for n in marks.get(pid, ()) if str(n).strip()}
        cleaned[pid] = (names, names - candidates)
    with transaction.atomic():
        if Election.objects.filter(pk=election.pk, status=Election.Status.OPEN).count() != 1:
            raise ValidationError(_("This election is not open."), code="not_open")
        try:
            with transaction.atomic():
                ElectionParticipation.objects.create(committee_id=election.committee_id,
                                                     election=election, member_id=member_id)
        except IntegrityError:
            raise ValidationError(_("You have already voted."), code="already_voted") from None
        for pid, (names, written) in cleaned.items():
            position = positions[pid]
            if len(names) > position.seats:
                Position.objects.filter(pk=pid).update(invalid=F("invalid") + 1)
                continue
            Position.objects.filter(pk=pid).update(valid=F("valid") + 1)
            for name in names:
                _bump(position, name, name in written)
        Election.objects.filter(pk=election.pk).update(ballots=F("ballots") + 1)
        audit.record(actor, "election.ballot", election)


# --- after the meeting: results and final texts on the public website ----------------------

Published = Poll | Election | Paper


def _day(when: dt.datetime | None) -> str:
    d = clock.local(when or clock.now()).date()
    return _("%(y)s-%(m)s-%(d)s") % {"y": d.year, "m": d.month, "d": d.day}


def _poll_article(poll: Poll) -> tuple[str, str]:
    meeting = poll.meeting
    title = _("%(meeting)s: result of the vote on “%(title)s”") % {
        "meeting": meeting.title, "title": poll.title}
    how = _("by secret ballot") if poll.secret else _("by open vote")
    body = (format_html("<p>{}</p>", _("On %(day)s, %(meeting)s voted %(how)s on “%(title)s”.")
                        % {"day": _day(poll.closed_at), "meeting": meeting.title, "how": how,
                           "title": poll.title})
            + format_html("<p>{}</p>", _("Members %(t)s, present %(p)s. In favour %(y)s, "
                                         "against %(n)s, abstentions %(a)s.")
                          % {"t": poll.members_total, "p": poll.present, "y": poll.yes,
                             "n": poll.no, "a": poll.abstain})
            + format_html("<p><strong>{}</strong>（{}）</p>",
                          _("The motion is adopted.") if poll.passed
                          else _("The motion is not adopted."), poll.get_majority_display()))
    return title, body


def _election_article(election: Election) -> tuple[str, str]:
    meeting = election.meeting
    title = _("%(meeting)s: result of the election “%(title)s”") % {
        "meeting": meeting.title, "title": election.title}
    body = format_html("<p>{}</p>", _(
        "On %(day)s, %(meeting)s held the election “%(title)s” by secret ballot. Members "
        "%(t)s, present %(p)s, ballots cast %(b)s.") % {
        "day": _day(election.closed_at), "meeting": meeting.title, "title": election.title,
        "t": election.members_total, "p": election.present, "b": election.ballots})
    for r in election.result.get("positions", []):
        # Only the elected and their totals: never who marked what (there is no such record),
        # and not the names written in by someone that nobody elected.
        votes = {str(v[0]): int(v[1]) for v in r.get("votes", [])}
        elected = format_html_join("、", "{}（{}）", (
            (name, _("%(n)s votes") % {"n": votes.get(name, 0)}) for name in r.get("elected", [])))
        body += format_html("<h3>{}</h3><p>{}</p><p>{}：{}</p>", _(
            "%(position)s (%(seats)s to elect)") % {"position": r.get("position", ""),
                                                    "seats": r.get("seats", 0)},
            _("Valid %(v)s, invalid %(i)s") % {"v": r.get("valid", 0),
                                               "i": r.get("invalid", 0)},
            _("Elected"), elected or _("nobody"))
        if r.get("runoff_seats"):
            body += format_html("<p>{}</p>", _(
                "%(s)s seat(s) not filled: another round of voting will be held.")
                % {"s": r["runoff_seats"]})
    return title, body


def _paper_article(paper: Paper) -> tuple[str, str]:
    paragraphs = [p.strip() for p in paper.text.splitlines() if p.strip()]
    body = format_html_join("", "<p>{}</p>", ((p,) for p in paragraphs))
    body += format_html("<p>{}</p>", _("(Final text of %(meeting)s)")
                        % {"meeting": paper.item.meeting.title})
    return paper.title, body


@transaction.atomic
def result_publish(*, actor: Actor, obj: Published) -> Article:
    """Put a closed vote's or election's result, or a final text (e.g. the political
    resolution), on the committee's public website: an article in the meetings column that
    follows the website's own lifecycle (written and submitted here; a reviewer publishes it,
    four eyes). Once only: a second call returns the same article."""
    require(permissions.can_publish_result(actor, obj) or (actor.system and actor.acts_in(obj)))
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    if obj.article_id is not None:
        article = Article.objects.get(pk=obj.article_id)
        return article
    with translation.override(settings.LANGUAGE_CODE):  # the website speaks Chinese
        if isinstance(obj, Paper):
            if obj.kind != Paper.Kind.FINAL or obj.withdraw_after:
                raise ValidationError(_("Only a final text that stays after the meeting can "
                                        "go on the website."))
            title, body = _paper_article(obj)
        elif obj.status != Poll.Status.CLOSED:
            raise ValidationError(_("The result goes on the website once the voting is "
                                    "closed."))
        elif isinstance(obj, Poll):
            title, body = _poll_article(obj)
        else:
            title, body = _election_article(obj)
        slug, name, kind = portal_services.MEETINGS_COLUMN
        column = portal_services.column_ensure(actor=actor, committee=obj.committee, slug=slug,
                                               name=name, kind=kind)
        article = portal_services.article_save(actor=actor, committee=obj.committee,
                                               column=column, title=title[:200], body=body)
    article = transition(ARTICLE, actor=actor, obj=article, step="submit",
                         version=article.version)
    obj.article = article
    obj.save(update_fields=["article"])
    audit.record(actor, "meeting.publish", obj, after={"article": article.pk})
    return article


# --- discussion groups (分组讨论) ----------------------------------------------------------------


def _same_meeting_member(meeting: Meeting, member: Member) -> None:
    if not selectors.group_pool(meeting).filter(pk=member.pk).exists():
        raise ValidationError(_("%(m)s is not among the members of this meeting.")
                              % {"m": member})


@transaction.atomic
def group_create(*, actor: Actor, meeting: Meeting, name: str, venue: str = "",
                 starts_at: dt.datetime | None = None) -> DiscussionGroup:
    """A discussion group of the meeting (name like “第一组（中共、教育界）”), empty at first."""
    _manage(actor, meeting)
    name = _text(name, _("Give the name of the group."), 100)
    refuse_nul({"venue": venue})
    if meeting.groups.filter(name=name).exists():
        raise ValidationError(_("The meeting already has a group of that name."))
    last = meeting.groups.aggregate(m=Max("order"))["m"] or 0
    group = DiscussionGroup.objects.create(
        committee_id=meeting.committee_id, meeting=meeting, name=name, order=last + 1,
        venue=(venue or "").strip()[:100], starts_at=starts_at)
    audit.record(actor, "meeting.group_create", group, after={"name": name})
    return group


@transaction.atomic
def group_update(*, actor: Actor, group: DiscussionGroup, name: str, venue: str = "",
                 starts_at: dt.datetime | None = None,
                 convener: Member | None = None) -> DiscussionGroup:
    """Change a group's name, room, time and convener (召集人: one of its members)."""
    _manage(actor, group)
    name = _text(name, _("Give the name of the group."), 100)
    refuse_nul({"venue": venue})
    if group.meeting.groups.filter(name=name).exclude(pk=group.pk).exists():
        raise ValidationError(_("The meeting already has a group of that name."))
    if convener is not None and not GroupMember.objects.filter(
            group=group, member=convener).exists():
        raise ValidationError(_("The convener must be a member of the group."))
    before = {"name": group.name, "venue": group.venue, "convener": group.convener_id}
    group.name, group.venue, group.starts_at = name, (venue or "").strip()[:100], starts_at
    group.convener = convener
    group.save(update_fields=["name", "venue", "starts_at", "convener"])
    audit.record(actor, "meeting.group_update", group, before=before,
                 after={"name": name, "venue": group.venue, "convener": group.convener_id})
    return group


@transaction.atomic
def groups_fill_by_sector(*, actor: Actor, meeting: Meeting,
                          sectors: Mapping[DiscussionGroup, Sequence[Sector]]) -> int:
    """One action: each group takes the sectors chosen for it (groups left out take none), and
    every member of the meeting in those sectors who is in no group yet joins it. A sector goes
    to one group only; members already placed (by hand or an earlier fill) stay where they are.
    Returns how many joined."""
    _manage(actor, meeting)
    seen: dict[int, DiscussionGroup] = {}
    for group, chosen in sectors.items():
        if group.meeting_id != meeting.pk:
            raise ValidationError(_("That is not part of this meeting."))
        for sector in chosen:
            if sector.committee_id != meeting.committee_id:
                raise ValidationError(_("Choose sectors of this committee."))
            if sector.pk in seen and seen[sector.pk] != group:
                raise ValidationError(
                    _("%(s)s is chosen for both %(a)s and %(b)s: a sector goes to one group.")
                    % {"s": sector.name, "a": seen[sector.pk].name, "b": group.name})
            seen[sector.pk] = group
    for group, chosen in sectors.items():
        group.sectors.set(chosen)
    for group in meeting.groups.exclude(pk__in=[g.pk for g in sectors]):
        group.sectors.clear()  # the mapping is the whole plan: a group left out takes none
    placed = set(GroupMember.objects.filter(meeting=meeting).values_list("member_id", flat=True))
    rows = [GroupMember(committee_id=meeting.committee_id, meeting=meeting,
                        group=seen[m.sector_id], member=m)
            for m in selectors.group_pool(meeting).filter(sector_id__in=list(seen))
            if m.pk not in placed and m.sector_id is not None]
    GroupMember.objects.bulk_create(rows)
    audit.record(actor, "meeting.groups_fill", meeting, after={
        "groups": {g.pk: sorted(s.pk for s in chosen) for g, chosen in sectors.items()},
        "placed": len(rows)})
    return len(rows)


@transaction.atomic
def group_member_move(*, actor: Actor, meeting: Meeting, member: Member,
                      group: DiscussionGroup | None) -> GroupMember | None:
    """Place a member in a group, moving them out of their former one; ``group=None`` takes
    them out (back to 未分组). A convener moved out leaves the old group without a convener."""
    _manage(actor, meeting)
    if group is not None and group.meeting_id != meeting.pk:
        raise ValidationError(_("That is not part of this meeting."))
    _same_meeting_member(meeting, member)
    # Locked without the model's ordering: it joins the member's (nullable) sector, and
    # PostgreSQL cannot lock the nullable side of an outer join.
    row = (GroupMember.objects.select_for_update(of=("self",))
           .filter(meeting=meeting, member=member).order_by("pk").first())
    before = row.group_id if row is not None else None
    if row is not None and (group is None or row.group_id != group.pk):
        DiscussionGroup.objects.filter(pk=row.group_id, convener=member).update(convener=None)
    if group is None:
        if row is not None:
            row.delete()
        row = None
    elif row is None:
        row = GroupMember.objects.create(committee_id=meeting.committee_id, meeting=meeting,
                                         group=group, member=member)
    else:
        row.group = group
        row.save(update_fields=["group"])
    audit.record(actor, "meeting.group_move", meeting, before={"member": member.pk,
                                                                "group": before},
                 after={"member": member.pk, "group": group.pk if group else None})
    return row


@transaction.atomic
def group_notes_record(*, actor: Actor, group: DiscussionGroup, notes: str,
                       to_ledger: bool = False) -> DiscussionGroup:
    """Record a group's discussion notes (讨论纪要). ``to_ledger`` also enters them in the
    activity's suggestion ledger (意见建议台账, ``activities.services.suggestion_record``) once;
    later changes of the notes stay on the group."""
    _manage(actor, group)
    refuse_nul({"notes": notes})
    notes = (notes or "").strip()[:20_000]
    if to_ledger and not notes:
        raise ValidationError(_("Write the discussion notes before sending them to the "
                                "suggestion ledger."))
    before = {"notes": group.notes}
    group.notes = notes
    fields = ["notes"]
    if to_ledger and group.notes_suggestion_id is None:
        suggestion = activity_services.suggestion_record(
            actor=actor, activity=group.meeting.activity,
            text=_("%(g)s discussion notes: %(n)s") % {"g": group.name, "n": notes})
        group.notes_suggestion = suggestion
        fields.append("notes_suggestion")
    group.save(update_fields=fields)
    audit.record(actor, "meeting.group_notes", group, before=before, after={"notes": notes})
    return group
