"""Pages of the participation channels. Thin: parse, authorize, call a service or selector,
render."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.activities import permissions as activity_permissions
from xieshang.activities import selectors as activity_selectors
from xieshang.activities.models import Activity, PlanItem
from xieshang.core import clock
from xieshang.core.files import send_file, xlsx_response
from xieshang.core.forms import error_text, run_service
from xieshang.core.http import XRequest, as_id
from xieshang.core.inputs import parse_form
from xieshang.core.models import User
from xieshang.core.permissions import Actor, require
from xieshang.core.tenancy import get_scoped_or_404, scoped
from xieshang.core.workflow_views import act as workflow_act
from xieshang.members.models import HandlingUnit, Member
from xieshang.opinions import selectors as opinion_selectors
from xieshang.opinions.models import Category as OpinionCategory
from xieshang.opinions.models import OpinionReport
from xieshang.participation import permissions, selectors, services, workflow
from xieshang.participation.models import Post, Problem, Question, Room, StudioEvent, Survey
from xieshang.participation.types import (
    AnswerBackIn,
    HideIn,
    PostIn,
    ProblemIn,
    RoomIn,
    RouteIn,
    StudioEventIn,
    StudioIn,
    SurveyHeadIn,
)
from xieshang.proposals import selectors as proposal_selectors
from xieshang.proposals.models import Proposal

DEVICE_COOKIE = "xs_device"



def _ids(actor: Actor, model: Any, ids: list[int]) -> list[Any]:
    return list(scoped(actor, model).filter(pk__in=ids))


def _opt(actor: Actor, model: Any, pk: int | None) -> Any:
    return get_scoped_or_404(actor, model, pk=pk) if pk is not None else None


# --- rooms -----------------------------------------------------------------------------------


@login_required
def room_list(request: XRequest) -> HttpResponse:
    actor = request.actor
    require(permissions.can_open_channels(actor))
    rooms = selectors.visible_rooms(actor).order_by("-opens_at", "-id")
    return render(request, "participation/room_list.html", {
        "rooms": rooms, "can_keep": permissions.can_keep(actor), "now": clock.now()})


@login_required
def room_create(request: XRequest) -> HttpResponse:
    actor = request.actor
    require(permissions.can_keep(actor))
    if request.method == "POST":
        try:
            data = parse_form(RoomIn, request.POST)
            room = services.room_create(
                actor=actor, title=data.title, topic=data.topic, opens_at=data.opens_at,
                closes_at=data.closes_at, is_public=data.is_public,
                activity=_opt(actor, Activity, data.activity_id),
                plan_item=_opt(actor, PlanItem, data.plan_item_id),
                members=_ids(actor, Member, data.member_ids),
                units=_ids(actor, HandlingUnit, data.unit_ids),
                experts=_experts(actor).filter(pk__in=data.expert_ids), publish=data.publish)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The room is published.") if data.publish else
                             _("The room is saved as a draft: only the staff see it until it "
                               "is published."))
            return redirect("participation:room", pk=room.pk)
    return render(request, "participation/room_form.html", {
        "activities": scoped(actor, Activity).order_by("-start")[:100],
        "plan_items": scoped(actor, PlanItem).select_related("plan").order_by(
            "-plan__year", "planned_month")[:100],
        "members": scoped(actor, Member).filter(left_on__isnull=True).order_by("name"),
        "units": scoped(actor, HandlingUnit).filter(is_active=True).order_by("name"),
        "experts": _experts(actor), "post": request.POST})


def _experts(actor: Actor) -> QuerySet[User]:
    """Experts are invited from the logins of the committee (a room never reaches outside)."""
    return User.objects.filter(roles__committee=actor.committee, roles__is_active=True,
                               is_active=True).distinct().order_by("display_name", "id")


def _room(request: XRequest, pk: int) -> Room:
    return get_scoped_or_404(request.actor, selectors.visible_rooms(request.actor), pk=pk)


def _survey(request: XRequest, pk: int) -> Survey:
    return get_scoped_or_404(request.actor, selectors.visible_surveys(request.actor), pk=pk)


@login_required
def room_detail(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    room = _room(request, pk)
    if request.method == "POST":
        try:
            data = parse_form(PostIn, request.POST)
            parent = (get_scoped_or_404(actor, room.posts.all(), pk=data.parent_id)
                      if data.parent_id else None)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            run_service(request, lambda: services.post_add(
                actor=actor, room=room, text=data.text, parent=parent,
                attachment=request.FILES.get("attachment")), _("Your post is published."))
        return redirect("participation:room", pk=room.pk)
    thread = selectors.threaded(selectors.room_posts(actor, room))
    return render(request, "participation/room_detail.html", {
        "room": room, "thread": thread, "can_post": permissions.can_post(actor, room),
        "can_moderate": permissions.can_moderate(actor, room),
        "can_summarise": permissions.can_summarise(actor, room),
        # Links only to what this viewer may open (a public room is read by every role here).
        "may_open_activity": room.activity_id is not None and activity_selectors.visible(
            actor).filter(pk=room.activity_id).exists(),
        "may_open_ledger": activity_permissions.can_view_ledger(actor),
        "ledger": room.suggestions.select_related("suggestion__recipient_unit"),
        "units": scoped(actor, HandlingUnit).filter(is_active=True).order_by("name"),
        "members": room.members.all(), "room_units": room.units.all(),
        "offers": workflow.ROOM.offers(actor, room),
        "events": room.events.all() if permissions.can_read_all(actor) else []})


@require_POST
@login_required
def room_act(request: XRequest, pk: int, action: str) -> HttpResponse:
    return workflow_act(request, workflow.ROOM, _room(request, pk), action)


@login_required
@require_POST
def post_hide(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    post = get_scoped_or_404(actor, scoped(actor, Post).filter(
        room__in=selectors.visible_rooms(actor).values("pk")).select_related("room"), pk=pk)
    try:
        data = parse_form(HideIn, request.POST)
        services.post_hide(actor=actor, post=post, reason=data.reason)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The post is hidden."))
    return redirect("participation:room", pk=post.room_id)


@login_required
def post_file(request: XRequest, pk: int) -> FileResponse:
    actor = request.actor
    post = get_scoped_or_404(actor, scoped(actor, Post).filter(
        room__in=selectors.visible_rooms(actor).values("pk")), pk=pk)
    if not post.attachment or (post.hidden_at and not permissions.can_keep(actor)):
        raise Http404
    return send_file(post.attachment, filename=post.attachment_name)


@login_required
@require_POST
def room_summary(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    room = _room(request, pk)
    texts = request.POST.getlist("suggestion")
    unit_ids = request.POST.getlist("unit")
    units = {u.pk: u for u in scoped(actor, HandlingUnit)}
    items = []
    for i, text in enumerate(texts):
        uid = as_id(unit_ids[i]) if i < len(unit_ids) else None
        items.append((text, units.get(uid) if uid else None))
    run_service(request, lambda: services.room_summarise(
        actor=actor, room=room, summary=request.POST.get("summary", ""), suggestions=items),
        _("The summary is saved; its suggestions are in the ledger."))
    return redirect("participation:room", pk=room.pk)


# --- surveys ---------------------------------------------------------------------------------

QUESTION_SLOTS = 6


@login_required
def survey_list(request: XRequest) -> HttpResponse:
    actor = request.actor
    require(permissions.can_open_channels(actor))
    surveys = list(selectors.visible_surveys(actor).order_by("-opens_at", "-id"))
    answered = set(selectors.answered_ids(actor, surveys))
    return render(request, "participation/survey_list.html", {
        "surveys": surveys, "answered": answered, "can_keep": permissions.can_keep(actor),
        "can_read_all": permissions.can_read_all(actor)})


def _questions_from(post: Any) -> list[dict[str, Any]]:
    out = []
    for i in range(1, QUESTION_SLOTS + 1):
        text = post.get(f"q{i}_text", "").strip()
        if not text:
            continue
        out.append({"kind": post.get(f"q{i}_kind", ""), "text": text,
                    "options": post.get(f"q{i}_options", "").splitlines(),
                    "scale_max": as_id(post.get(f"q{i}_scale", "")) or 5,
                    "required": post.get(f"q{i}_required") == "1"})
    return out


@login_required
def survey_create(request: XRequest) -> HttpResponse:
    actor = request.actor
    require(permissions.can_keep(actor))
    if request.method == "POST":
        try:
            data = parse_form(SurveyHeadIn, request.POST)
            survey = services.survey_create(
                actor=actor, title=data.title, intro=data.intro, audience=data.audience,
                counts_for_duty=data.counts_for_duty, opens_at=data.opens_at,
                closes_at=data.closes_at, questions=_questions_from(request.POST),
                publish=data.publish)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The survey is published.") if data.publish else
                             _("The survey is saved as a draft: only the staff see it until "
                               "it is published."))
            return redirect("participation:survey", pk=survey.pk)
    return render(request, "participation/survey_form.html", {
        "slots": range(1, QUESTION_SLOTS + 1), "kinds": Question.Kind.choices,
        "audiences": Survey.Audience.choices, "post": request.POST})


def _answers_from(post: Any, qs: list[Question]) -> dict[str, Any]:
    return {str(q.pk): (post.getlist(f"q{q.pk}") if q.kind == Question.Kind.MULTIPLE
                        else post.get(f"q{q.pk}", "")) for q in qs}


@login_required
def survey_detail(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    survey = _survey(request, pk)
    qs = selectors.questions(survey)
    done = selectors.has_answered(survey, user_id=actor.user.pk if actor.user else None,
                                  device="")
    if request.method == "POST" and run_service(request, lambda: services.survey_answer(
            actor=actor, survey=survey, answers=_answers_from(request.POST, qs)),
            _("Thank you: your answers are saved.")):
        return redirect("participation:survey", pk=survey.pk)
    return render(request, "participation/survey_detail.html", {
        "survey": survey, "questions": qs, "done": done,
        "can_answer": permissions.can_answer(actor, survey) and not done,
        "can_see_results": permissions.can_see_results(actor, survey),
        "offers": workflow.SURVEY.offers(actor, survey),
        "events": survey.events.all() if permissions.can_read_all(actor) else [],
        "public_url": request.build_absolute_uri(reverse("participation:public-survey",
                                                         args=[survey.pk]))
        if survey.audience == Survey.Audience.PUBLIC else ""})


@require_POST
@login_required
def survey_act(request: XRequest, pk: int, action: str) -> HttpResponse:
    return workflow_act(request, workflow.SURVEY, _survey(request, pk), action)


def public_survey(request: XRequest, pk: int) -> HttpResponse:
    """A public survey answered without logging in: once per device (a cookie) and a limit per
    network address (services.survey_answer)."""
    try:
        survey = selectors.public_surveys().get(pk=pk)
    except Survey.DoesNotExist:
        raise Http404 from None
    device = request.COOKIES.get(DEVICE_COOKIE, "")
    if not (device.isalnum() and len(device) == 32):
        device = secrets.token_hex(16)
    user = request.user if isinstance(request.user, User) else None
    anon = Actor(user=user, committee=survey.committee, ip=request.META.get("REMOTE_ADDR"))
    if user is not None and request.actor.acts_in(survey):
        anon = request.actor
    qs = selectors.questions(survey)
    done = selectors.has_answered(survey, user_id=user.pk if user else None, device=device)
    if request.method == "POST" and not done and run_service(
            request, lambda: services.survey_answer(
                actor=anon, survey=survey, answers=_answers_from(request.POST, qs),
                device=device), _("Thank you: your answers are saved.")):
        done = True
    response = render(request, "participation/survey_public.html", {
        "survey": survey, "questions": qs, "done": done, "can_answer": survey.is_open})
    response.set_cookie(DEVICE_COOKIE, device, max_age=3600 * 24 * 365, httponly=True,
                        samesite="Lax")
    return response


def _results_survey(request: XRequest, pk: int) -> Survey:
    actor = request.actor
    survey = _survey(request, pk)
    require(permissions.can_see_results(actor, survey))
    return survey


@login_required
def survey_results(request: XRequest, pk: int) -> HttpResponse:
    survey = _results_survey(request, pk)
    return render(request, "participation/survey_results.html", {
        "survey": survey, "results": selectors.results(survey),
        "total": survey.responses.count()})


@login_required
def survey_export(request: XRequest, pk: int) -> HttpResponse:
    survey = _results_survey(request, pk)
    return xlsx_response(selectors.export_rows(survey), filename=f"{survey.title}.xlsx",
                         title=_("Answers"))


# --- studios ---------------------------------------------------------------------------------


@login_required
def studio_list(request: XRequest) -> HttpResponse:
    actor = request.actor
    require(permissions.can_open_channels(actor))
    return render(request, "participation/studio_list.html", {
        "studios": selectors.visible_studios(actor), "can_keep": permissions.can_keep(actor)})


@login_required
def studio_create(request: XRequest) -> HttpResponse:
    actor = request.actor
    require(permissions.can_keep(actor))
    if request.method == "POST":
        try:
            data = parse_form(StudioIn, request.POST)
            studio = services.studio_create(
                actor=actor, name=data.name, place=data.place, themes=data.themes,
                lead=_opt(actor, Member, data.lead_id),
                members=_ids(actor, Member, data.member_ids))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The studio is saved."))
            return redirect("participation:studio", pk=studio.pk)
    return render(request, "participation/studio_form.html", {
        "members": scoped(actor, Member).filter(left_on__isnull=True).order_by("name"),
        "post": request.POST})


@login_required
def studio_detail(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    studio = get_scoped_or_404(actor, selectors.visible_studios(actor), pk=pk)
    can_record = permissions.can_record_for(actor, studio)
    if request.method == "POST":
        require(can_record)
        what = request.POST.get("what")
        try:
            if what == "event":
                e = parse_form(StudioEventIn, request.POST)
                services.studio_event_record(
                    actor=actor, studio=studio, kind=e.kind, date=e.date, title=e.title,
                    notes=e.notes, residents=e.residents,
                    members=_ids(actor, Member, e.member_ids))
            else:
                p = parse_form(ProblemIn, request.POST)
                services.problem_record(
                    actor=actor, studio=studio, text=p.text, received_on=p.received_on,
                    raised_by=p.raised_by,
                    event=_opt(actor, studio.events.all(), p.event_id))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Saved."))
        return redirect("participation:studio", pk=studio.pk)
    problems = list(selectors.studio_problems(studio))
    # A problem's report or proposal is linked only for a viewer who may open it (the same
    # visible() the target page fetches through); others read its title.
    open_reports = set(opinion_selectors.visible(actor).filter(
        pk__in=[x.opinion_id for x in problems if x.opinion_id]).values_list("pk", flat=True))
    open_proposals = set(proposal_selectors.visible(actor).filter(
        pk__in=[x.proposal_id for x in problems if x.proposal_id]).values_list("pk", flat=True))
    for problem in problems:
        problem.may_open = (problem.opinion_id in open_reports if problem.opinion_id  # type: ignore[attr-defined]
                            else problem.proposal_id in open_proposals)
    return render(request, "participation/studio_detail.html", {
        "studio": studio, "events": selectors.studio_events(studio),
        "problems": problems, "can_record": can_record,
        "can_draft": permissions.is_studio_member(actor, studio),
        "kinds": StudioEvent.Kind.choices, "routes": Problem.Route.choices[1:],
        "members": studio.members.all(), "today": clock.today(),
        "units": scoped(actor, HandlingUnit).filter(is_active=True).order_by("name"),
        "opinions": scoped(actor, OpinionReport).order_by("-id")[:50] if can_record else [],
        "proposals": scoped(actor, Proposal).exclude(status="draft").order_by("-id")[:50]
        if can_record else []})


def _problem(request: XRequest, pk: int) -> Problem:
    actor = request.actor
    return get_scoped_or_404(actor, scoped(actor, Problem).filter(
        studio__in=selectors.visible_studios(actor).values("pk")).select_related("studio"),
        pk=pk)


@login_required
@require_POST
def problem_to_proposal(request: XRequest, pk: int) -> HttpResponse:
    """"转为提案草稿": a member of the studio gets a proposal draft of their own."""
    problem = _problem(request, pk)
    try:
        proposal = services.problem_to_proposal(actor=request.actor, problem=problem)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("participation:studio", pk=problem.studio_id)
    messages.success(request, _("A proposal draft was made from the problem: complete it "
                                "and submit it."))
    return redirect("proposal-edit", pk=proposal.pk)


@login_required
def problem_to_report(request: XRequest, pk: int) -> HttpResponse:
    """"写成社情民意信息": the report form, pre-filled with the problem; submitting it passes
    the problem on as the report."""
    actor = request.actor
    problem = _problem(request, pk)
    require(permissions.can_draft_from(actor, problem))
    values: dict[str, str] = {**services.problem_report_text(problem),
                         "category": OpinionCategory.OTHER.value}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in
                  ("title", "category", "situation", "analysis", "suggestion")}
        try:
            report = services.problem_to_report(actor=actor, problem=problem, **values)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The report is submitted; the problem is passed on "
                                        "as this report."))
            return redirect("opinions:report-detail", pk=report.pk)
    return render(request, "participation/problem_report.html", {
        "problem": problem, "values": values, "categories": OpinionCategory.choices})


@login_required
@require_POST
def problem_action(request: XRequest, pk: int, action: str) -> HttpResponse:
    actor = request.actor
    problem = _problem(request, pk)
    try:
        if action == "route":
            r = parse_form(RouteIn, request.POST)
            services.problem_route(actor=actor, problem=problem, route=r.route,
                                   opinion=_opt(actor, OpinionReport, r.opinion_id),
                                   proposal=_opt(actor, Proposal, r.proposal_id),
                                   unit=_opt(actor, HandlingUnit, r.unit_id))
        elif action == "answer":
            a = parse_form(AnswerBackIn, request.POST)
            services.problem_answer(actor=actor, problem=problem, answer=a.answer,
                                    answered_on=a.answered_on)
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Saved."))
    return redirect("participation:studio", pk=problem.studio_id)
