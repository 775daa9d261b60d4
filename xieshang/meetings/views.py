"""Pages of the meetings app. Thin: parse, fetch with access, call a service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.activities.models import Activity, Category, Speech
from xieshang.core import clock, workflow_views
from xieshang.core.files import DOCX, download
from xieshang.core.forms import run_service
from xieshang.core.http import XRequest, as_id
from xieshang.core.tenancy import get_scoped_or_404, scoped
from xieshang.meetings import documents, permissions, selectors, services, workflow
from xieshang.meetings.models import (
    AgendaItem,
    Choice,
    Election,
    Majority,
    Meeting,
    Paper,
    Poll,
    Speaker,
)
from xieshang.members.models import Member


def _meeting(request: XRequest, pk: int) -> Meeting:
    """The fetch is the check: 404 unless the meeting is in ``selectors.visible``."""
    return get_scoped_or_404(request.actor, selectors.visible(request.actor)
                             .select_related("activity", "committee"), pk=pk)


def _managed(request: XRequest, pk: int) -> Meeting:
    meeting = _meeting(request, pk)
    if not permissions.can_manage_meeting(request.actor, meeting):
        raise PermissionDenied
    return meeting


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@login_required
def meeting_list(request: XRequest) -> HttpResponse:
    actor = request.actor
    can_manage = permissions.can_manage(actor)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        activity = get_scoped_or_404(actor, scoped(actor, Activity),
                                     pk=as_id(request.POST.get("activity")) or 0)
        kind = request.POST.get("kind", Meeting.Kind.PLENARY)
        result: list[Meeting] = []
        if run_service(request, lambda: result.append(services.meeting_create(
                actor=actor, activity=activity, kind=kind)), _("The meeting is set up.")):
            return redirect(result[0].get_absolute_url())
        return redirect("meetings:list")
    meetings = selectors.visible(actor).select_related("activity").order_by("-activity__start")
    candidates = []
    if can_manage:
        candidates = list(scoped(actor, Activity).filter(
            type__category=Category.MEETING, meeting__isnull=True,
            type__code__in=["plenary", "standing_meeting"]).order_by("-start")[:50])
    return render(request, "meetings/meeting_list.html", {
        "meetings": meetings[:200], "can_manage": can_manage, "candidates": candidates,
        "kinds": Meeting.Kind.choices})


def _detail_context(request: XRequest, meeting: Meeting) -> dict[str, Any]:
    actor = request.actor
    can_manage = permissions.can_manage_meeting(actor, meeting)
    items = list(selectors.agenda(meeting))
    papers = selectors.visible_papers(actor).filter(item__meeting=meeting)
    paper_ids = set(papers.values_list("pk", flat=True))
    ctx: dict[str, Any] = {
        "m": meeting, "can_manage": can_manage, "items": items,
        "agenda": [(item, [p for p in item.papers.all() if p.pk in paper_ids])
                   for item in items],
        "counts": selectors.counts(meeting),
        "polls": list(meeting.polls.all()), "elections": list(meeting.elections.all()),
        "registered": selectors.is_registered(meeting, actor.member_id),
        "participant": selectors.is_participant(actor, meeting),
        "kinds": Paper.Kind.choices, "majorities": Majority.choices,
    }
    if can_manage:
        ctx["waiting"] = list(selectors.not_registered(meeting)[:500])
    return ctx


@login_required
def meeting_detail(request: XRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    return render(request, "meetings/meeting_detail.html", _detail_context(request, meeting))


@login_required
def meeting_counts(request: XRequest, pk: int) -> HttpResponse:
    """The live counts (polled by htmx on the meeting page)."""
    meeting = _meeting(request, pk)
    return render(request, "meetings/_counts.html", {"counts": selectors.counts(meeting)})


@require_POST
@login_required
def register(request: XRequest, pk: int) -> HttpResponse:
    meeting = _managed(request, pk)
    member = get_scoped_or_404(request.actor, scoped(request.actor, Member),
                               pk=as_id(request.POST.get("member")) or 0)
    run_service(request, lambda: services.register(
        actor=request.actor, meeting=meeting, member=member),
        _("%(m)s is registered.") % {"m": member})
    return redirect("meetings:detail", pk)


@require_POST
@login_required
def agenda_add(request: XRequest, pk: int) -> HttpResponse:
    meeting = _managed(request, pk)
    run_service(request, lambda: services.agenda_item_add(
        actor=request.actor, meeting=meeting, title=request.POST.get("title", "")),
        _("Agenda item added."))
    return redirect("meetings:detail", pk)


@require_POST
@login_required
def paper_add(request: XRequest, pk: int) -> HttpResponse:
    meeting = _managed(request, pk)
    item = get_scoped_or_404(request.actor, meeting.items.all(),
                             pk=as_id(request.POST.get("item")) or 0)
    run_service(request, lambda: services.paper_add(
        actor=request.actor, item=item, title=request.POST.get("title", ""),
        text=request.POST.get("text", ""), kind=request.POST.get("kind", Paper.Kind.DRAFT),
        withdraw_after=bool(request.POST.get("withdraw_after"))), _("Paper added."))
    return redirect("meetings:detail", pk)


@require_POST
@login_required
def poll_add(request: XRequest, pk: int) -> HttpResponse:
    meeting = _managed(request, pk)
    item_id = as_id(request.POST.get("item"))
    item = get_scoped_or_404(request.actor, meeting.items.all(), pk=item_id) if item_id else None
    run_service(request, lambda: services.poll_create(
        actor=request.actor, meeting=meeting, title=request.POST.get("title", ""), item=item,
        secret=bool(request.POST.get("secret")),
        majority=request.POST.get("majority", Majority.ALL_MEMBERS)), _("Vote set up."))
    return redirect("meetings:detail", pk)


def parse_positions(text: str) -> list[services.PositionSpec]:
    """One position a line: ``name | seats | candidate, candidate, …`` (、 or , between names)."""
    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        if len(parts) != 3 or not parts[1].isdecimal() or len(parts[1]) > 3:
            raise ValidationError(_("Line %(n)s: write “position | seats | candidates”.")
                                  % {"n": n})
        names = [c.strip() for c in parts[2].replace("、", ",").replace("，", ",").split(",")
                 if c.strip()]
        out.append(services.PositionSpec(parts[0], int(parts[1]), names))
    return out


@require_POST
@login_required
def election_add(request: XRequest, pk: int) -> HttpResponse:
    meeting = _managed(request, pk)
    run_service(request, lambda: services.election_create(
        actor=request.actor, meeting=meeting, title=request.POST.get("title", ""),
        positions=parse_positions(request.POST.get("positions", ""))), _("Election set up."))
    return redirect("meetings:detail", pk)


# --- papers --------------------------------------------------------------------------------


def _paper(request: XRequest, pk: int) -> Paper:
    return get_scoped_or_404(request.actor, selectors.visible_papers(request.actor)
                             .select_related("item__meeting"), pk=pk)


@login_required
def paper_detail(request: XRequest, pk: int) -> HttpResponse:
    """A paper, each screen watermarked with the reader's name (and the time it was opened)."""
    paper = _paper(request, pk)
    actor = request.actor
    reader = str(actor.user) if actor.user else ""
    member = scoped(actor, Member).filter(pk=actor.member_id).first() if actor.member_id else None
    return render(request, "meetings/paper_detail.html", {
        "p": paper, "m": paper.item.meeting,
        "watermark": f"{member.name if member else reader} "
                     f"{clock.local(clock.now()):%Y-%m-%d %H:%M}",
        "read": member is not None and paper.reads.filter(member=member).exists()})


@require_POST
@login_required
def paper_read(request: XRequest, pk: int) -> HttpResponse:
    paper = _paper(request, pk)
    run_service(request, lambda: services.paper_read_confirm(actor=request.actor, paper=paper),
                _("Reading confirmed."))
    return redirect("meetings:paper", pk)


# --- speakers ------------------------------------------------------------------------------


@login_required
def speeches(request: XRequest, pk: int) -> HttpResponse:
    """The staff's page: pick the oral speeches (大会发言) and their order per agenda item."""
    meeting = _managed(request, pk)
    actor = request.actor
    if request.method == "POST":
        item = get_scoped_or_404(actor, meeting.items.all(),
                                 pk=as_id(request.POST.get("item")) or 0)
        speech = get_scoped_or_404(actor, scoped(actor, Speech).filter(
            activity_id=meeting.activity_id), pk=as_id(request.POST.get("speech")) or 0)
        run_service(request, lambda: services.oral_pick(
            actor=actor, item=item, speech=speech,
            minutes=_int(request.POST.get("minutes"), 8)), _("Chosen for oral delivery."))
        return redirect("meetings:speeches", pk)
    items = list(meeting.items.all())
    lists = [(item, list(selectors.speakers(item))) for item in items]
    listed = {s.speech_id for _i, rows in lists for s in rows if s.speech_id}
    submitted = list(scoped(actor, Speech).filter(activity_id=meeting.activity_id)
                     .select_related("member").order_by("submitted_at", "id"))
    return render(request, "meetings/speeches.html", {
        "m": meeting, "items": items, "lists": lists,
        "submitted": [s for s in submitted if s.pk not in listed]})


@require_POST
@login_required
def speak_request(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    item = get_scoped_or_404(actor, scoped(actor, AgendaItem).filter(
        meeting__in=selectors.visible(actor).values("pk")), pk=pk)
    run_service(request, lambda: services.speaker_request(actor=actor, item=item),
                _("You are on the list of speakers."))
    return redirect("meetings:detail", item.meeting_id)


SPEAKER_ACTIONS: dict[str, Callable[..., Any]] = {
    "up": lambda a, s: services.speaker_move(actor=a, speaker=s, up=True),
    "down": lambda a, s: services.speaker_move(actor=a, speaker=s, up=False),
    "start": lambda a, s: services.speaker_start(actor=a, speaker=s),
    "stop": lambda a, s: services.speaker_stop(actor=a, speaker=s),
    "remove": lambda a, s: services.oral_unpick(actor=a, speaker=s),
}


@require_POST
@login_required
def speaker_action(request: XRequest, pk: int, action: str) -> HttpResponse:
    actor = request.actor
    speaker = get_scoped_or_404(actor, scoped(actor, Speaker).select_related("item").filter(
        item__meeting__in=selectors.visible(actor).values("pk")), pk=pk)
    fn = SPEAKER_ACTIONS.get(action)
    if fn is None:
        raise PermissionDenied
    if not permissions.can_manage_meeting(actor, speaker):
        raise PermissionDenied
    meeting_id = speaker.item.meeting_id
    run_service(request, lambda: fn(actor, speaker), _("Done."))
    return redirect(request.POST.get("back") == "detail" and reverse(
        "meetings:detail", args=[meeting_id]) or reverse("meetings:speeches", args=[meeting_id]))


# --- projector -----------------------------------------------------------------------------


@require_POST
@login_required
def project(request: XRequest, pk: int) -> HttpResponse:
    meeting = _managed(request, pk)
    actor = request.actor
    what, _sep, obj_id = request.POST.get("show", "").partition(":")
    item = poll = election = None
    if what == "item":
        item = get_scoped_or_404(actor, meeting.items.all(), pk=as_id(obj_id) or 0)
    elif what == "poll":
        poll = get_scoped_or_404(actor, meeting.polls.all(), pk=as_id(obj_id) or 0)
    elif what == "election":
        election = get_scoped_or_404(actor, meeting.elections.all(), pk=as_id(obj_id) or 0)
    run_service(request, lambda: services.project(
        actor=actor, meeting=meeting, item=item, poll=poll, election=election),
        _("The projector shows it."))
    return redirect("meetings:detail", pk)


@login_required
def projector(request: XRequest, pk: int) -> HttpResponse:
    """The screen in the hall (1920×1080, no controls); the panel refreshes itself."""
    meeting = _managed(request, pk)
    return render(request, "meetings/projector.html", selectors.projector_state(meeting))


@login_required
def projector_panel(request: XRequest, pk: int) -> HttpResponse:
    meeting = _managed(request, pk)
    return render(request, "meetings/_projector_panel.html", selectors.projector_state(meeting))


# --- votes ---------------------------------------------------------------------------------


def _poll(request: XRequest, pk: int) -> Poll:
    return get_scoped_or_404(request.actor, selectors.visible_polls(request.actor)
                             .select_related("meeting", "item"), pk=pk)


@login_required
def poll_detail(request: XRequest, pk: int) -> HttpResponse:
    poll = _poll(request, pk)
    actor = request.actor
    can_manage = permissions.can_manage_meeting(actor, poll)
    voted = actor.member_id is not None and poll.participations.filter(
        member_id=actor.member_id).exists()
    return render(request, "meetings/poll_detail.html", {
        "poll": poll, "m": poll.meeting, "can_manage": can_manage,
        "offers": workflow.POLL.offers(actor, poll), "choices": Choice.choices, "voted": voted,
        "registered": selectors.is_registered(poll.meeting, actor.member_id),
        "boxes": list(poll.boxes.all()),
        "participated": poll.participations.count() if can_manage else None})


@require_POST
@login_required
def vote(request: XRequest, pk: int) -> HttpResponse:
    poll = _poll(request, pk)
    run_service(request, lambda: services.vote_cast(
        actor=request.actor, poll=poll, choice=request.POST.get("choice", "")),
        _("Your vote is recorded."))
    return redirect("meetings:poll", pk)


@require_POST
@login_required
def paper_box(request: XRequest, pk: int) -> HttpResponse:
    poll = _poll(request, pk)
    if not permissions.can_manage_meeting(request.actor, poll):
        raise PermissionDenied
    p = request.POST
    run_service(request, lambda: services.paper_box_record(
        actor=request.actor, poll=poll, label=p.get("label", ""), yes=_int(p.get("yes"), -1),
        no=_int(p.get("no"), -1), abstain=_int(p.get("abstain"), -1),
        ballots=_int(p.get("ballots"), -1)), _("Ballot box entered."))
    return redirect("meetings:poll", pk)


@require_POST
@login_required
def poll_act(request: XRequest, pk: int, action: str) -> HttpResponse:
    return workflow_views.act(request, workflow.POLL, _poll(request, pk), action)


# --- elections -----------------------------------------------------------------------------


def _election(request: XRequest, pk: int) -> Election:
    return get_scoped_or_404(request.actor, selectors.visible_elections(request.actor)
                             .select_related("meeting"), pk=pk)


@login_required
def election_detail(request: XRequest, pk: int) -> HttpResponse:
    election = _election(request, pk)
    actor = request.actor
    voted = actor.member_id is not None and election.participations.filter(
        member_id=actor.member_id).exists()
    positions = list(election.positions.prefetch_related("candidates"))
    return render(request, "meetings/election_detail.html", {
        "e": election, "m": election.meeting, "positions": positions,
        "runoffs": list(election.runoffs.all()),
        "combined": selectors.combined_result(election) if election.runoff_of_id else [],
        "can_manage": permissions.can_manage_meeting(actor, election),
        "offers": workflow.ELECTION.offers(actor, election), "voted": voted,
        "registered": selectors.is_registered(election.meeting, actor.member_id)})


@require_POST
@login_required
def ballot(request: XRequest, pk: int) -> HttpResponse:
    election = _election(request, pk)
    marks: dict[int, list[str]] = {}
    for position in election.positions.all():
        names = request.POST.getlist(f"p{position.pk}")
        names += [w for w in request.POST.getlist(f"w{position.pk}") if w.strip()]
        marks[position.pk] = names
    run_service(request, lambda: services.ballot_cast(
        actor=request.actor, election=election, marks=marks), _("Your ballot is cast."))
    return redirect("meetings:election", pk)


@require_POST
@login_required
def election_act(request: XRequest, pk: int, action: str) -> HttpResponse:
    election = _election(request, pk)
    response = workflow_views.act(request, workflow.ELECTION, election, action)
    runoff = election.runoffs.first() if action == "runoff" else None
    return redirect(runoff) if runoff is not None else response


# --- documents -----------------------------------------------------------------------------


@login_required
def agenda_docx(request: XRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    return download(documents.agenda_docx(meeting), f"{meeting.title}-议程.docx", DOCX)


@login_required
def speeches_docx(request: XRequest, pk: int) -> HttpResponse:
    meeting = _managed(request, pk)
    return download(documents.speeches_docx(meeting, selectors.speeches_in_order(meeting)),
                    f"{meeting.title}-大会发言.docx", DOCX)


@login_required
def ballot_docx(request: XRequest, pk: int) -> HttpResponse:
    election = _election(request, pk)
    if not permissions.can_manage_meeting(request.actor, election):
        raise PermissionDenied
    return download(documents.ballot_docx(election), f"{election.title}-选票.docx", DOCX)


@login_required
def result_docx(request: XRequest, pk: int) -> HttpResponse:
    election = _election(request, pk)
    if election.status != Election.Status.CLOSED:
        messages.error(request, _("The result is announced once the election is closed."))
        return redirect("meetings:election", pk)
    return download(documents.result_docx(election), f"{election.title}-选举结果公告.docx",
                    DOCX)
