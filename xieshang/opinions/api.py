"""JSON API of the opinions app, mounted at /api/v1/opinions/: every action the pages offer.

No ``from __future__ import annotations`` here: ninja reads the annotations of the ``@paged``
operations at import time (docs/api.md)."""

import datetime as dt
from typing import TYPE_CHECKING, Annotated, NoReturn

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.params import functions as params

from xieshang.core.apiutils import (
    ERRORS,
    RATE_LIMITED,
    ApiError,
    ErrorOut,
    Rows,
    actor,
    binary_response,
    paged,
)
from xieshang.core.lazy import lazy_import
from xieshang.core.permissions import Actor
from xieshang.core.tenancy import get_scoped_or_404, scoped
from xieshang.core.workflow_api import step_routes
from xieshang.opinions import permissions, selectors, services, workflow
from xieshang.opinions.models import (
    Bulletin,
    Correspondent,
    OpinionOutcome,
    OpinionReport,
    Topic,
)

if TYPE_CHECKING:
    from xieshang.opinions import documents
else:  # python-docx and reportlab are loaded with the first document
    documents = lazy_import("xieshang.opinions.documents")

router = Router(tags=["opinions"])


def _actor(request: HttpRequest) -> Actor:
    """As pages do: an invited correspondent (no core role) acts in their committee."""
    a = actor(request)
    if a.committee is None and a.user is not None:
        corr = selectors.correspondent_for_user(a.user)
        if corr is not None:
            return Actor(user=a.user, committee=corr.committee, ip=a.ip)
    return a


def _report(a: Actor, pk: int) -> OpinionReport:
    return get_scoped_or_404(a, selectors.visible(a).select_related("committee"), pk=pk)


class ReportIn(Schema):
    title: str
    category: str = "other"
    situation: str = ""
    analysis: str = ""
    suggestion: str = ""
    body: str = ""
    as_body: int | None = None


class EditIn(ReportIn):
    version: int
    note: str = ""


class ReportOut(Schema):
    id: int
    committee: str
    title: str
    category: str
    status: str
    version: int
    author_name: str
    situation: str
    analysis: str
    suggestion: str
    body: str
    origin_id: int | None
    root_id: int | None
    source_proposal_id: int | None = None  # 提案转社情民意: the proposal it was converted from
    submitted_at: dt.datetime
    actions: list[workflow.REPORT.Action]  # type: ignore[name-defined]


class OutcomeIn(Schema):
    kind: str
    date: dt.date | None = None
    bulletin_id: int | None = None
    publication: str = ""
    person: str = ""
    person_level: str = ""
    text: str = ""
    department: str = ""
    reply: str = ""
    instruction_id: int | None = None


class OutcomeOut(Schema):
    id: int
    committee: str
    level: str
    kind: str
    date: dt.date
    publication: str
    person: str
    person_level: str
    text: str
    department: str
    reply: str


class VersionOut(Schema):
    number: int
    title: str
    editor_name: str
    created_at: dt.datetime
    note: str


class DiffOut(Schema):
    a: int
    b: int
    segments: list[tuple[str, str]]


class BulletinIn(Schema):
    kind: str
    report_ids: list[Annotated[int, Field(ge=1, le=2**62)]]
    recipients: str | None = None


class BulletinOut(Schema):
    id: int
    year: int
    number: int
    label: str
    kind: str
    status: str
    report_ids: list[int]


class CorrespondentIn(Schema):
    user_id: int
    name: str
    organisation: str = ""


class CorrespondentOut(Schema):
    id: int
    name: str
    organisation: str
    is_active: bool


class TopicOut(Schema):
    id: int
    title: str
    description: str
    place: str
    status: str
    version: int
    decline_reason: str
    consultation_note: str
    result: str
    merged_into_id: int | None
    consultation_id: int | None = Field(None, description="the activity (grassroots "
                                                          "consultation) held on the topic")


class AttachmentOut(Schema):
    id: int
    name: str
    size: int = Field(..., description="Bytes.")


class TopicRaisedOut(Schema):
    tracking_code: str = Field(..., description="Give it to the public page to follow the topic.")
    status: str


class QuotaOut(Schema):
    member_id: int
    name: str
    quota: int
    submitted: int
    adopted: int
    met: bool


def _out(a: Actor, r: OpinionReport) -> dict[str, object]:
    return {**{f: getattr(r, f) for f in (
        "id", "title", "category", "status", "version", "author_name", "situation", "analysis",
        "suggestion", "body", "origin_id", "root_id", "source_proposal_id", "submitted_at")},
        "committee": r.committee.code,
        "actions": workflow.REPORT.allowed_names(a, r)}


def _outcome_out(o: OpinionOutcome) -> dict[str, object]:
    return {**{f: getattr(o, f) for f in ("id", "level", "kind", "date", "publication", "person",
                                          "person_level", "text", "department", "reply")},
            "committee": o.committee.name}


def _bulletin_out(b: Bulletin) -> dict[str, object]:
    return {"id": b.pk, "year": b.year, "number": b.number, "label": b.label, "kind": b.kind,
            "status": b.status,
            "report_ids": list(b.items.order_by("order").values_list("report_id", flat=True))}


# --- reports ----------------------------------------------------------------------------

@router.get("/reports", response={200: list[ReportOut], **ERRORS})
@paged
def list_reports(request: HttpRequest, q: str = "", status: str = "", category: str = "",
                 author: str = "", level: str = "", mine: bool = False) -> Rows:
    """Reports the caller may handle (staff), or the caller's own with ``mine=true``."""
    a = _actor(request)
    if mine:
        qs = selectors.my_reports(a)
    else:
        if not permissions.can_list_reports(a):
            raise PermissionDenied
        qs = selectors.report_list(a, selectors.ReportFilters(
            q=q, status=status, category=category, author=author, level=level))
    return Rows(qs, lambda r: _out(a, r))


@router.post("/reports", response={201: ReportOut})
def submit_report(request: HttpRequest, payload: ReportIn) -> tuple[int, dict[str, object]]:
    a = _actor(request)
    report = services.report_submit(actor=a, **payload.dict())
    return 201, _out(a, report)


@router.get("/reports/{pk}", response=ReportOut)
def get_report(request: HttpRequest, pk: int) -> dict[str, object]:
    a = _actor(request)
    return _out(a, _report(a, pk))


@router.put("/reports/{pk}", response=ReportOut)
def edit_report(request: HttpRequest, pk: int, payload: EditIn) -> dict[str, object]:
    a = _actor(request)
    data = payload.dict()
    data.pop("as_body", None)
    version = data.pop("version")
    report = services.report_edit(actor=a, report=_report(a, pk), expected_version=version,
                                  **data)
    return _out(a, report)


@router.post("/reports/{pk}/attachments", response={200: AttachmentOut, **ERRORS})
def attach(request: HttpRequest, pk: int,
           file: File[UploadedFile]) -> dict[str, object]:  # noqa: B008
    """Attach a file (PDF, Word or an image, as multipart ``file``) to a report."""
    a = _actor(request)
    row = services.attachment_add(actor=a, report=_report(a, pk), upload=file)
    return {"id": row.pk, "name": row.name, "size": row.size}


step_routes(router, workflow.REPORT, path="/reports/{int:pk}/actions",
            fetch=lambda request, pk: _report(_actor(request), pk),
            out=lambda request, r: _out(_actor(request), r), response=ReportOut, acting=_actor)


@router.get("/reports/{pk}/versions", response={200: list[VersionOut], **ERRORS})
@paged
def versions(request: HttpRequest, pk: int) -> list[object]:
    a = _actor(request)
    return list(selectors.versions_of(_report(a, pk)))


@router.get("/reports/{pk}/diff", response=DiffOut)
def diff(request: HttpRequest, pk: int, a: int = 1, b: int = 2) -> dict[str, object]:
    act = _actor(request)
    report = _report(act, pk)
    try:
        _va, _vb, segments = selectors.version_diff(report, a, b)
    except report.versions.model.DoesNotExist as exc:
        raise Http404(_("Not found.")) from exc
    return {"a": a, "b": b, "segments": segments}


@router.get("/reports/{pk}/outcomes", response={200: list[OutcomeOut], **ERRORS})
@paged
def outcomes(request: HttpRequest, pk: int) -> list[dict[str, object]]:
    a = _actor(request)
    return [_outcome_out(o) for o in selectors.outcomes_visible_on(_report(a, pk))]


@router.post("/reports/{pk}/outcomes", response={201: OutcomeOut})
def record_outcome(request: HttpRequest, pk: int,
                   payload: OutcomeIn) -> tuple[int, dict[str, object]]:
    a = _actor(request)
    report = _report(a, pk)
    data = payload.dict()
    bulletin_id, instruction_id = data.pop("bulletin_id"), data.pop("instruction_id")
    bulletin = get_scoped_or_404(a, Bulletin, pk=bulletin_id) if bulletin_id else None
    instruction = (get_scoped_or_404(a, OpinionOutcome, pk=instruction_id)
                   if instruction_id else None)
    outcome = services.outcome_record(actor=a, report=report, bulletin=bulletin,
                                      instruction=instruction, **data)
    return 201, _outcome_out(outcome)


# --- bulletins ----------------------------------------------------------------------------

@router.get("/bulletins", response={200: list[BulletinOut], **ERRORS})
@paged
def list_bulletins(request: HttpRequest) -> Rows:
    a = _actor(request)
    if not permissions.can_view_bulletins(a):
        raise PermissionDenied
    return Rows(selectors.bulletin_list(a), _bulletin_out)


@router.post("/bulletins", response={201: BulletinOut})
def create_bulletin(request: HttpRequest, payload: BulletinIn) -> tuple[int, dict[str, object]]:
    a = _actor(request)
    reports = list(scoped(a, OpinionReport).filter(pk__in=payload.report_ids))
    if len(reports) != len(set(payload.report_ids)):
        raise Http404(_("Not found."))
    order = {pk: i for i, pk in enumerate(payload.report_ids)}
    reports.sort(key=lambda r: order[r.pk])
    bulletin = services.bulletin_create(actor=a, kind=payload.kind, reports=reports,
                                        recipients=payload.recipients)
    return 201, _bulletin_out(bulletin)


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@router.get("/bulletins/{pk}/docx", response=ERRORS,
            openapi_extra=binary_response(DOCX, "The bulletin as a Word document."))
def bulletin_docx(request: HttpRequest, pk: int) -> HttpResponse:
    a = _actor(request)
    if not permissions.can_view_bulletins(a):
        raise PermissionDenied
    bulletin = get_scoped_or_404(a, selectors.visible_bulletins(a).select_related("committee"),
                                 pk=pk)
    data = documents.bulletin_docx(bulletin, selectors.bulletin_reports(bulletin))
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = (
        f'attachment; filename="bulletin-{bulletin.year}-{bulletin.number}.docx"')
    return response


@router.post("/bulletins/{pk}/publish", response={200: BulletinOut, **ERRORS})
def bulletin_publish(request: HttpRequest, pk: int) -> dict[str, object]:
    """Publish the bulletin: every report in it is published (and its author told)."""
    a = _actor(request)
    bulletin = get_scoped_or_404(a, Bulletin, pk=pk)
    return _bulletin_out(services.bulletin_publish(actor=a, bulletin=bulletin))


@router.post("/bulletins/{pk}/send", response={200: BulletinOut, **ERRORS})
def bulletin_send(request: HttpRequest, pk: int) -> dict[str, object]:
    """Send the published bulletin to its recipients."""
    a = _actor(request)
    bulletin = get_scoped_or_404(a, Bulletin, pk=pk)
    return _bulletin_out(services.bulletin_send(actor=a, bulletin=bulletin))


@router.post("/bulletins/{pk}/{action}", response={404: ErrorOut}, include_in_schema=False)
def bulletin_unknown_action(request: HttpRequest, pk: int, action: str) -> NoReturn:
    get_scoped_or_404(_actor(request), Bulletin, pk=pk)
    raise ApiError("not_found", _("Unknown action."), 404)


# --- quotas and correspondents ---------------------------------------------------------------

@router.get("/quota", response={200: list[QuotaOut], **ERRORS})
@paged
def quota(request: HttpRequest,
          year: int | None = params.Query(None, ge=2000, le=2100)) -> list[dict[str, object]]:
    a = _actor(request)
    if not permissions.can_view_quota(a):
        raise PermissionDenied
    return [{"member_id": r.member.pk, "name": r.member.name, "quota": r.quota,
             "submitted": r.submitted, "adopted": r.adopted, "met": r.met}
            for r in selectors.quota_progress(a, year)]


@router.get("/correspondents", response={200: list[CorrespondentOut], **ERRORS})
@paged
def list_correspondents(request: HttpRequest) -> QuerySet[Correspondent]:
    a = _actor(request)
    if not permissions.can_manage_correspondents(a):
        raise PermissionDenied
    return scoped(a, Correspondent)


@router.post("/correspondents", response={201: CorrespondentOut})
def create_correspondent(request: HttpRequest,
                         payload: CorrespondentIn) -> tuple[int, Correspondent]:
    from xieshang.core.models import User

    a = _actor(request)
    if not permissions.can_manage_correspondents(a):
        raise PermissionDenied
    user = User.objects.filter(pk=payload.user_id, is_active=True).first()
    if user is None:
        raise Http404(_("Not found."))
    return 201, services.correspondent_create(actor=a, user=user, name=payload.name,
                                              organisation=payload.organisation)


# --- topics -------------------------------------------------------------------------------

@router.get("/topics", response={200: list[TopicOut], **ERRORS})
@paged
def list_topics(request: HttpRequest, status: str = "", q: str = "") -> QuerySet[Topic]:
    a = _actor(request)
    if not permissions.can_screen_topics(a):
        raise PermissionDenied
    return selectors.topic_list(a, status=status, q=q)


def _topic(a: Actor, pk: int) -> Topic:
    if not permissions.can_screen_topics(a):
        raise PermissionDenied
    return get_scoped_or_404(a, Topic, pk=pk)


step_routes(router, workflow.TOPIC, path="/topics/{int:pk}/actions",
            fetch=lambda request, pk: _topic(_actor(request), pk),
            out=lambda request, topic: topic, response=TopicOut, acting=_actor)


class PublicTopicIn(Schema):
    title: str
    description: str
    name: str
    phone: str
    place: str = ""
    website: str | None = Field(None, description="Leave it empty, but send it: a form that "
                                "leaves it out, or fills it in, is refused (a bot check).")


@router.post("/public/{code}/topics", auth=None,
             response={201: TopicRaisedOut, **ERRORS, **RATE_LIMITED})
def public_raise_topic(request: HttpRequest, code: str,
                       payload: PublicTopicIn) -> tuple[int, dict[str, str]]:
    from django.core.exceptions import ValidationError

    from xieshang.core.middleware import client_ip
    from xieshang.core.selectors import public_committee

    committee = public_committee(code)
    if payload.website is None or payload.website:  # the honeypot: sent, and empty
        raise ApiError("rejected", _("Your submission could not be accepted."), 400)
    try:
        topic = services.topic_raise(committee=committee, title=payload.title,
                                     description=payload.description, name=payload.name,
                                     phone=payload.phone, place=payload.place,
                                     ip=client_ip(request))
    except ValidationError as exc:
        if getattr(exc, "code", None) == "rate_limited":
            raise ApiError("rate_limited", exc.messages[0], 429) from exc
        raise
    return 201, {"tracking_code": topic.tracking_code, "status": topic.status}


@router.get("/public/{code}/topics/{tracking}", auth=None, response={200: TopicOut, **ERRORS})
def public_track_topic(request: HttpRequest, code: str, tracking: str) -> Topic:
    from xieshang.core.selectors import public_committee

    topic = selectors.topic_by_code(public_committee(code), tracking)
    if topic is None:
        raise Http404(_("Not found."))
    return topic


__all__ = ["router", "File", "Form"]
