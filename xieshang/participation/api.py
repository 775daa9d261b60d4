"""JSON API of the participation channels, mounted at /api/v1/participation/: the same
operations as the pages, through the same services.

No ``from __future__ import annotations`` here: ninja reads the annotations of the ``@paged``
operations at import time (docs/api.md)."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile

from xieshang.activities.models import Activity, PlanItem
from xieshang.core.apiutils import ERRORS, ApiError, Rows, actor, paged
from xieshang.core.models import User
from xieshang.core.permissions import Actor
from xieshang.core.tenancy import get_scoped_or_404, scoped
from xieshang.core.workflow_api import step_routes
from xieshang.members.models import HandlingUnit, Member
from xieshang.opinions.models import OpinionReport
from xieshang.participation import permissions, selectors, services, workflow
from xieshang.participation.models import Post, Problem, Room, Studio, StudioEvent, Survey
from xieshang.participation.types import (
    AnswerBackIn,
    HideIn,
    PostIn,
    ProblemDraftIn,
    ProblemIn,
    RoomIn,
    RouteIn,
    StudioEventIn,
    StudioIn,
    SummaryIn,
    SurveyIn,
)
from xieshang.proposals.models import Proposal

router = Router(tags=["participation"])


# --- schemas -------------------------------------------------------------------------------


class ChannelStatusOut(Schema):
    status: str = Field(description="draft, published or closed (ended early)")
    version: int = Field(description="Send it back with a step (optimistic locking).")
    closed_at: dt.datetime | None
    close_reason: str
    actions: list[str] = Field(description="The steps the caller may take now.")


class RoomOut(ChannelStatusOut):
    id: int
    title: str
    topic: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    is_open: bool
    is_public: bool
    activity_id: int | None
    plan_item_id: int | None
    summary: str


class PostOut(Schema):
    id: int
    parent_id: int | None
    author_name: str
    text: str
    hidden: bool
    hidden_reason: str
    attachment_name: str
    created_at: dt.datetime


class SuggestionRef(Schema):
    id: int
    text: str
    status: str


class SummaryOut(Schema):
    room_id: int
    summary: str
    suggestions: list[SuggestionRef]


class SurveyOut(ChannelStatusOut):
    id: int
    title: str
    intro: str
    audience: str
    counts_for_duty: bool
    opens_at: dt.datetime
    closes_at: dt.datetime
    is_open: bool


class QuestionOut(Schema):
    id: int
    kind: str
    text: str
    options: list[str]
    scale_max: int
    required: bool


class SurveyDetailOut(SurveyOut):
    questions: list[QuestionOut]


class AnswersIn(Schema):
    answers: dict[str, int | str | list[int | str]] = Field(
        {}, description="question id → option index (single), option indexes (multiple), "
                        "scale point (scale) or text (text)")


class AnswerDone(Schema):
    ok: bool = True
    id: int = 0


class BarOut(Schema):
    label: str
    count: int
    percent: int


class ResultOut(Schema):
    question_id: int
    text: str
    kind: str
    answered: int
    bars: list[BarOut] = []
    mean: float | None = None
    texts: list[str] = []


class ResultsOut(Schema):
    survey_id: int
    total: int
    questions: list[ResultOut]


class StudioOut(Schema):
    id: int
    name: str
    place: str
    themes: str
    lead_id: int | None
    member_ids: list[int]


class StudioEventOut(Schema):
    id: int
    kind: str
    date: dt.date
    title: str
    residents: int
    member_ids: list[int]


class ProblemOut(Schema):
    id: int
    text: str
    raised_by: str
    received_on: dt.date
    route: str
    opinion_id: int | None
    proposal_id: int | None
    unit_id: int | None
    answer: str
    answered_on: dt.date | None


# --- helpers -------------------------------------------------------------------------------


def _opt(a: Actor, model: Any, pk: int | None) -> Any:
    return get_scoped_or_404(a, model, pk=pk) if pk is not None else None


def _room(a: Actor, pk: int) -> Room:
    return get_scoped_or_404(a, selectors.visible_rooms(a), pk=pk)


def _status_out(a: Actor, c: Room | Survey) -> dict[str, Any]:
    lifecycle = workflow.ROOM if isinstance(c, Room) else workflow.SURVEY
    return {"status": c.status, "version": c.version, "closed_at": c.closed_at,
            "close_reason": c.close_reason,
            "actions": lifecycle.allowed_names(a, c)}  # type: ignore[arg-type]


def _room_out(a: Actor, r: Room) -> dict[str, Any]:
    return {"id": r.pk, "title": r.title, "topic": r.topic, "opens_at": r.opens_at,
            "closes_at": r.closes_at, "is_open": r.is_open, "is_public": r.is_public,
            "activity_id": r.activity_id, "plan_item_id": r.plan_item_id, "summary": r.summary,
            **_status_out(a, r)}


def _post_out(p: Post, keeper: bool) -> dict[str, Any]:
    hidden = p.hidden_at is not None
    return {"id": p.pk, "parent_id": p.parent_id, "author_name": p.author_name,
            "text": "" if hidden and not keeper else p.text, "hidden": hidden,
            "hidden_reason": p.hidden_reason, "attachment_name": p.attachment_name,
            "created_at": p.created_at}


def _survey_out(a: Actor, s: Survey) -> dict[str, Any]:
    return {"id": s.pk, "title": s.title, "intro": s.intro, "audience": s.audience,
            "counts_for_duty": s.counts_for_duty, "opens_at": s.opens_at,
            "closes_at": s.closes_at, "is_open": s.is_open, **_status_out(a, s)}


def _studio_out(s: Studio) -> dict[str, Any]:
    return {"id": s.pk, "name": s.name, "place": s.place, "themes": s.themes,
            "lead_id": s.lead_id, "member_ids": [m.pk for m in s.members.all()]}


def _event_out(e: StudioEvent) -> dict[str, Any]:
    return {"id": e.pk, "kind": e.kind, "date": e.date, "title": e.title,
            "residents": e.residents, "member_ids": [m.pk for m in e.members.all()]}


def _problem_out(p: Problem) -> dict[str, Any]:
    return {k: getattr(p, k) for k in ("id", "text", "raised_by", "received_on", "route",
                                       "opinion_id", "proposal_id", "unit_id", "answer",
                                       "answered_on")}


def _channels(a: Actor) -> None:
    if not permissions.can_open_channels(a):
        raise ApiError("no_committee", "您没有所属政协。", 403)


# --- rooms ---------------------------------------------------------------------------------


@router.get("/rooms", response={200: list[RoomOut], **ERRORS})
@paged
def list_rooms(request: HttpRequest) -> Rows:
    a = actor(request)
    _channels(a)
    return Rows(selectors.visible_rooms(a).order_by("-opens_at", "-id"),
                lambda r: _room_out(a, r))


@router.post("/rooms", response={201: RoomOut, **ERRORS})
def create_room(request: HttpRequest, data: RoomIn) -> tuple[int, dict[str, Any]]:
    a = actor(request)
    room = services.room_create(
        actor=a, title=data.title, topic=data.topic, opens_at=data.opens_at,
        closes_at=data.closes_at, is_public=data.is_public,
        activity=_opt(a, Activity, data.activity_id),
        plan_item=_opt(a, PlanItem, data.plan_item_id),
        members=scoped(a, Member).filter(pk__in=data.member_ids),
        units=scoped(a, HandlingUnit).filter(pk__in=data.unit_ids),
        experts=User.objects.filter(pk__in=data.expert_ids, roles__committee=a.committee,
                                    roles__is_active=True).distinct(), publish=data.publish)
    return 201, _room_out(a, room)


@router.get("/rooms/{int:pk}", response={200: RoomOut, **ERRORS})
def get_room(request: HttpRequest, pk: int) -> dict[str, Any]:
    a = actor(request)
    return _room_out(a, _room(a, pk))


@router.get("/rooms/{int:pk}/posts", response={200: list[PostOut], **ERRORS})
@paged
def list_posts(request: HttpRequest, pk: int) -> Rows:
    a = actor(request)
    room = _room(a, pk)
    keeper = permissions.can_moderate(a, room)
    return Rows(selectors.room_posts(a, room), lambda p: _post_out(p, keeper))


@router.post("/rooms/{int:pk}/posts", response={201: PostOut, **ERRORS})
def add_post(request: HttpRequest, pk: int, data: Form[PostIn],
             attachment: File[UploadedFile] | None = None) -> tuple[int, dict[str, Any]]:
    a = actor(request)
    room = _room(a, pk)
    parent = get_scoped_or_404(a, room.posts.all(), pk=data.parent_id) if data.parent_id else None
    post = services.post_add(actor=a, room=room, text=data.text, parent=parent,
                             attachment=attachment)
    return 201, _post_out(post, True)


@router.post("/posts/{int:pk}/hide", response={200: PostOut, **ERRORS})
def hide_post(request: HttpRequest, pk: int, data: HideIn) -> dict[str, Any]:
    a = actor(request)
    post = get_scoped_or_404(a, scoped(a, Post).filter(
        room__in=selectors.visible_rooms(a).values("pk")).select_related("room"), pk=pk)
    return _post_out(services.post_hide(actor=a, post=post, reason=data.reason), True)


@router.post("/rooms/{int:pk}/summary", response={200: SummaryOut, **ERRORS})
def summarise_room(request: HttpRequest, pk: int, data: SummaryIn) -> dict[str, Any]:
    a = actor(request)
    room = _room(a, pk)
    items = [(s.text, _opt(a, HandlingUnit, s.unit_id)) for s in data.suggestions]
    made = services.room_summarise(actor=a, room=room, summary=data.summary, suggestions=items)
    return {"room_id": room.pk, "summary": data.summary.strip(),
            "suggestions": [{"id": s.pk, "text": s.text, "status": s.status} for s in made]}


# --- surveys -------------------------------------------------------------------------------


@router.get("/surveys", response={200: list[SurveyOut], **ERRORS})
@paged
def list_surveys(request: HttpRequest) -> Rows:
    a = actor(request)
    _channels(a)
    return Rows(selectors.visible_surveys(a).order_by("-opens_at", "-id"),
                lambda s: _survey_out(a, s))


@router.post("/surveys", response={201: SurveyDetailOut, **ERRORS})
def create_survey(request: HttpRequest, data: SurveyIn) -> tuple[int, dict[str, Any]]:
    a = actor(request)
    survey = services.survey_create(
        actor=a, title=data.title, intro=data.intro, audience=data.audience,
        counts_for_duty=data.counts_for_duty, opens_at=data.opens_at, closes_at=data.closes_at,
        questions=[q.model_dump() for q in data.questions], publish=data.publish)
    return 201, _survey_detail(a, survey)


def _survey_detail(a: Actor, s: Survey) -> dict[str, Any]:
    return {**_survey_out(a, s), "questions": [
        {"id": q.pk, "kind": q.kind, "text": q.text, "options": q.options,
         "scale_max": q.scale_max, "required": q.required} for q in selectors.questions(s)]}


@router.get("/surveys/{int:pk}", response={200: SurveyDetailOut, **ERRORS})
def get_survey(request: HttpRequest, pk: int) -> dict[str, Any]:
    a = actor(request)
    return _survey_detail(a, get_scoped_or_404(a, selectors.visible_surveys(a), pk=pk))


@router.post("/surveys/{int:pk}/answers", response={201: AnswerDone, **ERRORS})
def answer_survey(request: HttpRequest, pk: int, data: AnswersIn) -> tuple[int, dict[str, Any]]:
    """Answer as the logged-in user (once); the public answer anonymously on the page."""
    a = actor(request)
    survey = get_scoped_or_404(a, selectors.visible_surveys(a), pk=pk)
    response = services.survey_answer(actor=a, survey=survey, answers=data.answers)
    return 201, {"ok": True, "id": response.pk}


@router.get("/surveys/{int:pk}/results", response={200: ResultsOut, **ERRORS})
def survey_results(request: HttpRequest, pk: int) -> dict[str, Any]:
    a = actor(request)
    survey = get_scoped_or_404(a, selectors.visible_surveys(a), pk=pk)
    if not permissions.can_see_results(a, survey):
        raise ApiError("forbidden", "您无权查看问卷结果。", 403)
    out = []
    for r in selectors.results(survey):
        q = r["question"]
        out.append({"question_id": q.pk, "text": q.text, "kind": q.kind,  # type: ignore[attr-defined]
                    "answered": r["answered"], "bars": r.get("bars", []),
                    "mean": r.get("mean"), "texts": r.get("texts", [])})
    return {"survey_id": survey.pk, "total": survey.responses.count(), "questions": out}


def _survey(request: HttpRequest, pk: int) -> Survey:
    a = actor(request)
    return get_scoped_or_404(a, selectors.visible_surveys(a), pk=pk)


step_routes(router, workflow.ROOM, path="/rooms/{int:pk}/actions",
            fetch=lambda request, pk: _room(actor(request), pk),
            out=lambda request, r: _room_out(actor(request), r), response=RoomOut)
step_routes(router, workflow.SURVEY, path="/surveys/{int:pk}/actions", fetch=_survey,
            out=lambda request, s: _survey_detail(actor(request), s), response=SurveyDetailOut)


# --- studios -------------------------------------------------------------------------------


def _studio(a: Actor, pk: int) -> Studio:
    return get_scoped_or_404(a, selectors.visible_studios(a), pk=pk)


@router.get("/studios", response={200: list[StudioOut], **ERRORS})
@paged
def list_studios(request: HttpRequest) -> Rows:
    a = actor(request)
    _channels(a)
    return Rows(selectors.visible_studios(a).prefetch_related("members").order_by("name", "id"),
                _studio_out)


@router.post("/studios", response={201: StudioOut, **ERRORS})
def create_studio(request: HttpRequest, data: StudioIn) -> tuple[int, dict[str, Any]]:
    a = actor(request)
    studio = services.studio_create(actor=a, name=data.name, place=data.place,
                                    themes=data.themes, lead=_opt(a, Member, data.lead_id),
                                    members=scoped(a, Member).filter(pk__in=data.member_ids))
    return 201, _studio_out(studio)


@router.get("/studios/{int:pk}/events", response={200: list[StudioEventOut], **ERRORS})
@paged
def list_studio_events(request: HttpRequest, pk: int) -> Rows:
    a = actor(request)
    return Rows(selectors.studio_events(_studio(a, pk)), _event_out)


@router.post("/studios/{int:pk}/events", response={201: StudioEventOut, **ERRORS})
def record_studio_event(request: HttpRequest, pk: int,
                        data: StudioEventIn) -> tuple[int, dict[str, Any]]:
    a = actor(request)
    event = services.studio_event_record(
        actor=a, studio=_studio(a, pk), kind=data.kind, date=data.date, title=data.title,
        notes=data.notes, residents=data.residents,
        members=scoped(a, Member).filter(pk__in=data.member_ids))
    return 201, _event_out(event)


@router.get("/studios/{int:pk}/problems", response={200: list[ProblemOut], **ERRORS})
@paged
def list_problems(request: HttpRequest, pk: int) -> Rows:
    a = actor(request)
    return Rows(selectors.studio_problems(_studio(a, pk)), _problem_out)


@router.post("/studios/{int:pk}/problems", response={201: ProblemOut, **ERRORS})
def record_problem(request: HttpRequest, pk: int, data: ProblemIn) -> tuple[int, dict[str, Any]]:
    a = actor(request)
    studio = _studio(a, pk)
    problem = services.problem_record(
        actor=a, studio=studio, text=data.text, received_on=data.received_on,
        raised_by=data.raised_by, event=_opt(a, studio.events.all(), data.event_id))
    return 201, _problem_out(problem)


def _problem(a: Actor, pk: int) -> Problem:
    return get_scoped_or_404(a, scoped(a, Problem).filter(
        studio__in=selectors.visible_studios(a).values("pk")).select_related("studio"), pk=pk)


@router.post("/problems/{int:pk}/route", response={200: ProblemOut, **ERRORS})
def route_problem(request: HttpRequest, pk: int, data: RouteIn) -> dict[str, Any]:
    a = actor(request)
    problem = services.problem_route(
        actor=a, problem=_problem(a, pk), route=data.route,
        opinion=_opt(a, OpinionReport, data.opinion_id),
        proposal=_opt(a, Proposal, data.proposal_id), unit=_opt(a, HandlingUnit, data.unit_id))
    return _problem_out(problem)


@router.post("/problems/{int:pk}/draft", response={201: ProblemOut, **ERRORS})
def draft_from_problem(request: HttpRequest, pk: int,
                       data: ProblemDraftIn) -> tuple[int, dict[str, Any]]:
    """A member of the studio turns the problem into a proposal draft of their own or a
    public-opinion report; the problem is passed on as it (``proposal_id`` / ``opinion_id``)."""
    a = actor(request)
    problem = _problem(a, pk)
    if data.kind == "proposal":
        services.problem_to_proposal(actor=a, problem=problem)
    elif data.kind == "opinion":
        start = services.problem_report_text(problem)
        services.problem_to_report(actor=a, problem=problem, title=data.title or start["title"],
                                   category=data.category,
                                   situation=data.situation or start["situation"],
                                   analysis=data.analysis, suggestion=data.suggestion)
    else:
        raise ApiError("bad_kind", "kind 应为 proposal 或 opinion。", 422)
    problem.refresh_from_db()
    return 201, _problem_out(problem)


@router.post("/problems/{int:pk}/answer", response={200: ProblemOut, **ERRORS})
def answer_problem(request: HttpRequest, pk: int, data: AnswerBackIn) -> dict[str, Any]:
    a = actor(request)
    return _problem_out(services.problem_answer(actor=a, problem=_problem(a, pk),
                                                answer=data.answer, answered_on=data.answered_on))


