"""JSON API of the meetings app, mounted at /api/v1/meetings/: the same operations as the pages,
through the same services and the same ``visible(actor)`` selectors.

No ``from __future__ import annotations`` here: ninja reads the annotations of the ``@paged``
operations at import time (docs/api.md)."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from xieshang.activities.models import Activity
from xieshang.core.apiutils import ERRORS, Rows, actor, paged
from xieshang.core.permissions import require
from xieshang.core.tenancy import get_scoped_or_404, scoped
from xieshang.core.workflow_api import step_routes
from xieshang.meetings import permissions, selectors, services, workflow
from xieshang.meetings.models import Election, Meeting, Paper, Poll
from xieshang.members.models import Member, Sector

router = Router(tags=["meetings"])


class MeetingCountsOut(Schema):
    members_total: int
    expected: int
    registered: int
    on_leave: int
    absent: int
    quorum: int
    quorum_reached: bool


class MeetingOut(Schema):
    id: int
    title: str
    kind: str
    activity_id: int
    start: dt.datetime
    end: dt.datetime
    place: str
    counts: MeetingCountsOut

    @staticmethod
    def of(m: Meeting) -> dict[str, Any]:
        c = selectors.counts(m)
        return {"id": m.pk, "title": m.title, "kind": m.kind, "activity_id": m.activity_id,
                "start": m.activity.start, "end": m.activity.end, "place": m.activity.place,
                "counts": {**c.__dict__, "quorum_reached": c.quorum_reached}}


class MeetingPaperOut(Schema):
    id: int
    title: str
    kind: str


class MeetingAgendaItemOut(Schema):
    id: int
    position: int
    title: str
    starts_at: dt.datetime | None
    papers: list[MeetingPaperOut]


class MeetingPaperTextOut(MeetingPaperOut):
    text: str
    item_id: int


class MeetingRegisterIn(Schema):
    member_id: int


class MeetingPollIn(Schema):
    title: str
    item_id: int | None = None
    secret: bool = False
    majority: str = Field("all", description="“all”: more than half of all members; "
                                             "“present”: of the members present.")


class PollOut(Schema):
    id: int
    meeting_id: int
    item_id: int | None
    title: str
    secret: bool
    majority: str
    status: str
    version: int
    members_total: int
    present: int
    yes: int
    no: int
    abstain: int
    passed: bool | None
    digest: str
    actions: list[str]

    @staticmethod
    def of(p: Poll, actions: list[str]) -> dict[str, Any]:
        return {**{k: getattr(p, k) for k in (
            "meeting_id", "item_id", "title", "secret", "majority", "status", "version",
            "members_total", "present", "yes", "no", "abstain", "passed", "digest")},
            "id": p.pk, "actions": actions}


class MeetingVoteIn(Schema):
    choice: str = Field(description="yes, no or abstain")


class MeetingPaperBoxIn(Schema):
    label: str
    ballots: int
    yes: int
    no: int
    abstain: int


class MeetingPositionIn(Schema):
    name: str
    seats: int
    candidates: list[str]


class MeetingElectionIn(Schema):
    title: str
    positions: list[MeetingPositionIn]


class MeetingPositionOut(Schema):
    id: int
    name: str
    seats: int
    candidates: list[str]


class MeetingVoteCountOut(Schema):
    name: str
    votes: int
    written_in: bool


class MeetingPositionResultOut(Schema):
    position: str
    seats: int
    ballots_cast: int
    valid: int
    invalid: int
    votes: list[MeetingVoteCountOut]
    elected: list[str]
    runoff_seats: int = Field(description="Seats left empty: a runoff is needed.")
    runoff_names: list[str]


class ElectionOut(Schema):
    id: int
    meeting_id: int
    title: str
    status: str
    version: int
    positions: list[MeetingPositionOut]
    ballots: int
    members_total: int
    present: int
    result: list[MeetingPositionResultOut] = Field(
        description="Per position, once the election is closed (empty before).")
    digest: str
    runoff_of: int | None = Field(
        description="The election whose empty seats this one fills (另行选举), if any.")
    runoffs: list[int] = Field(description="The runoffs set up for this election's empty seats.")
    actions: list[str]

    @staticmethod
    def of(e: Election, actions: list[str]) -> dict[str, Any]:
        positions = [{"id": p.pk, "name": p.name, "seats": p.seats,
                      "candidates": [c.name for c in p.candidates.all()]}
                     for p in e.positions.prefetch_related("candidates")]
        closed = e.status == Election.Status.CLOSED
        return {"id": e.pk, "meeting_id": e.meeting_id, "title": e.title, "status": e.status,
                "version": e.version, "positions": positions,
                "ballots": e.ballots, "members_total": e.members_total, "present": e.present,
                "result": [{**r, "ballots_cast": r["cast"],
                            "votes": [{"name": n, "votes": v, "written_in": w}
                                      for n, v, w in r["votes"]]}
                           for r in e.result.get("positions", [])] if closed else [],
                "digest": e.digest, "runoff_of": e.runoff_of_id,
                "runoffs": list(e.runoffs.values_list("pk", flat=True)), "actions": actions}


class MeetingBallotIn(Schema):
    marks: dict[int, list[str]] = Field(
        default_factory=dict, description="Position id → the names marked (candidates or "
                                          "written in); a position left out is a blank part.")


class MeetingDone(Schema):
    ok: bool = True


class MeetingProjectorOut(Schema):
    item: str | None
    speaker: str | None
    timer: str | None
    poll_id: int | None
    election_id: int | None
    counts: MeetingCountsOut


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    a = actor(request)
    return get_scoped_or_404(a, selectors.visible(a).select_related("activity"), pk=pk)


def _poll(request: HttpRequest, pk: int) -> Poll:
    a = actor(request)
    return get_scoped_or_404(a, selectors.visible_polls(a).select_related("meeting"), pk=pk)


def _election(request: HttpRequest, pk: int) -> Election:
    a = actor(request)
    return get_scoped_or_404(a, selectors.visible_elections(a).select_related("meeting"),
                             pk=pk)


def _poll_out(request: HttpRequest, p: Poll) -> dict[str, Any]:
    return PollOut.of(p, workflow.POLL.allowed_names(actor(request), p))


def _election_out(request: HttpRequest, e: Election) -> dict[str, Any]:
    return ElectionOut.of(e, workflow.ELECTION.allowed_names(actor(request), e))


@router.get("/", response={200: list[MeetingOut], **ERRORS})
@paged
def list_meetings(request: HttpRequest) -> Rows:
    """The meetings the caller may open, the latest first."""
    qs = selectors.visible(actor(request)).select_related("activity").order_by(
        "-activity__start", "-id")
    return Rows(qs, MeetingOut.of)


class MeetingIn(Schema):
    activity_id: int = Field(description="The plenary or standing committee meeting activity "
                                         "that records it (its invitations and attendance).")
    kind: str = Field("plenary", description="plenary or standing")
    title: str = ""


@router.post("/", response={201: MeetingOut})
def create_meeting(request: HttpRequest, data: MeetingIn) -> tuple[int, dict[str, Any]]:
    a = actor(request)
    require(permissions.can_manage(a))
    activity = get_scoped_or_404(a, Activity, pk=data.activity_id)
    meeting = services.meeting_create(actor=a, activity=activity, kind=data.kind,
                                      title=data.title)
    return 201, MeetingOut.of(meeting)


@router.get("/{int:pk}", response=MeetingOut)
def get_meeting(request: HttpRequest, pk: int) -> dict[str, Any]:
    return MeetingOut.of(_meeting(request, pk))


@router.get("/{int:pk}/agenda", response={200: list[MeetingAgendaItemOut], **ERRORS})
@paged
def get_agenda(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    """The agenda with the papers the caller may read."""
    a = actor(request)
    meeting = _meeting(request, pk)
    readable = set(selectors.visible_papers(a).filter(item__meeting=meeting)
                   .values_list("pk", flat=True))
    return [{"id": i.pk, "position": i.position, "title": i.title, "starts_at": i.starts_at,
             "papers": [{"id": p.pk, "title": p.title, "kind": p.kind}
                        for p in i.papers.all() if p.pk in readable]}
            for i in selectors.agenda(meeting)]


@router.get("/papers/{int:pk}", response=MeetingPaperTextOut)
def get_paper(request: HttpRequest, pk: int) -> dict[str, Any]:
    a = actor(request)
    p = get_scoped_or_404(a, selectors.visible_papers(a), pk=pk)
    return {"id": p.pk, "title": p.title, "kind": p.kind, "text": p.text, "item_id": p.item_id}


@router.post("/papers/{int:pk}/read", response=MeetingDone)
def confirm_read(request: HttpRequest, pk: int) -> dict[str, Any]:
    a = actor(request)
    services.paper_read_confirm(actor=a, paper=get_scoped_or_404(
        a, selectors.visible_papers(a), pk=pk))
    return {"ok": True}


@router.post("/{int:pk}/register", response=MeetingOut)
def register(request: HttpRequest, pk: int, data: MeetingRegisterIn) -> dict[str, Any]:
    """Register (报到) a member at the desk (staff). Members register by the activity's QR
    code (``POST /api/v1/activities/sign-in``)."""
    a = actor(request)
    meeting = _meeting(request, pk)
    services.register(actor=a, meeting=meeting,
                      member=get_scoped_or_404(a, scoped(a, Member), pk=data.member_id))
    return MeetingOut.of(meeting)


@router.get("/{int:pk}/projector", response=MeetingProjectorOut)
def projector(request: HttpRequest, pk: int) -> dict[str, Any]:
    a = actor(request)
    meeting = _meeting(request, pk)
    require(permissions.can_manage_meeting(a, meeting))
    s = selectors.projector_state(meeting)
    c = s["counts"]
    return {"item": s["item"].title if s["item"] else None,
            "speaker": s["speaker"].member.name if s["speaker"] else None,
            "timer": s.get("timer"), "poll_id": s["poll"].pk if s["poll"] else None,
            "election_id": s["election"].pk if s["election"] else None,
            "counts": {**c.__dict__, "quorum_reached": c.quorum_reached}}


@router.get("/{int:pk}/polls", response={200: list[PollOut], **ERRORS})
@paged
def list_polls(request: HttpRequest, pk: int) -> Rows:
    meeting = _meeting(request, pk)
    return Rows(meeting.polls.all(), lambda p: _poll_out(request, p))


@router.post("/{int:pk}/polls", response={201: PollOut})
def create_poll(request: HttpRequest, pk: int, data: MeetingPollIn) -> tuple[int, dict[str, Any]]:
    a = actor(request)
    meeting = _meeting(request, pk)
    item = get_scoped_or_404(a, meeting.items.all(), pk=data.item_id) if data.item_id else None
    poll = services.poll_create(actor=a, meeting=meeting, title=data.title, item=item,
                                secret=data.secret, majority=data.majority)
    return 201, _poll_out(request, poll)


@router.get("/polls/{int:pk}", response=PollOut)
def get_poll(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _poll_out(request, _poll(request, pk))


@router.post("/polls/{int:pk}/vote", response=MeetingDone)
def vote(request: HttpRequest, pk: int, data: MeetingVoteIn) -> dict[str, Any]:
    """A registered member's vote, once (a second answers 400 ``already_voted``)."""
    services.vote_cast(actor=actor(request), poll=_poll(request, pk), choice=data.choice)
    return {"ok": True}


@router.post("/polls/{int:pk}/paper-boxes", response=PollOut)
def paper_box(request: HttpRequest, pk: int, data: MeetingPaperBoxIn) -> dict[str, Any]:
    poll = _poll(request, pk)
    services.paper_box_record(actor=actor(request), poll=poll, label=data.label, yes=data.yes,
                              no=data.no, abstain=data.abstain, ballots=data.ballots)
    return _poll_out(request, poll)


step_routes(router, workflow.POLL, path="/polls/{int:pk}/actions", fetch=_poll,
            out=_poll_out, response=PollOut)


@router.post("/{int:pk}/elections", response={201: ElectionOut})
def create_election(request: HttpRequest, pk: int,
                    data: MeetingElectionIn) -> tuple[int, dict[str, Any]]:
    e = services.election_create(
        actor=actor(request), meeting=_meeting(request, pk), title=data.title,
        positions=[services.PositionSpec(p.name, p.seats, p.candidates)
                   for p in data.positions])
    return 201, _election_out(request, e)


@router.get("/elections/{int:pk}", response=ElectionOut)
def get_election(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _election_out(request, _election(request, pk))


@router.post("/elections/{int:pk}/ballot", response=MeetingDone)
def cast_ballot(request: HttpRequest, pk: int, data: MeetingBallotIn) -> dict[str, Any]:
    services.ballot_cast(actor=actor(request), election=_election(request, pk),
                         marks=data.marks)
    return {"ok": True}


step_routes(router, workflow.ELECTION, path="/elections/{int:pk}/actions", fetch=_election,
            out=_election_out, response=ElectionOut)




# --- after the meeting: the website -------------------------------------------------------


class MeetingWebsiteArticleOut(Schema):
    article_id: int
    title: str
    status: str = Field(description="The article's status on the website: “review” until a "
                                    "reviewer publishes it, then “published”.")
    url: str = Field(description="The public address once the article is live, else empty.")


def _published(request: HttpRequest, obj: Poll | Election | Paper) -> dict[str, Any]:
    """Put a closed vote's or election's result, or a final text, on the website (once: a
    second call answers the same article). 403 unless the caller runs the meeting and edits
    the website; 400 while the vote is open or for a paper that is not a final text."""
    a = actor(request)
    require(permissions.can_publish_result(a, obj))
    article = services.result_publish(actor=a, obj=obj)
    return {"article_id": article.pk, "title": article.title, "status": article.status,
            "url": article.get_absolute_url() if article.is_live else ""}


@router.post("/polls/{int:pk}/publish", response=MeetingWebsiteArticleOut)
def publish_poll(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _published(request, _poll(request, pk))


@router.post("/elections/{int:pk}/publish", response=MeetingWebsiteArticleOut)
def publish_election(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _published(request, _election(request, pk))


@router.post("/papers/{int:pk}/publish", response=MeetingWebsiteArticleOut)
def publish_paper(request: HttpRequest, pk: int) -> dict[str, Any]:
    a = actor(request)
    return _published(request, get_scoped_or_404(a, selectors.visible_papers(a), pk=pk))


# --- discussion groups (分组讨论) ----------------------------------------------------------------


class MeetingGroupMemberOut(Schema):
    id: int
    name: str
    sector: str


class MeetingGroupOut(Schema):
    id: int
    name: str
    venue: str
    starts_at: dt.datetime | None
    convener: MeetingGroupMemberOut | None
    sectors: list[str]
    members: list[MeetingGroupMemberOut]


class MeetingGroupsOut(Schema):
    groups: list[MeetingGroupOut] = Field(description="Staff: every group; a member: their "
                                                      "own group only (or none).")
    ungrouped: list[MeetingGroupMemberOut] = Field(description="未分组 (staff only; empty for "
                                                               "members).")


class MeetingGroupIn(Schema):
    name: str
    venue: str = ""
    starts_at: dt.datetime | None = None


class MeetingGroupsFillIn(Schema):
    sectors: dict[int, list[int]] = Field(description="Group id → the sector ids it takes.")


class MeetingGroupMoveIn(Schema):
    member_id: int
    group_id: int | None = Field(None, description="None: back to 未分组.")


def _member_out(m: Member | None) -> dict[str, Any] | None:
    if m is None:
        return None
    return {"id": m.pk, "name": m.name, "sector": m.sector.name if m.sector else ""}


def _groups_out(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    a = actor(request)
    staff = permissions.can_manage_meeting(a, meeting) or permissions.can_read_all(a)
    if staff:
        rows = selectors.groups(meeting)
    else:
        mine = selectors.my_group(meeting, a.member_id)
        rows = [mine] if mine is not None else []
    return {"groups": [{"id": g.pk, "name": g.name, "venue": g.venue, "starts_at": g.starts_at,
                        "convener": _member_out(g.convener),
                        "sectors": [s.name for s in g.sectors.all()],
                        "members": [_member_out(m) for m in g.placed]}  # type: ignore[attr-defined]
                       for g in rows],
            "ungrouped": [_member_out(m) for m in selectors.ungrouped(meeting)] if staff else []}


@router.get("/{int:pk}/groups", response=MeetingGroupsOut)
def get_groups(request: HttpRequest, pk: int) -> dict[str, Any]:
    """The discussion groups: all of them for staff and leaders, the caller's own for a
    member."""
    return _groups_out(request, _meeting(request, pk))


@router.post("/{int:pk}/groups", response={201: MeetingGroupsOut})
def create_group(request: HttpRequest, pk: int,
                 data: MeetingGroupIn) -> tuple[int, dict[str, Any]]:
    meeting = _meeting(request, pk)
    services.group_create(actor=actor(request), meeting=meeting, name=data.name,
                          venue=data.venue, starts_at=data.starts_at)
    return 201, _groups_out(request, meeting)


@router.post("/{int:pk}/groups/fill", response=MeetingGroupsOut)
def fill_groups(request: HttpRequest, pk: int, data: MeetingGroupsFillIn) -> dict[str, Any]:
    """Fill the groups by sector in one action (a sector to one group only)."""
    a = actor(request)
    meeting = _meeting(request, pk)
    require(permissions.can_manage_meeting(a, meeting))
    sectors = {s.pk: s for s in scoped(a, Sector)}
    chosen = {get_scoped_or_404(a, meeting.groups.all(), pk=gid):
              [sectors[sid] for sid in sids if sid in sectors]
              for gid, sids in data.sectors.items()}
    if any(sid not in sectors for sids in data.sectors.values() for sid in sids):
        raise ValidationError(_("Choose sectors of this committee."))
    services.groups_fill_by_sector(actor=a, meeting=meeting, sectors=chosen)
    return _groups_out(request, meeting)


@router.post("/{int:pk}/groups/move", response=MeetingGroupsOut)
def move_group_member(request: HttpRequest, pk: int, data: MeetingGroupMoveIn) -> dict[str, Any]:
    """Move a member to another group, or back to 未分组 (``group_id`` null)."""
    a = actor(request)
    meeting = _meeting(request, pk)
    require(permissions.can_manage_meeting(a, meeting))
    group = (get_scoped_or_404(a, meeting.groups.all(), pk=data.group_id)
             if data.group_id else None)
    services.group_member_move(actor=a, meeting=meeting, group=group,
                               member=get_scoped_or_404(a, scoped(a, Member), pk=data.member_id))
    return _groups_out(request, meeting)
