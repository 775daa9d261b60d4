"""Every write of the participation channels: one transaction and one audit row each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.activities import services as activity_services
from xieshang.activities.models import Activity, PlanItem, Suggestion
from xieshang.core import audit, clock
from xieshang.core.inputs import refuse_nul
from xieshang.core.models import User
from xieshang.core.permissions import Actor, require
from xieshang.core.uploads import IMAGES, OFFICE, Upload, check_upload
from xieshang.core.workflow import transition
from xieshang.members.models import HandlingUnit, Member
from xieshang.opinions import services as opinion_services
from xieshang.opinions.models import OpinionReport
from xieshang.participation import permissions, workflow
from xieshang.participation.models import (
    Answer,
    Post,
    Problem,
    Question,
    Response,
    Room,
    RoomSuggestion,
    Studio,
    StudioEvent,
    Survey,
)
from xieshang.proposals import services as proposal_services
from xieshang.proposals.models import Proposal

ATTACHMENTS = OFFICE | IMAGES
ATTACHMENT_MB = 10
# Anonymous answers to a public survey: at most this many from one address an hour.
ANONYMOUS_PER_HOUR = 20


def _same_committee(committee_id: int, *rows: Any) -> None:
    for row in rows:
        if row is not None and getattr(row, "committee_id", committee_id) != committee_id:
            raise ValidationError(_("A record of another committee was given."))


def _aware(moment: dt.datetime) -> dt.datetime:
    """A time typed in a form has no zone: it is local time."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _period(opens_at: dt.datetime, closes_at: dt.datetime) -> None:
    if _aware(closes_at) <= _aware(opens_at):
        raise ValidationError({"closes_at": _("The closing time must be after the opening time.")})


# --- rooms -----------------------------------------------------------------------------------


@transaction.atomic
def room_create(*, actor: Actor, title: str, opens_at: dt.datetime, closes_at: dt.datetime,
                topic: str = "", activity: Activity | None = None,
                plan_item: PlanItem | None = None, is_public: bool = False,
                members: Iterable[Member] = (), units: Iterable[HandlingUnit] = (),
                experts: Iterable[User] = (), publish: bool = False) -> Room:
    """A new room is a draft (seen by the staff only) unless ``publish``: then it is
    published at once, and the invitations go out (the workflow's publish step)."""
    require(permissions.can_keep(actor))
    assert actor.committee is not None
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Enter the title.")})
    _period(opens_at, closes_at)
    members, units = list(members), list(units)
    _same_committee(actor.committee.pk, activity, plan_item, *members, *units)
    if activity is None and plan_item is not None:
        activity = plan_item.activity
    room = Room.objects.create(committee=actor.committee, title=title[:200], topic=topic.strip(),
                               activity=activity, plan_item=plan_item, opens_at=_aware(opens_at),
                               closes_at=_aware(closes_at), is_public=is_public,
                               created_by=actor.user)
    room.members.set(members)
    room.units.set(units)
    room.experts.set(list(experts))
    audit.record(actor, "room.create", room, after=audit.snapshot(room))
    if publish:
        room = transition(workflow.ROOM, actor=actor, obj=room, step="publish", version=None)
    return room


@transaction.atomic
def post_add(*, actor: Actor, room: Room, text: str, parent: Post | None = None,
             attachment: Upload | None = None) -> Post:
    require(permissions.can_post(actor, room),
            _("This room is closed or you are not invited to it."))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write your post.")})
    if parent is not None and parent.room_id != room.pk:
        raise ValidationError(_("The post you answer is in another room."))
    name = ""
    if attachment is not None:
        check_upload(attachment, allowed=ATTACHMENTS, max_mb=ATTACHMENT_MB, field="attachment")
        name = (attachment.name or "")[:200]
    member = Member.objects.filter(pk=actor.member_id).first() if actor.member_id else None
    author = str(member) if member else (actor.user.display_name or actor.user.username
                                         if actor.user else "")
    post = Post.objects.create(committee_id=room.committee_id, room=room, parent=parent,
                               author=actor.user, member=member, author_name=author[:100],
                               text=text, attachment_name=name)
    if attachment is not None:
        post.attachment.save(name, attachment, save=True)
    audit.record(actor, "room.post", post, after={"room": room.pk, "text": text[:200]})
    return post


@transaction.atomic
def post_hide(*, actor: Actor, post: Post, reason: str) -> Post:
    require(permissions.can_moderate(actor, post.room))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for hiding the post.")})
    row = Post.objects.select_for_update().get(pk=post.pk)
    if row.hidden_at is not None:
        raise ValidationError(_("This post is already hidden."))
    row.hidden_at, row.hidden_reason, row.hidden_by = clock.now(), reason[:300], actor.user
    row.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
    audit.record(actor, "room.post_hide", row, before={"hidden": False},
                 after={"hidden": True, "reason": row.hidden_reason})
    return row


@transaction.atomic
def room_summarise(*, actor: Actor, room: Room, summary: str,
                   suggestions: Sequence[tuple[str, HandlingUnit | None]]) -> list[Suggestion]:
    """The staff's summary; each suggestion becomes an item of the suggestion ledger (sent,
    answered and assessed there)."""
    require(permissions.can_summarise(actor, room))
    refuse_nul({"summary": summary, "suggestion": "".join(text for text, _unit in suggestions)})
    summary = summary.strip()
    if not summary:
        raise ValidationError({"summary": _("Write the summary.")})
    items = [(text.strip(), unit) for text, unit in suggestions if text.strip()]
    activity = room.activity or (room.plan_item.activity if room.plan_item else None)
    if items and activity is None:
        raise ValidationError(_("Link the room to a consultation activity before its "
                                "suggestions go to the ledger."))
    row = Room.objects.select_for_update().get(pk=room.pk)
    before = {"summary": row.summary}
    row.summary, row.summarized_at = summary, clock.now()
    row.save(update_fields=["summary", "summarized_at"])
    out = []
    for text, unit in items:
        assert activity is not None
        item = activity_services.suggestion_record(actor=actor, activity=activity, text=text,
                                                   recipient_unit=unit)
        RoomSuggestion.objects.create(committee_id=row.committee_id, room=row, suggestion=item)
        out.append(item)
    audit.record(actor, "room.summarise", row, before=before,
                 after={"summary": summary[:500], "suggestions": [s.pk for s in out]})
    return out


# --- surveys ---------------------------------------------------------------------------------


def _clean_questions(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    if not rows:
        raise ValidationError({"questions": _("Add at least one question.")})
    out = []
    for number, q in enumerate(rows, start=1):
        kind = str(q.get("kind", ""))
        text = str(q.get("text", "")).strip()
        if kind not in Question.Kind.values:
            raise ValidationError({"questions": _("Question %(n)s: choose its kind.")
                                   % {"n": number}})
        if not text:
            raise ValidationError({"questions": _("Question %(n)s: write the question.")
                                   % {"n": number}})
        options = [str(o).strip() for o in q.get("options") or [] if str(o).strip()]
        if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE) and len(options) < 2:
            raise ValidationError({"questions": _("Question %(n)s: give at least two options.")
                                   % {"n": number}})
        scale_max = int(q.get("scale_max") or 5)
        if kind == Question.Kind.SCALE and not 2 <= scale_max <= 10:
            raise ValidationError({"questions": _("Question %(n)s: a scale has 2 to 10 points.")
                                   % {"n": number}})
        out.append({"kind": kind, "text": text[:300], "options": options[:20],
                    "scale_max": scale_max, "required": bool(q.get("required", True)),
                    "order": number})
    return out


@transaction.atomic
def survey_create(*, actor: Actor, title: str, opens_at: dt.datetime, closes_at: dt.datetime,
                  questions: Sequence[Mapping[str, Any]], intro: str = "",
                  audience: str = Survey.Audience.MEMBERS,
                  counts_for_duty: bool = False, publish: bool = False) -> Survey:
    """A new survey is a draft (seen by the staff only) unless ``publish``."""
    require(permissions.can_keep(actor))
    assert actor.committee is not None
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Enter the title.")})
    if audience not in Survey.Audience.values:
        raise ValidationError({"audience": _("Choose who answers the survey.")})
    _period(opens_at, closes_at)
    cleaned = _clean_questions(questions)
    survey = Survey.objects.create(
        committee=actor.committee, title=title[:200], intro=intro.strip(), audience=audience,
        counts_for_duty=counts_for_duty and audience == Survey.Audience.MEMBERS,
        opens_at=_aware(opens_at), closes_at=_aware(closes_at), created_by=actor.user)
    for q in cleaned:
        Question.objects.create(committee=actor.committee, survey=survey, **q)
    audit.record(actor, "survey.create", survey, after={**audit.snapshot(survey),
                                                        "questions": len(cleaned)})
    if publish:
        survey = transition(workflow.SURVEY, actor=actor, obj=survey, step="publish",
                            version=None)
    return survey


def _clean_answer(q: Question, raw: Any) -> dict[str, Any] | None:
    """The stored form of one answer, None when left empty; a clear error when malformed."""
    values = raw if isinstance(raw, list) else ([] if raw in (None, "") else [raw])
    bad = ValidationError({f"q{q.pk}": _("“%(q)s”: the answer is not valid.") % {"q": q.text}})
    if q.kind == Question.Kind.TEXT:
        text = " ".join(str(v) for v in values).strip()
        return {"text": text[:2000]} if text else None
    try:
        numbers = [int(v) for v in values]
    except (TypeError, ValueError):
        raise bad from None
    if not numbers:
        return None
    if q.kind == Question.Kind.SCALE:
        if len(numbers) != 1 or not 1 <= numbers[0] <= q.scale_max:
            raise bad
        return {"value": numbers[0]}
    if any(not 0 <= n < len(q.options) for n in numbers) or len(set(numbers)) != len(numbers):
        raise bad
    if q.kind == Question.Kind.SINGLE and len(numbers) != 1:
        raise bad
    return {"choices": sorted(numbers)}


@transaction.atomic
def survey_answer(*, actor: Actor, survey: Survey, answers: Mapping[str, Any],
                  device: str = "") -> Response:
    """One response: a login answers once; an anonymous visitor once per device cookie, and
    an address at most ``ANONYMOUS_PER_HOUR`` times an hour."""
    require(permissions.can_answer(actor, survey), _("This survey is not open to you."))
    user = actor.user
    if user is None:
        if survey.audience != Survey.Audience.PUBLIC or not device:
            require(False, _("Log in to answer this survey."))
        key = f"survey-anon:{actor.ip or '-'}"
        if cache.get(key, 0) >= ANONYMOUS_PER_HOUR:
            raise ValidationError(_("Too many answers from this network; try again later."))
    from xieshang.participation import selectors

    if selectors.has_answered(survey, user_id=user.pk if user else None, device=device):
        raise ValidationError(_("You have already answered this survey."))
    cleaned: list[tuple[Question, dict[str, Any]]] = []
    for q in selectors.questions(survey):
        value = _clean_answer(q, answers.get(str(q.pk)))
        if value is None:
            if q.required:
                raise ValidationError({f"q{q.pk}": _("“%(q)s” needs an answer.") % {"q": q.text}})
            continue
        cleaned.append((q, value))
    member_id = actor.member_id if actor.acts_in(survey) else None
    try:
        with transaction.atomic():
            response = Response.objects.create(
                committee_id=survey.committee_id, survey=survey, user=user,
                member_id=member_id, device="" if user else device[:64])
    except IntegrityError:
        raise ValidationError(_("You have already answered this survey.")) from None
    Answer.objects.bulk_create([Answer(committee_id=survey.committee_id, response=response,
                                       question=q, **v) for q, v in cleaned])
    if user is None:
        key = f"survey-anon:{actor.ip or '-'}"
        cache.add(key, 0, 3600)
        cache.incr(key)
    audit.record(actor, "survey.answer", response, committee=survey.committee,
                 after={"survey": survey.pk, "answers": len(cleaned)})
    return response


# --- studios ---------------------------------------------------------------------------------


@transaction.atomic
def studio_create(*, actor: Actor, name: str, place: str, themes: str = "",
                  lead: Member | None = None, members: Iterable[Member] = ()) -> Studio:
    require(permissions.can_keep(actor))
    assert actor.committee is not None
    name, place = name.strip(), place.strip()
    if not name:
        raise ValidationError({"name": _("Enter the studio's name.")})
    if not place:
        raise ValidationError({"place": _("Enter where the studio is.")})
    members = list(members)
    _same_committee(actor.committee.pk, lead, *members)
    studio = Studio.objects.create(committee=actor.committee, name=name[:100], place=place[:200],
                                   themes=themes.strip()[:300], lead=lead)
    studio.members.set({*members, *([lead] if lead else [])})
    audit.record(actor, "studio.create", studio, after=audit.snapshot(studio))
    return studio


@transaction.atomic
def studio_event_record(*, actor: Actor, studio: Studio, kind: str, date: dt.date, title: str,
                        notes: str = "", residents: int = 0,
                        members: Iterable[Member] = ()) -> StudioEvent:
    require(permissions.can_record_for(actor, studio))
    if kind not in StudioEvent.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of activity.")})
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Enter the title.")})
    if date > clock.today():
        raise ValidationError({"date": _("The date cannot be in the future.")})
    if residents < 0:
        raise ValidationError({"residents": _("Enter a number of zero or more.")})
    members = list(members)
    _same_committee(studio.committee_id, *members)
    event = StudioEvent.objects.create(committee_id=studio.committee_id, studio=studio, kind=kind,
                                       date=date, title=title[:200], notes=notes.strip(),
                                       residents=residents, created_by=actor.user)
    event.members.set(members)
    audit.record(actor, "studio.event", event, after={**audit.snapshot(event),
                                                      "members": [m.pk for m in members]})
    return event


@transaction.atomic
def problem_record(*, actor: Actor, studio: Studio, text: str, received_on: dt.date,
                   raised_by: str = "", event: StudioEvent | None = None) -> Problem:
    require(permissions.can_record_for(actor, studio))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Describe the problem.")})
    if received_on > clock.today():
        raise ValidationError({"received_on": _("The date cannot be in the future.")})
    if event is not None and event.studio_id != studio.pk:
        raise ValidationError(_("The activity belongs to another studio."))
    problem = Problem.objects.create(committee_id=studio.committee_id, studio=studio, event=event,
                                     text=text, raised_by=raised_by.strip()[:100],
                                     received_on=received_on, created_by=actor.user)
    audit.record(actor, "studio.problem", problem, after=audit.snapshot(problem))
    return problem


@transaction.atomic
def problem_route(*, actor: Actor, problem: Problem, route: str,
                  opinion: OpinionReport | None = None, proposal: Proposal | None = None,
                  unit: HandlingUnit | None = None) -> Problem:
    """Say where the problem went: a public-opinion report, a proposal or a department."""
    require(permissions.can_record_for(actor, problem.studio))
    targets: dict[str, OpinionReport | Proposal | HandlingUnit | None] = {
        Problem.Route.OPINION: opinion, Problem.Route.PROPOSAL: proposal,
        Problem.Route.UNIT: unit}
    target = targets.get(route)
    if route not in Problem.Route.values or not route:
        raise ValidationError({"route": _("Choose where the problem went.")})
    if target is None:
        raise ValidationError({"route": _("Choose the report, proposal or department.")})
    _same_committee(problem.committee_id, target)
    row = Problem.objects.select_for_update().get(pk=problem.pk)
    _set_route(actor, row, "studio.problem_route", route=route, opinion=opinion,
               proposal=proposal, unit=unit)
    return row


def _set_route(actor: Actor, row: Problem, action: str, *, route: str,
               opinion: OpinionReport | None = None, proposal: Proposal | None = None,
               unit: HandlingUnit | None = None) -> None:
    """Write where a locked problem went (only the target of its route is kept), audited."""
    before = audit.snapshot(row, ["route", "opinion", "proposal", "unit"])
    row.route = route
    row.opinion = opinion if route == Problem.Route.OPINION else None
    row.proposal = proposal if route == Problem.Route.PROPOSAL else None
    row.unit = unit if route == Problem.Route.UNIT else None
    row.routed_on = clock.today()
    row.save(update_fields=["route", "opinion", "proposal", "unit", "routed_on"])
    audit.record(actor, action, row, before=before,
                 after=audit.snapshot(row, ["route", "opinion", "proposal", "unit"]))


def _draft_title(problem: Problem) -> str:
    first = problem.text.strip().splitlines()[0].strip() if problem.text.strip() else ""
    return first[:60]


def _origin(problem: Problem) -> str:
    note = _("From a problem collected at %(studio)s on %(day)s") % {
        "studio": problem.studio.name, "day": problem.received_on.isoformat()}
    if problem.raised_by:
        note += _(", raised by %(who)s") % {"who": problem.raised_by}
    return f"（{note}）"


def _lock_unrouted(actor: Actor, problem: Problem) -> Problem:
    require(permissions.can_draft_from(actor, problem),
            _("Only a member of the studio turns its problems into drafts."))
    row = Problem.objects.select_for_update().select_related("studio").get(pk=problem.pk)
    if row.route:
        raise ValidationError(_("This problem has already been passed on."))
    return row


@transaction.atomic
def problem_to_proposal(*, actor: Actor, problem: Problem) -> Proposal:
    """A member of the studio turns the problem into a proposal draft of their own, pre-filled
    with the problem's text; the problem is then passed on as that proposal."""
    row = _lock_unrouted(actor, problem)
    body = f"{row.text.strip()}\n\n{_origin(row)}"
    try:
        with transaction.atomic():
            proposal = proposal_services.proposal_save_draft(actor=actor,
                                                             title=_draft_title(row), body=body)
    except ValidationError:
        # The problem's first line may not make a valid title: the member writes one.
        proposal = proposal_services.proposal_save_draft(actor=actor, title="", body=body)
    _set_route(actor, row, "studio.problem_draft", route=Problem.Route.PROPOSAL,
               proposal=proposal)
    return proposal


def problem_report_text(problem: Problem) -> dict[str, str]:
    """The report form's starting text for a problem: its first line as the title, the
    problem (and where it was collected) as the situation."""
    return {"title": _draft_title(problem),
            "situation": f"{problem.text.strip()}\n{_origin(problem)}"}


@transaction.atomic
def problem_to_report(*, actor: Actor, problem: Problem, title: str, category: str,
                      situation: str = "", analysis: str = "", suggestion: str = "",
                      body: str = "") -> OpinionReport:
    """A member of the studio writes a public-opinion report from the problem (the opinions
    app's own submission; reports have no draft state, the author may still edit it while it
    is submitted); the problem is then passed on as that report."""
    row = _lock_unrouted(actor, problem)
    report = opinion_services.report_submit(actor=actor, title=title, category=category,
                                            situation=situation, analysis=analysis,
                                            suggestion=suggestion, body=body)
    _set_route(actor, row, "studio.problem_draft", route=Problem.Route.OPINION, opinion=report)
    return report


@transaction.atomic
def problem_answer(*, actor: Actor, problem: Problem, answer: str,
                   answered_on: dt.date | None = None) -> Problem:
    require(permissions.can_answer_problem(actor, problem))
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Enter the answer.")})
    if not problem.route:
        raise ValidationError(_("Pass the problem on before recording the answer."))
    day = answered_on or clock.today()
    if day > clock.today():
        raise ValidationError({"answered_on": _("The date cannot be in the future.")})
    row = Problem.objects.select_for_update().get(pk=problem.pk)
    before = {"answer": row.answer}
    row.answer, row.answered_on = answer, day
    row.save(update_fields=["answer", "answered_on"])
    audit.record(actor, "studio.problem_answer", row, before=before, after={"answer": answer[:500]})
    return row
