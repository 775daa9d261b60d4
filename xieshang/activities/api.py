"""JSON API of the activities app, mounted at /api/v1/activities/: the same operations as the
pages, through the same services.

No ``from __future__ import annotations`` here: ninja reads the annotations of the ``@paged``
operations at import time (docs/api.md)."""

import datetime as dt
from enum import StrEnum
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from xieshang.activities import permissions, reading, selectors, services, workflow
from xieshang.activities.models import (
    Activity,
    ActivityType,
    AnnualPlan,
    Invitation,
    LearningMaterial,
    PlanItem,
    Speech,
    Suggestion,
)
from xieshang.core.apiutils import ERRORS, ApiError, Rows, actor, paged
from xieshang.core.permissions import Actor, require
from xieshang.core.tenancy import get_scoped_or_404, scoped
from xieshang.core.workflow_api import step_routes
from xieshang.members.models import ActivityGroup, HandlingUnit, Member, SpecialCommittee

router = Router(tags=["activities"])


# --- schemas -------------------------------------------------------------------------------


class TypeOut(Schema):
    id: int
    code: str
    label: str
    category: str
    counts_for_duty: bool
    points: float
    is_active: bool


class TypePatch(Schema):
    label: str | None = None
    counts_for_duty: bool | None = None
    points: float | None = None
    is_active: bool | None = None


class ActivityIn(Schema):
    type: str
    title: str
    start: dt.datetime
    end: dt.datetime | None = None
    topic: str = ""
    place: str = ""
    organiser: str = "office"
    special_committee_id: int | None = None
    group_id: int | None = None
    lead_id: int | None = None
    description: str = ""
    minutes: str = ""
    details: dict[str, Any] = Field({}, description="What the activity type records besides "
                                                    "the common fields (docs/activities.md).")
    unit_ids: list[int] = []
    material_ids: list[int] = []


class ActivityPatch(Schema):
    title: str | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    topic: str | None = None
    place: str | None = None
    description: str | None = None
    minutes: str | None = None
    details: dict[str, Any] | None = None
    unit_ids: list[int] | None = None


class ActivityOut(Schema):
    id: int
    type: str
    type_label: str
    title: str
    topic: str
    start: dt.datetime
    end: dt.datetime
    place: str
    organiser: str
    special_committee_id: int | None
    group_id: int | None
    status: str
    details: dict[str, Any] = Field(..., description="What the activity type records besides the "
                                                     "common fields (docs/activities.md).")
    minutes: str
    unit_ids: list[int]

    @staticmethod
    def of(a: Activity) -> dict[str, Any]:
        return {"id": a.pk, "type": a.type.code, "type_label": a.type.label, "title": a.title,
                "topic": a.topic, "start": a.start, "end": a.end, "place": a.place,
                "organiser": a.organiser, "special_committee_id": a.special_committee_id,
                "group_id": a.group_id, "status": a.status, "details": a.details,
                "minutes": a.minutes, "unit_ids": [u.pk for u in a.units.all()]}


class ActivityStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class StatusIn(Schema):
    status: ActivityStatus = Field(..., description="held: it took place (plan items it carries "
                                                    "out are done); cancelled: invitees are told.")


class InviteIn(Schema):
    member_ids: list[int] = []
    sector_ids: list[int] = []
    special_committee_ids: list[int] = []
    group_ids: list[int] = []
    everyone: bool = False


class InvitationOut(Schema):
    id: int
    activity_id: int
    member_id: int
    member_name: str
    status: str
    leave_reason: str
    attendance: str
    attendance_source: str
    signed_in_at: dt.datetime | None
    version: int
    actions: list[workflow.INVITATION.Action]  # type: ignore[name-defined]

    @staticmethod
    def of(i: Invitation, actions: list[str]) -> dict[str, Any]:
        return {"id": i.pk, "activity_id": i.activity_id, "member_id": i.member_id,
                "member_name": i.member.name, "status": i.status,
                "leave_reason": i.leave_reason, "attendance": i.attendance,
                "attendance_source": i.attendance_source, "signed_in_at": i.signed_in_at,
                "version": i.version, "actions": actions}


class AttendanceIn(Schema):
    attendance: str


class QrOut(Schema):
    token: str
    url: str
    expires_at: dt.datetime


class QrTokenIn(Schema):
    token: str


class SpeechIn(Schema):
    title: str
    text: str


class SpeechOut(Schema):
    id: int
    activity_id: int
    member_id: int
    title: str


class SuggestionIn(Schema):
    text: str
    recipient_unit_id: int | None = None
    recipient_body: str = ""
    document_id: int | None = None


class FollowUpIn(Schema):
    follow_up: str = ""


class SuggestionOut(Schema):
    id: int
    activity_id: int
    text: str
    recipient_unit_id: int | None
    recipient_body: str
    status: str
    sent_on: dt.date | None
    deadline: dt.date | None
    deadline_warnings: list[str]
    feedback: str
    adoption: str
    follow_up: str
    version: int


class CountsOut(Schema):
    by_type: dict[str, int]
    suggestions_by_type: dict[str, int]
    counterpart_departments: int
    learning_reached: int
    learning_total: int


class PlanIn(Schema):
    year: int
    title: str


class PlanItemIn(Schema):
    type: str
    topic: str
    planned_month: int
    lead_special_committee_id: int | None = None
    lead_id: int | None = None
    unit_ids: list[int] = []


class PlanItemOut(Schema):
    id: int
    type: str
    topic: str
    planned_month: int
    status: str
    activity_id: int | None
    moved_note: str


class PlanOut(Schema):
    id: int
    year: int
    title: str
    status: str
    approved_on: dt.date | None
    items: list[PlanItemOut]
    done: int
    pending: int
    moved: int


class ApproveIn(Schema):
    approved_on: dt.date
    meeting_id: int | None = None


class LinkIn(Schema):
    activity_id: int


class MoveIn(Schema):
    to_month: int | None = None
    note: str


class MaterialIn(Schema):
    title: str
    url: str = ""
    text: str = ""
    audience: str = "all"


class MaterialOut(Schema):
    id: int
    title: str
    url: str
    text: str
    audience: str
    published_on: dt.date


class ReadIn(Schema):
    token: str = Field("", max_length=500)
    seconds: int | None = Field(None, ge=0, le=86400)
    marked_read: bool = False


class OpenOut(Schema):
    material_id: int
    token: str


class ReadOut(Schema):
    material_id: int
    seconds: int
    marked_read: bool


class Done(Schema):
    ok: bool = True
    count: int = 0


# --- helpers -------------------------------------------------------------------------------


def _type(a: Any, code: str) -> ActivityType:
    services.activity_types_ensure(a.committee)
    return get_scoped_or_404(a, ActivityType, code=code)


def _opt[T: models.Model](a: Actor, model: type[T], pk: int | None) -> T | None:
    return get_scoped_or_404(a, model, pk=pk) if pk is not None else None


def _visible(request: HttpRequest, pk: int) -> Activity:
    a = actor(request)
    return get_scoped_or_404(a, selectors.visible(a).select_related("type"), pk=pk)


def _suggestion_out(s: Suggestion) -> dict[str, Any]:
    return {k: getattr(s, k) for k in ("id", "activity_id", "text", "recipient_unit_id",
                                       "recipient_body", "status", "sent_on", "deadline",
                                       "deadline_warnings", "feedback", "adoption",
                                       "follow_up", "version")}


# --- types and activities ------------------------------------------------------------------


@router.get("/types", response={200: list[TypeOut], **ERRORS})
@paged
def list_types(request: HttpRequest) -> QuerySet[ActivityType]:
    a = actor(request)
    if a.committee is None:
        raise ApiError("no_committee", "您没有所属政协。", 403)
    services.activity_types_ensure(a.committee)
    return scoped(a, ActivityType).order_by("order", "id")


@router.patch("/types/{code}", response=TypeOut)
def patch_type(request: HttpRequest, code: str, data: TypePatch) -> ActivityType:
    a = actor(request)
    return services.activity_type_update(actor=a, activity_type=_type(a, code),
                                         **data.model_dump())


@router.get("/", response={200: list[ActivityOut], **ERRORS})
@paged
def list_activities(request: HttpRequest, type: str = "", start: dt.date | None = None,
                    end: dt.date | None = None, organiser: str = "", status: str = "",
                    q: str = "") -> Rows:
    a = actor(request)
    qs = selectors.activity_list(a, type_code=type, start=start, end=end, organiser=organiser,
                                 status=status, q=q).prefetch_related("units")
    return Rows(qs, ActivityOut.of)


@router.post("/", response={201: ActivityOut})
def create_activity(request: HttpRequest, data: ActivityIn) -> tuple[int, dict[str, Any]]:
    a = actor(request)
    require(permissions.can_manage_activities(a))
    assert a.committee is not None
    activity = services.activity_create(
        actor=a, committee=a.committee, type=_type(a, data.type), title=data.title,
        start=data.start, end=data.end, topic=data.topic, place=data.place,
        organiser=data.organiser,
        special_committee=_opt(a, SpecialCommittee, data.special_committee_id),
        group=_opt(a, ActivityGroup, data.group_id), lead=_opt(a, Member, data.lead_id),
        description=data.description, minutes=data.minutes, details=data.details,
        units=list(scoped(a, HandlingUnit).filter(pk__in=data.unit_ids)),
        materials=list(scoped(a, LearningMaterial).filter(pk__in=data.material_ids)))
    return 201, ActivityOut.of(activity)


@router.get("/counts", response=CountsOut)
def counts(request: HttpRequest, start: dt.date, end: dt.date) -> dict[str, Any]:
    a = actor(request)
    if not permissions.can_view_all(a) or a.committee is None:
        raise ApiError("forbidden", "您无权查看统计。", 403)
    cov = selectors.learning_coverage(a.committee, start, end)
    return {"by_type": selectors.count_by_type(a.committee, start, end),
            "suggestions_by_type": selectors.suggestions_by_type(a.committee, start, end),
            "counterpart_departments": selectors.counterpart_departments(a.committee, start,
                                                                         end),
            "learning_reached": cov.reached, "learning_total": cov.total}


@router.get("/{int:pk}", response=ActivityOut)
def get_activity(request: HttpRequest, pk: int) -> dict[str, Any]:
    return ActivityOut.of(_visible(request, pk))


@router.patch("/{int:pk}", response=ActivityOut)
def patch_activity(request: HttpRequest, pk: int, data: ActivityPatch) -> dict[str, Any]:
    a = actor(request)
    activity = get_scoped_or_404(a, Activity, pk=pk)
    fields = data.model_dump(exclude_unset=True)
    unit_ids = fields.pop("unit_ids", None)
    units = list(scoped(a, HandlingUnit).filter(pk__in=unit_ids)) if unit_ids is not None \
        else None
    return ActivityOut.of(services.activity_update(actor=a, activity=activity, units=units,
                                                   **fields))


@router.post("/{int:pk}/status", response=ActivityOut)
def set_status(request: HttpRequest, pk: int, data: StatusIn) -> dict[str, Any]:
    a = actor(request)
    activity = get_scoped_or_404(a, Activity, pk=pk)
    return ActivityOut.of(services.activity_set_status(actor=a, activity=activity,
                                                       status=data.status))


# --- invitations, attendance, QR -----------------------------------------------------------


@router.post("/{int:pk}/invitations", response=Done)
def invite(request: HttpRequest, pk: int, data: InviteIn) -> dict[str, Any]:
    a = actor(request)
    activity = get_scoped_or_404(a, Activity, pk=pk)
    rows = services.invitations_send(
        actor=a, activity=activity, members=list(scoped(a, Member).filter(pk__in=data.member_ids)),
        sector_ids=data.sector_ids, special_committee_ids=data.special_committee_ids,
        group_ids=data.group_ids, everyone=data.everyone)
    return {"ok": True, "count": len(rows)}


@router.get("/{int:pk}/invitations", response={200: list[InvitationOut], **ERRORS})
@paged
def list_invitations(request: HttpRequest, pk: int) -> Rows:
    a = actor(request)
    activity = _visible(request, pk)
    qs = activity.invitations.select_related("member")
    if not permissions.can_view_all(a):
        qs = qs.filter(member_id=a.member_id or 0)
    return Rows(qs, lambda i: InvitationOut.of(i, workflow.INVITATION.allowed_names(a, i)))


@router.get("/my/invitations", response={200: list[InvitationOut], **ERRORS})
@paged
def my_invitations(request: HttpRequest) -> Rows:
    """The caller's invitations, the latest activity first."""
    a = actor(request)
    return Rows(selectors.my_invitations(a).select_related("member"),
                lambda i: InvitationOut.of(i, workflow.INVITATION.allowed_names(a, i)))


def _invitation(request: HttpRequest, pk: int) -> Invitation:
    return get_scoped_or_404(actor(request), scoped(actor(request), Invitation).select_related(
        "activity", "member"), pk=pk)


step_routes(router, workflow.INVITATION, path="/invitations/{int:pk}/actions",
            fetch=_invitation,
            out=lambda request, inv: InvitationOut.of(
                inv, workflow.INVITATION.allowed_names(actor(request), inv)),
            response=InvitationOut)


@router.post("/invitations/{int:pk}/attendance", response=InvitationOut)
def record_attendance(request: HttpRequest, pk: int, data: AttendanceIn) -> dict[str, Any]:
    a = actor(request)
    inv = services.attendance_record(actor=a, invitation=_invitation(request, pk),
                                     attendance=data.attendance)
    return InvitationOut.of(inv, workflow.INVITATION.allowed_names(a, inv))


@router.post("/{int:pk}/qr", response=QrOut)
def open_qr(request: HttpRequest, pk: int) -> dict[str, Any]:
    a = actor(request)
    window, token = services.qr_window_open(actor=a,
                                            activity=get_scoped_or_404(a, Activity, pk=pk))
    return {"token": token, "expires_at": window.expires_at,
            "url": request.build_absolute_uri(reverse("activities:qr-sign-in", args=[token]))}


@router.post("/sign-in", response=InvitationOut)
def qr_sign_in(request: HttpRequest, data: QrTokenIn) -> dict[str, Any]:
    a = actor(request)
    try:
        inv = services.qr_sign_in(actor=a, token=data.token)
    except services.QrRefused as exc:
        raise ApiError(exc.reason, exc.messages[0], 403) from exc
    return InvitationOut.of(inv, [])


# --- speeches and the ledger ---------------------------------------------------------------


@router.post("/{int:pk}/speeches", response={201: SpeechOut})
def submit_speech(request: HttpRequest, pk: int, data: SpeechIn) -> tuple[int, Speech]:
    a = actor(request)
    speech = services.speech_submit(actor=a, activity=_visible(request, pk), title=data.title,
                                    text=data.text)
    return 201, speech


@router.post("/{int:pk}/suggestions", response={201: SuggestionOut})
def record_suggestion(request: HttpRequest, pk: int,
                      data: SuggestionIn) -> tuple[int, dict[str, Any]]:
    from xieshang.activities.models import ActivityFile

    a = actor(request)
    s = services.suggestion_record(
        actor=a, activity=get_scoped_or_404(a, Activity, pk=pk), text=data.text,
        recipient_unit=_opt(a, HandlingUnit, data.recipient_unit_id),
        recipient_body=data.recipient_body, document=_opt(a, ActivityFile, data.document_id))
    return 201, _suggestion_out(s)


@router.get("/ledger", response={200: list[SuggestionOut], **ERRORS})
@paged
def list_ledger(request: HttpRequest, status: str = "", overdue: bool = False,
                type: str = "") -> Rows:
    a = actor(request)
    if not permissions.can_view_ledger(a):
        raise ApiError("forbidden", "您无权查看意见建议台账。", 403)
    qs = selectors.ledger(a, status=status, overdue=overdue, type_code=type)
    return Rows(qs, _suggestion_out)


def _suggestion(request: HttpRequest, pk: int) -> Suggestion:
    a = actor(request)
    return get_scoped_or_404(a, scoped(a, Suggestion).select_related("activity__committee"),
                             pk=pk)


@router.post("/suggestions/{int:pk}/follow-up", response={200: SuggestionOut, **ERRORS})
def suggestion_follow_up(request: HttpRequest, pk: int, data: FollowUpIn) -> dict[str, Any]:
    return _suggestion_out(services.suggestion_follow_up(
        actor=actor(request), suggestion=_suggestion(request, pk), follow_up=data.follow_up))


@router.post("/suggestions/{int:pk}/remind", response={200: SuggestionOut, **ERRORS})
def suggestion_remind(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _suggestion_out(services.suggestion_remind(actor=actor(request),
                                                      suggestion=_suggestion(request, pk)))


# Last: its hidden catch-all answers 404 for any other name under /suggestions/{id}/.
step_routes(router, workflow.SUGGESTION, path="/suggestions/{int:pk}", fetch=_suggestion,
            out=lambda request, s: _suggestion_out(s), response=SuggestionOut)


# --- plan ----------------------------------------------------------------------------------


def _plan_out(a: Any, plan: AnnualPlan) -> dict[str, Any]:
    progress = selectors.plan_with_progress(a, plan)
    return {"id": plan.pk, "year": plan.year, "title": plan.title, "status": plan.status,
            "approved_on": plan.approved_on, "done": progress["done"],
            "pending": progress["pending"], "moved": progress["moved"],
            "items": [{"id": i.pk, "type": i.type.code, "topic": i.topic,
                       "planned_month": i.planned_month, "status": i.status,
                       "activity_id": i.activity_id, "moved_note": i.moved_note}
                      for i in progress["items"]]}


@router.get("/plans/{int:year}", response=PlanOut)
def get_plan(request: HttpRequest, year: int) -> dict[str, Any]:
    a = actor(request)
    if not permissions.can_view_all(a):
        raise ApiError("forbidden", "您无权查看年度计划。", 403)
    return _plan_out(a, get_scoped_or_404(a, AnnualPlan, year=year))


@router.post("/plans", response={201: PlanOut})
def create_plan(request: HttpRequest, data: PlanIn) -> tuple[int, dict[str, Any]]:
    a = actor(request)
    require(permissions.can_manage_plan(a))
    assert a.committee is not None
    return 201, _plan_out(a, services.plan_create(actor=a, committee=a.committee,
                                                  year=data.year, title=data.title))


@router.post("/plans/{int:pk}/items", response={201: PlanItemOut})
def add_plan_item(request: HttpRequest, pk: int, data: PlanItemIn) -> tuple[int, dict[str, Any]]:
    a = actor(request)
    item = services.plan_item_add(
        actor=a, plan=get_scoped_or_404(a, AnnualPlan, pk=pk), type=_type(a, data.type),
        topic=data.topic, planned_month=data.planned_month,
        lead_special_committee=_opt(a, SpecialCommittee, data.lead_special_committee_id),
        lead=_opt(a, Member, data.lead_id),
        units=list(scoped(a, HandlingUnit).filter(pk__in=data.unit_ids)))
    return 201, {"id": item.pk, "type": item.type.code, "topic": item.topic,
                 "planned_month": item.planned_month, "status": item.status,
                 "activity_id": item.activity_id, "moved_note": item.moved_note}


@router.post("/plans/{int:pk}/approve", response=PlanOut)
def approve_plan(request: HttpRequest, pk: int, data: ApproveIn) -> dict[str, Any]:
    a = actor(request)
    plan = services.plan_approve(actor=a, plan=get_scoped_or_404(a, AnnualPlan, pk=pk),
                                 approved_on=data.approved_on,
                                 meeting=_opt(a, Activity, data.meeting_id))
    return _plan_out(a, plan)


@router.post("/plan-items/{int:pk}/link", response=Done)
def link_plan_item(request: HttpRequest, pk: int, data: LinkIn) -> dict[str, Any]:
    a = actor(request)
    services.plan_item_link(actor=a, item=get_scoped_or_404(a, PlanItem, pk=pk),
                            activity=get_scoped_or_404(a, Activity, pk=data.activity_id))
    return {"ok": True, "count": 1}


@router.post("/plan-items/{int:pk}/move", response=Done)
def move_plan_item(request: HttpRequest, pk: int, data: MoveIn) -> dict[str, Any]:
    a = actor(request)
    services.plan_item_move(actor=a, item=get_scoped_or_404(a, PlanItem, pk=pk),
                            to_month=data.to_month, note=data.note)
    return {"ok": True, "count": 1}


# --- learning ------------------------------------------------------------------------------


@router.get("/materials", response={200: list[MaterialOut], **ERRORS})
@paged
def list_materials(request: HttpRequest) -> QuerySet[LearningMaterial]:
    a = actor(request)
    if not permissions.can_read_materials(a):
        raise ApiError("forbidden", _("You may not read learning materials."), 403)
    return selectors.materials_for(a)


@router.post("/materials", response={201: MaterialOut})
def create_material(request: HttpRequest, data: MaterialIn) -> tuple[int, LearningMaterial]:
    a = actor(request)
    require(permissions.can_manage_activities(a))
    assert a.committee is not None
    return 201, services.material_create(actor=a, committee=a.committee, title=data.title,
                                         url=data.url, text=data.text, audience=data.audience)


@router.post("/materials/{int:pk}/open", response=OpenOut)
def open_material(request: HttpRequest, pk: int) -> dict[str, Any]:
    """Record that you opened a material; the token it returns is what ``/read`` credits
    reading time against (once, at most the time since this opening)."""
    a = actor(request)
    material = get_scoped_or_404(a, selectors.visible_materials(a), pk=pk)
    services.reading_record(actor=a, material=material)
    assert a.member_id is not None
    return {"material_id": material.pk, "token": reading.token_for(material.pk, a.member_id)}


@router.post("/materials/{int:pk}/read", response=ReadOut)
def read_material(request: HttpRequest, pk: int, data: ReadIn) -> dict[str, Any]:
    """Report reading time against the token of ``/open`` (``seconds``: what you read; left
    out, all the time since opening) and/or mark the material as read."""
    a = actor(request)
    material = get_scoped_or_404(a, selectors.visible_materials(a), pk=pk)
    row = services.reading_report(actor=a, material=material, token=data.token,
                                  seconds=data.seconds, marked_read=data.marked_read)
    return {"material_id": material.pk, "seconds": row.seconds if row else 0,
            "marked_read": bool(row and row.marked_read)}
