"""JSON API of the duties app: records and scores, the ranking, warnings, yearly self-reports.

The same rules as the pages: a member reads their own record and self-reports; staff, leaders
and admins read every record; the ranking follows the ``duty_rankings_public`` policy; staff of
the committee (office, special committees) and admins read and decide self-reports.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.params import functions as params

from xieshang.core import clock
from xieshang.core.apiutils import ERRORS, ApiError, actor, paged
from xieshang.core.models import Role
from xieshang.core.permissions import Actor
from xieshang.core.tenancy import get_scoped_or_404
from xieshang.core.workflow_api import step_routes
from xieshang.duties import permissions, selectors, services, workflow
from xieshang.duties.models import DutyWarning, ManualItem, Score, SelfReport
from xieshang.members import selectors as member_selectors
from xieshang.members.models import Member

router = Router(tags=["duties"])

Year = params.Query(None, ge=2000, le=2100, description="Defaults to the current year.")


def _year(year: int | None) -> int:
    return year if year is not None else clock.today().year


# --- schemas -------------------------------------------------------------------------------


class LineOut(Schema):
    date: dt.date
    kind: str
    rule: str
    label: str
    points: float
    capped: bool
    ref_type: str
    ref_id: str


class FactOut(Schema):
    date: dt.date
    kind: str
    label: str
    ref_type: str
    ref_id: str


class RecordOut(Schema):
    member_id: int
    member: str
    sector: str
    year: int
    score: float | None
    band: str
    lines: list[LineOut]
    facts: list[FactOut]


class RankOut(Schema):
    rank: int
    member_id: int
    member: str
    sector: str
    score: float
    band: str

    @staticmethod
    def resolve_member(obj: Any) -> str:
        return str(obj.member.name)

    @staticmethod
    def resolve_sector(obj: Any) -> str:
        return obj.member.sector.name if obj.member.sector else ""

    @staticmethod
    def resolve_score(obj: Any) -> float:
        return float(obj.total)


class WarningOut(Schema):
    id: int
    member_id: int
    member: str
    rule: str
    message: str
    period: str
    count: int
    raised_at: dt.datetime

    @staticmethod
    def resolve_member(obj: Any) -> str:
        return str(obj.member.name)

    @staticmethod
    def resolve_rule(obj: Any) -> str:
        return str(obj.rule.name)

    @staticmethod
    def resolve_message(obj: Any) -> str:
        return str(obj.rule.message)

    @staticmethod
    def resolve_period(obj: Any) -> str:
        return str(obj.period_label)


class RecordCountOut(Schema):
    label: str
    count: int


class SelfReportFiguresOut(Schema):
    """The duty record's figures as they were when the report was submitted."""

    year: int
    counts: list[RecordCountOut]
    score: str | None = Field(..., description="The score, a decimal as text; null: none yet.")
    band: str


class SelfReportOut(Schema):
    id: int
    member_id: int
    member: str
    year: int
    status: str
    status_label: str
    overview: str
    achievements: str
    shortcomings: str
    plans: str
    figures: SelfReportFiguresOut | None = Field(..., description="null until submitted.")
    submitted_at: dt.datetime | None
    return_note: str
    version: int
    actions: list[workflow.SELF_REPORT.Action]  # type: ignore[name-defined]

    @staticmethod
    def of(report: SelfReport, allowed: list[str]) -> dict[str, Any]:
        return {"id": report.pk, "member_id": report.member_id, "member": report.member.name,
                "year": report.year, "status": report.status,
                "status_label": str(report.get_status_display()),
                "overview": report.overview, "achievements": report.achievements,
                "shortcomings": report.shortcomings, "plans": report.plans,
                "figures": report.figures or None, "submitted_at": report.submitted_at,
                "return_note": report.return_note, "version": report.version,
                "actions": allowed}


class SelfReportIn(Schema):
    overview: str = Field("", max_length=20_000)
    achievements: str = Field("", max_length=20_000)
    shortcomings: str = Field("", max_length=20_000)
    plans: str = Field("", max_length=20_000)
    submit: bool = False


def _report_out(a: Actor, report: SelfReport) -> dict[str, Any]:
    return SelfReportOut.of(report, workflow.SELF_REPORT.allowed_names(a, report))


class MissingReportOut(Schema):
    member_id: int
    member: str
    sector: str
    status: str = Field(..., description="The status of the member's unsubmitted report "
                                         "(draft, returned), or empty when there is none.")


class CollectionOut(Schema):
    year: int
    submitted: list[SelfReportOut]
    missing: list[MissingReportOut]


class RemindOut(Schema):
    reminded: int


# --- records, ranking, warnings ------------------------------------------------------------


@router.get("/record", response={200: RecordOut, **ERRORS})
def record(request: HttpRequest, member_id: int | None = None, year: int | None = Year
           ) -> dict[str, Any]:
    """A member's record and score for a year (your own when ``member_id`` is left out)."""
    a = actor(request)
    if member_id is None:
        if a.member_id is None:
            raise ApiError("no_member", _("Your account is not tied to a member record."), 404)
        member_id = a.member_id
    member = get_scoped_or_404(a, member_selectors.visible(a), pk=member_id)
    y = _year(year)
    score = selectors.score_of(a, member, y)
    return {
        "member_id": member.pk, "member": member.name,
        "sector": member.sector.name if member.sector else "", "year": y,
        "score": None if score is None else float(score.total),
        "band": score.band if score else "",
        "lines": [{"date": line.date, "kind": line.kind,
                   "rule": line.rule.label if line.rule else "", "label": line.label,
                   "points": float(line.points), "capped": line.capped,
                   "ref_type": line.ref_type, "ref_id": line.ref_id}
                  for line in selectors.lines_of(a, member, y)],
        "facts": [{"date": f.date, "kind": f.kind, "label": f.label, "ref_type": f.ref_type,
                   "ref_id": f.ref_id} for f in selectors.record_facts(member, y)],
    }


@router.get("/ranking", response={200: list[RankOut], **ERRORS})
@paged
def ranking(request: HttpRequest, year: int | None = Year, sector_id: int | None = None
            ) -> QuerySet[Score]:
    """The committee's ranking (staff, leaders, admins; members when the committee publishes it)."""
    a = actor(request)
    if not permissions.can_view_all(a):
        raise PermissionDenied
    rows = selectors.ranking(a, _year(year), sector="" if sector_id is None else str(sector_id))
    return rows.annotate(rank=Window(RowNumber(), order_by=[F("total").desc(),
                                                            F("member__name").asc()]))


@router.get("/warnings", response={200: list[WarningOut], **ERRORS})
@paged
def warnings(request: HttpRequest) -> QuerySet[DutyWarning]:
    """Open warnings: all of them for staff, leaders and admins; a member's own for a member."""
    a = actor(request)
    qs = selectors.open_warnings(a)
    if not (a.is_staff or a.has(Role.LEADER, Role.ADMIN)):
        # Published rankings show scores, never other members' warnings.
        if a.member_id is None:
            raise PermissionDenied
        qs = qs.filter(member_id=a.member_id)
    return qs


# --- yearly self-reports -------------------------------------------------------------------


@router.get("/self-reports", response={200: CollectionOut, **ERRORS})
def self_reports(request: HttpRequest, year: int | None = Year) -> dict[str, Any]:
    """Staff: the year's submitted reports and who has not submitted. A member: their own."""
    a = actor(request)
    y = _year(year)
    if permissions.can_review_self_reports(a):
        done, missing = selectors.self_report_collection(a, y)
        return {"year": y,
                "submitted": [_report_out(a, r) for _m, r in done],
                "missing": [{"member_id": m.pk, "member": m.name,
                             "sector": m.sector.name if m.sector else "",
                             "status": r.status if r else ""} for m, r in missing]}
    if a.member_id is None:
        raise PermissionDenied
    own = selectors.self_reports(a, y).filter(member_id=a.member_id)
    return {"year": y, "submitted": [_report_out(a, r) for r in own], "missing": []}


@router.get("/self-reports/{report_id}", response={200: SelfReportOut, **ERRORS})
def self_report(request: HttpRequest, report_id: int) -> dict[str, Any]:
    a = actor(request)
    report = get_scoped_or_404(a, selectors.visible_self_reports(a), pk=report_id)
    return _report_out(a, report)


@router.put("/self-reports/mine/{year}", response={200: SelfReportOut, **ERRORS})
def self_report_save(request: HttpRequest, payload: SelfReportIn,
                     year: int = params.Path(..., ge=2000, le=2100)) -> dict[str, Any]:
    """Save your own report for ``year`` as a draft, or submit it with ``"submit": true``."""
    a = actor(request)
    if a.member_id is None:
        raise PermissionDenied
    member = get_scoped_or_404(a, Member, pk=a.member_id)
    with transaction.atomic():
        report = services.self_report_save(
            actor=a, member=member, year=year, overview=payload.overview,
            achievements=payload.achievements, shortcomings=payload.shortcomings,
            plans=payload.plans)
        if payload.submit:
            report = services.self_report_submit(actor=a, report=report, version=report.version)
    return _report_out(a, report)


def _self_report(request: HttpRequest, pk: int) -> SelfReport:
    a = actor(request)
    return get_scoped_or_404(a, selectors.visible_self_reports(a), pk=pk)


step_routes(router, workflow.SELF_REPORT, path="/self-reports/{int:pk}", fetch=_self_report,
            out=lambda request, r: _report_out(actor(request), r),
            response=SelfReportOut)


@router.post("/self-reports-remind/{year}", response={200: RemindOut, **ERRORS})
def self_reports_remind(request: HttpRequest,
                        year: int = params.Path(..., ge=2000, le=2100)) -> dict[str, int]:
    """Notify every member who has not submitted the year's self-report."""
    a = actor(request)
    if not permissions.can_review_self_reports(a) or a.committee is None:
        raise PermissionDenied
    return {"reminded": services.self_reports_remind(actor=a, committee=a.committee,
                                                     year=year)}



# --- items recorded by hand (其他履职事项) ---------------------------------------------------


class ManualItemOut(Schema):
    id: int
    member_id: int
    member: str
    date: dt.date
    kind: str
    kind_label: str
    description: str
    has_evidence: bool
    voided: bool
    void_reason: str

    @staticmethod
    def resolve_member(obj: Any) -> str:
        return str(obj.member.name)

    @staticmethod
    def resolve_kind(obj: Any) -> str:
        return str(obj.code)

    @staticmethod
    def resolve_has_evidence(obj: Any) -> bool:
        return bool(obj.evidence)

    @staticmethod
    def resolve_voided(obj: Any) -> bool:
        return obj.voided_at is not None


class ManualItemIn(Schema):
    member_id: int
    date: dt.date
    kind: ManualItem.Kind
    description: str = Field(..., min_length=1, max_length=300)


class ManualItemUpdateIn(Schema):
    date: dt.date
    kind: ManualItem.Kind
    description: str = Field(..., min_length=1, max_length=300)
    reason: str = Field(..., min_length=1, max_length=300)


class ManualItemVoidIn(Schema):
    reason: str = Field(..., min_length=1, max_length=300)


@router.get("/manual-items", response={200: list[ManualItemOut], **ERRORS})
@paged
def manual_items(request: HttpRequest, year: int | None = Year,
                 member_id: int | None = None) -> QuerySet[ManualItem]:
    """Items the office recorded by hand: the office sees the committee's, a member their own."""
    a = actor(request)
    if not (permissions.can_manage(a) or a.member_id is not None):
        raise PermissionDenied
    rows = selectors.manual_items_visible(a).filter(date__year=_year(year))
    if member_id is not None:
        rows = rows.filter(member_id=member_id)
    return rows.order_by("-date", "-id")


@router.post("/manual-items", response={201: ManualItemOut, **ERRORS})
def manual_item_create(request: HttpRequest, body: ManualItemIn) -> tuple[int, ManualItem]:
    a = actor(request)
    if not permissions.can_manage(a):
        raise PermissionDenied
    member = get_scoped_or_404(a, Member, pk=body.member_id)
    item = services.manual_item_add(actor=a, member=member, date=body.date, code=body.kind,
                                    description=body.description)
    return 201, item


@router.put("/manual-items/{item_id}", response={200: ManualItemOut, **ERRORS})
def manual_item_update(request: HttpRequest, item_id: int, body: ManualItemUpdateIn
                       ) -> ManualItem:
    a = actor(request)
    if not permissions.can_manage(a):
        raise PermissionDenied
    item = get_scoped_or_404(a, selectors.manual_items_visible(a), pk=item_id)
    return services.manual_item_update(actor=a, item=item, date=body.date, code=body.kind,
                                       description=body.description, reason=body.reason)


@router.post("/manual-items/{item_id}/void", response={200: ManualItemOut, **ERRORS})
def manual_item_void(request: HttpRequest, item_id: int, body: ManualItemVoidIn) -> ManualItem:
    a = actor(request)
    if not permissions.can_manage(a):
        raise PermissionDenied
    item = get_scoped_or_404(a, selectors.manual_items_visible(a), pk=item_id)
    return services.manual_item_void(actor=a, item=item, reason=body.reason)
