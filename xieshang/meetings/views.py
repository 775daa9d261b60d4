"""Pages of the meetings app. Thin: parse, fetch with access, call a service, render."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xieshang.activities import permissions as activity_permissions
from xieshang.activities.models import Activity, Category, Speech
from xieshang.core import clock, workflow_views
from xieshang.core.files import DOCX, download
from xieshang.core.forms import run_service
from xieshang.core.http import XRequest, as_id, query_date
from xieshang.core.lists import Narrowed, condition, narrowed
from xieshang.core.tenancy import get_scoped_or_404, scoped
from xieshang.meetings import documents, permissions, selectors, services, workflow
from xieshang.meetings.models import (
    AgendaItem,
    Choice,
    DiscussionGroup,
    Election,
    Majority,
    Meeting,
    Paper,
    Poll,
    Speaker,
)
from xieshang.members.models import Member, Sector


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
    meetings = selectors.visible(actor).select_related("activity")
    counted, narrowing = _counted(request, meetings)
    candidates = []
    if can_manage:
        candidates = list(scoped(actor, Activity).filter(
            type__category=Category.MEETING, meeting__isnull=True,
            type__code__in=["plenary", "standing_meeting"]).order_by("-start")[:50])
    rows = counted if counted is not None else meetings.order_by("-activity__start", "-id")
    return render(request, "meetings/meeting_list.html", {
        "page": Paginator(rows, 50).get_page(request.GET.get("page")),
        "count": request.GET.get("count", "") if counted is not None else "",
        "narrowed": narrowing, "query": request.GET.urlencode(),
        "can_manage": can_manage, "candidates": candidates, "kinds": Meeting.Kind.choices})


# What a figure's link (``figures.py``) lists: ?count=<one of these>&from=…&to=…
COUNTED: dict[str, tuple[Callable[[QuerySet[Meeting]], QuerySet[Any]], Any]] = {
    "polls": (selectors.polls_taken, gettext_lazy("votes closed")),
    "elections": (selectors.elections_held, gettext_lazy("elections closed and counted")),
    "speeches": (selectors.oral_speeches, gettext_lazy("oral speeches on the list of speakers")),
}


def _counted(request: XRequest, meetings: QuerySet[Meeting]
             ) -> tuple[QuerySet[Any] | None, Narrowed | None]:
    """The records a figure counts, at the meetings held in the link's period (None when the
    list was not opened from a figure), and the line saying so."""
    g = request.GET
    if not any(g.get(k) for k in ("count", "from", "to", "kind")):
        return None, None
    start, end = query_date(g, "from"), query_date(g, "to")
    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min)) if start else None
    hi = (timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
          if end else None)
    conditions: list[str] = [_("meetings held")]
    kind = g.get("kind", "")
    if kind:
        meetings = meetings.filter(kind=kind)
        conditions.append(condition(dict(Meeting.Kind.choices).get(kind)))
    if start or end:
        conditions.append(_("started %(from)s to %(to)s") % {
            "from": start or "…", "to": end or "…"})
    held = selectors.held_in(meetings, lo, hi)
    count = g.get("count", "")
    rows: QuerySet[Any] = held.order_by("-activity__start", "-id")
    if count:
        fn, label = COUNTED.get(count, (None, None))
        conditions.append(condition(label))
        if fn is None:
            rows = held.none()
        elif count == "speeches":
            rows = fn(held).select_related("item__meeting__activity", "member", "speech") \
                .order_by("-item__meeting__activity__start", "item__position", "position", "id")
        else:
            rows = fn(held).select_related("meeting__activity").order_by("-closed_at", "-id")
    return rows, narrowed(request, conditions, ("count", "from", "to", "kind"))


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
        "polls": list(meeting.polls.select_related("article", "article__committee")),
        "elections": list(meeting.elections.select_related("article", "article__committee")),
        "registered": selectors.is_registered(meeting, actor.member_id),
        "participant": selectors.is_participant(actor, meeting),
        "kinds": Paper.Kind.choices, "majorities": Majority.choices,
        "my_group": selectors.my_group(meeting, actor.member_id),
        "has_groups": meeting.groups.exists(),
    }
    ctx["can_publish"] = can_manage and permissions.can_publish_result(actor, meeting)
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
        "read": member is not None and paper.reads.filter(member=member).exists(),
        "can_publish": permissions.can_publish_result(actor, paper)})


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
        "can_publish": permissions.can_publish_result(actor, poll),
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
        "can_publish": permissions.can_publish_result(actor, election),
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


# --- the public website --------------------------------------------------------------------


def _publish(request: XRequest, obj: Poll | Election | Paper) -> HttpResponse:
    if not permissions.can_publish_result(request.actor, obj):
        raise PermissionDenied
    run_service(request, lambda: services.result_publish(actor=request.actor, obj=obj),
                _("Sent to the website: it appears there once a reviewer publishes it."))
    return redirect(obj.get_absolute_url() if not isinstance(obj, Paper)
                    else reverse("meetings:paper", args=[obj.pk]))


@require_POST
@login_required
def poll_publish(request: XRequest, pk: int) -> HttpResponse:
    return _publish(request, _poll(request, pk))


@require_POST
@login_required
def election_publish(request: XRequest, pk: int) -> HttpResponse:
    return _publish(request, _election(request, pk))


@require_POST
@login_required
def paper_publish(request: XRequest, pk: int) -> HttpResponse:
    return _publish(request, _paper(request, pk))


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


# --- discussion groups (分组讨论) ----------------------------------------------------------------


def _when(value: str | None) -> dt.datetime | None:
    """A ``datetime-local`` field's value as an aware time; blank is no time."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError(_("Enter the time as year-month-day hour:minute.")) from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _group(request: XRequest, meeting: Meeting, value: Any) -> DiscussionGroup:
    return get_scoped_or_404(request.actor, meeting.groups.all(), pk=as_id(value) or 0)


@login_required
def groups(request: XRequest, pk: int) -> HttpResponse:
    """The staff's page: create groups, fill them by sector in one action, move members, record
    the discussion notes."""
    meeting = _managed(request, pk)
    actor = request.actor
    if request.method == "POST":
        run_service(request, lambda: services.group_create(
            actor=actor, meeting=meeting, name=request.POST.get("name", ""),
            venue=request.POST.get("venue", ""),
            starts_at=_when(request.POST.get("starts_at"))), _("Group added."))
        return redirect("meetings:groups", pk)
    rows = selectors.groups(meeting)
    taken = {s.pk: g for g in rows for s in g.sectors.all()}
    sectors = list(scoped(actor, Sector).filter(is_active=True).order_by("order", "name"))
    return render(request, "meetings/groups.html", {
        "m": meeting, "groups": rows, "ungrouped": list(selectors.ungrouped(meeting)),
        "sectors": [(s, taken.get(s.pk)) for s in sectors],
        "can_ledger": activity_permissions.can_keep_ledger(actor)})


@require_POST
@login_required
def groups_fill(request: XRequest, pk: int) -> HttpResponse:
    """Every group's sectors from one form (``sector-<sector id>`` = group id or blank)."""
    meeting = _managed(request, pk)
    actor = request.actor
    by_id = {g.pk: g for g in meeting.groups.all()}
    chosen: dict[DiscussionGroup, list[Sector]] = {g: [] for g in by_id.values()}
    for sector in scoped(actor, Sector):
        group_id = as_id(request.POST.get(f"sector-{sector.pk}"))
        if group_id:
            if group_id not in by_id:
                raise Http404
            chosen[by_id[group_id]].append(sector)
    result: list[int] = []
    if run_service(request, lambda: result.append(services.groups_fill_by_sector(
            actor=actor, meeting=meeting, sectors=chosen)), _("Groups filled by sector.")):
        messages.info(request, _("%(n)s members placed in groups.") % {"n": result[0]})
    return redirect("meetings:groups", pk)


@require_POST
@login_required
def group_move(request: XRequest, pk: int) -> HttpResponse:
    meeting = _managed(request, pk)
    actor = request.actor
    member = get_scoped_or_404(actor, selectors.group_pool(meeting),
                               pk=as_id(request.POST.get("member")) or 0)
    target = request.POST.get("group")
    group = _group(request, meeting, target) if target else None
    run_service(request, lambda: services.group_member_move(
        actor=actor, meeting=meeting, member=member, group=group),
        _("%(m)s moved.") % {"m": member})
    return redirect("meetings:groups", pk)


@require_POST
@login_required
def group_edit(request: XRequest, pk: int) -> HttpResponse:
    meeting = _managed(request, pk)
    actor = request.actor
    group = _group(request, meeting, request.POST.get("group"))
    convener_id = as_id(request.POST.get("convener"))
    convener = (get_scoped_or_404(actor, scoped(actor, Member), pk=convener_id)
                if convener_id else None)
    run_service(request, lambda: services.group_update(
        actor=actor, group=group, name=request.POST.get("name", ""),
        venue=request.POST.get("venue", ""), starts_at=_when(request.POST.get("starts_at")),
        convener=convener), _("Group saved."))
    return redirect("meetings:groups", pk)


@require_POST
@login_required
def group_notes(request: XRequest, pk: int) -> HttpResponse:
    meeting = _managed(request, pk)
    group = _group(request, meeting, request.POST.get("group"))
    to_ledger = bool(request.POST.get("to_ledger"))
    run_service(request, lambda: services.group_notes_record(
        actor=request.actor, group=group, notes=request.POST.get("notes", ""),
        to_ledger=to_ledger),
        _("Notes saved and entered in the suggestion ledger.") if to_ledger
        else _("Notes saved."))
    return redirect("meetings:groups", pk)


@login_required
def groups_docx(request: XRequest, pk: int) -> HttpResponse:
    meeting = _managed(request, pk)
    return download(documents.groups_docx(meeting, selectors.groups(meeting),
                                          selectors.ungrouped(meeting)),
                    f"{meeting.title}-分组名单.docx", DOCX)
