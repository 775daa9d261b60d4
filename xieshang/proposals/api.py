"""JSON API of proposals, mounted at /api/v1/proposals/. Same rules as the pages: every step of the
lifecycle is ``POST /{id}/actions/<step>`` with the step's own input schema (generated from
``workflow.PROPOSAL`` by ``core.workflow_api.step_routes``)."""


import datetime as dt
from enum import StrEnum
from typing import Any, cast

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from xieshang.core.apiutils import ERRORS, ApiError, actor, paged, pick
from xieshang.core.permissions import require
from xieshang.core.tenancy import scoped
from xieshang.core.workflow_api import step_routes
from xieshang.members.models import HandlingUnit
from xieshang.proposals import permissions, selectors, services
from xieshang.proposals.models import (
    ExcellentNomination,
    Proposal,
    ProposalCategory,
    ProposalCoProposer,
)
from xieshang.proposals.workflow import PROPOSAL

router = Router(tags=["proposals"])


class AssignmentOut(Schema):
    id: int
    unit_id: int
    unit: str
    role: str
    state: str
    due_date: str
    overdue: bool


class ProposalOut(Schema):
    id: int
    number: str
    title: str
    status: str
    status_label: str
    version: int
    kind: str
    proposer: str
    category: str | None
    session: str | None
    is_key: bool
    assignments: list[AssignmentOut]

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return obj["status_label"] if isinstance(obj, dict) else str(obj.get_status_display())

    @staticmethod
    def resolve_proposer(obj: Any) -> str:
        return str(obj["proposer"] if isinstance(obj, dict) else obj.proposer_name)

    @staticmethod
    def resolve_category(obj: Any) -> str | None:
        return cast("str | None",
                    obj["category"] if isinstance(obj, dict) else _out(obj)["category"])

    @staticmethod
    def resolve_session(obj: Any) -> str | None:
        return cast("str | None", obj["session"] if isinstance(obj, dict) else _out(obj)["session"])

    @staticmethod
    def resolve_assignments(obj: Any) -> list[dict[str, Any]]:
        return cast("list[dict[str, Any]]",
                    obj["assignments"] if isinstance(obj, dict) else _out(obj)["assignments"])


class CoSigning(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    DECLINED = "declined"


class CoProposerOut(Schema):
    member_id: int
    member: str
    state: CoSigning = Field(..., description="pending until the member confirms or declines.")
    due: dt.date | None = Field(..., description="Confirm by (set when the proposal is submitted).")
    answered_at: dt.datetime | None


class ProposalDetailOut(ProposalOut):
    body: str
    co_proposers: list[CoProposerOut]
    may_cosign: bool = Field(..., description="The caller may confirm or decline co-signing now "
                                              "(POST /{id}/cosign).")
    actions: list[PROPOSAL.Action]  # type: ignore[name-defined]


class CategoryOut(Schema):
    id: int
    name: str


class DraftIn(Schema):
    title: str = Field("", max_length=200)
    category_id: int | None = None
    body: str = Field("", max_length=20000)
    suggested_unit_ids: list[int] = []
    co_proposer_ids: list[int] = []
    consent_disclosure: bool = True
    nondisclosure_reason: str = Field("", max_length=200)


class CosignIn(Schema):
    accept: bool = True


class Filters(Schema):
    worklist: str = ""
    session: str = ""
    category: str = ""
    status: str = ""
    unit: str = ""
    proposer: str = ""
    sector: str = ""
    result_class: str = ""
    rating: str = ""
    q: str = ""


def _out(p: Proposal) -> dict[str, Any]:
    return {
        "id": p.pk, "number": p.number, "title": p.title, "status": p.status,
        "status_label": str(p.get_status_display()), "version": p.version, "kind": p.kind,
        "proposer": p.proposer_name, "category": str(p.category) if p.category_id else None,
        "session": p.session.label if p.session_id and p.session else None, "is_key": p.is_key,
        "assignments": [{"id": a.pk, "unit_id": a.unit_id, "unit": a.unit.name, "role": a.role,
                         "state": a.state, "due_date": a.due_date.isoformat(),
                         "overdue": a.is_overdue} for a in p.assignments.all()],
    }


def _detail(request: HttpRequest, pk: int) -> Proposal:
    return selectors.proposal_for_api(actor(request), pk)


def _co_proposer_out(row: ProposalCoProposer) -> dict[str, Any]:
    state = (CoSigning.PENDING if row.confirmed_at is None
             else CoSigning.DECLINED if row.declined else CoSigning.CONFIRMED)
    return {"member_id": row.member_id, "member": row.member.name, "state": state,
            "due": row.due, "answered_at": row.confirmed_at}


def _detail_out(request: HttpRequest, pk: int) -> dict[str, Any]:
    p = _detail(request, pk)
    who = actor(request)
    return {**_out(p), "body": p.body,
            "co_proposers": [_co_proposer_out(c) for c in p.co_proposers.all()],
            "may_cosign": permissions.can_cosign(who, p),
            "actions": PROPOSAL.allowed_names(who, p)}


@router.get("/", response={200: list[ProposalOut], **ERRORS})
@paged
def list_proposals(request: HttpRequest, filters: Query[Filters]) -> QuerySet[Proposal]:
    """Proposals visible to the caller; ``worklist`` is one of the worklist names."""
    who = actor(request)
    require(permissions.can_use_proposals(who))
    data = filters.dict()
    wl = data.pop("worklist") or None
    known = selectors.WORKLISTS.get(wl or "")
    if wl is not None and (known is None or not known.allowed(who)):
        raise ApiError("not_found", _("No such worklist."), 404)
    return selectors.proposal_list(who, wl, data)


@router.get("/{int:pk}", response={200: ProposalDetailOut, **ERRORS})
def get_proposal(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _detail_out(request, pk)


def _draft_args(request: HttpRequest, payload: DraftIn) -> dict[str, Any]:
    who = actor(request)
    return {
        "actor": who, "title": payload.title,
        "category": pick(who, ProposalCategory, payload.category_id, "category_id"),
        "body": payload.body, "consent_disclosure": payload.consent_disclosure,
        "nondisclosure_reason": payload.nondisclosure_reason,
        "suggested_unit_ids": payload.suggested_unit_ids,
        "co_proposer_ids": payload.co_proposer_ids,
    }


@router.post("/", response={201: ProposalDetailOut, **ERRORS})
def create_draft(request: HttpRequest, payload: DraftIn) -> tuple[int, dict[str, Any]]:
    """Create a draft (then ``POST /{id}/actions/submit``)."""
    p = services.proposal_save_draft(**_draft_args(request, payload))
    return 201, _detail_out(request, p.pk)


@router.put("/{int:pk}", response={200: ProposalDetailOut, **ERRORS})
def update_draft(request: HttpRequest, pk: int, payload: DraftIn) -> dict[str, Any]:
    p = _detail(request, pk)
    services.proposal_save_draft(proposal=p, **_draft_args(request, payload))
    return _detail_out(request, pk)


@router.post("/{int:pk}/cosign", response={200: ProposalDetailOut, **ERRORS})
def cosign(request: HttpRequest, pk: int, payload: CosignIn) -> dict[str, Any]:
    p = _detail(request, pk)
    services.proposal_cosign(actor=actor(request), proposal=p, accept=payload.accept)
    return _detail_out(request, pk)


def _for_step(request: HttpRequest, pk: int) -> Proposal:
    # Only the 404 of a proposal the caller may not open, without the API's joins (an unknown
    # action's answer).
    return selectors.proposal_for_step(actor(request), pk)


def _for_step_locked(request: HttpRequest, pk: int) -> Proposal:
    # A step reads the row once, locked, in its transaction (the 404 and the engine's lock
    # were two reads); the answer is read after it.
    return selectors.proposal_for_step_locked(actor(request), pk)


step_routes(router, PROPOSAL, path="/{int:pk}/actions", fetch=_for_step,
            fetch_locked=_for_step_locked,
            out=lambda request, p: _detail_out(request, p.pk), response=ProposalDetailOut)


class SimilarOut(Schema):
    id: int
    number: str
    title: str
    score: float


@router.get("/{int:pk}/similar", response={200: list[SimilarOut], **ERRORS})
@paged
def similar(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    """Proposals like this one, the most similar first (staff)."""
    who = actor(request)
    p = _detail(request, pk)
    require(permissions.can_view_all(who))
    return [{"id": s.pk, "number": s.number, "title": s.title, "score": score}
            for s, score in selectors.similar_proposals(who, f"{p.title} {p.body[:300]}",
                                                        exclude_pk=p.pk)]


@router.get("/categories", response={200: list[CategoryOut], **ERRORS})
@paged
def categories(request: HttpRequest) -> QuerySet[ProposalCategory]:
    who = actor(request)
    require(permissions.can_use_proposals(who))
    return scoped(who, ProposalCategory)


# --- the yearly excellent selection (优秀提案) ------------------------------------------------

class NominationOut(Schema):
    id: int
    year: int
    kind: str = Field(..., description="proposal or unit")
    proposal_id: int | None
    proposal_title: str | None
    unit_id: int | None
    unit: str | None
    nominator_kind: str = Field(..., description="office, unit or group")
    nominating_unit_id: int | None
    nominating_body_id: int | None
    reason: str
    decided: bool
    selected: bool
    resolution_no: str
    resolution_date: dt.date | None


def _nomination_out(n: ExcellentNomination) -> dict[str, Any]:
    return {"id": n.pk, "year": n.year, "kind": n.kind, "proposal_id": n.proposal_id,
            "proposal_title": n.proposal.title if n.proposal is not None else None,
            "unit_id": n.unit_id, "unit": n.unit.name if n.unit is not None else None,
            "nominator_kind": n.nominator_kind, "nominating_unit_id": n.nominating_unit_id,
            "nominating_body_id": n.nominating_body_id, "reason": n.reason,
            "decided": n.decided_at is not None, "selected": n.selected,
            "resolution_no": n.resolution_no, "resolution_date": n.resolution_date}


class NominationFilters(Schema):
    year: int | None = None


class NominationIn(Schema):
    year: int
    proposal_id: int | None = None
    unit_id: int | None = Field(None, description="the office only: an excellent handling unit")
    reason: str = ""
    as_body: int | None = Field(None, description="a collective body the caller acts for (a "
                                                  "members' group nominating)")


class ExcellentDecisionIn(Schema):
    selected_ids: list[int] = Field(..., description="the year's nominations on the final list; "
                                                     "the others are not selected")
    resolution_no: str
    resolution_date: dt.date


class ExcellentDecisionOut(Schema):
    year: int
    resolution_no: str
    resolution_date: dt.date
    selected_ids: list[int]


@router.get("/excellent", response={200: list[NominationOut], **ERRORS})
@paged
def excellent_list(request: HttpRequest, filters: Query[NominationFilters]
                   ) -> list[dict[str, Any]]:
    """Nominations for the excellent proposals: every one for the office and leaders, a
    nominator's own for a handling unit or a members' group."""
    who = actor(request)
    require(permissions.can_nominate_excellent(who))
    qs = selectors.visible_nominations(who)
    if filters.year is not None:
        qs = qs.filter(year=filters.year) if 2000 <= filters.year <= 9999 else qs.none()
    return [_nomination_out(n) for n in qs]


@router.post("/excellent", response={201: NominationOut, **ERRORS})
def excellent_nominate(request: HttpRequest, payload: NominationIn
                       ) -> tuple[int, dict[str, Any]]:
    """Nominate an answered proposal (or, for the office, a handling unit)."""
    who = actor(request)
    require(permissions.can_nominate_excellent(who))
    row = services.excellent_nominate(
        actor=who, year=payload.year,
        proposal=pick(who, Proposal, payload.proposal_id, "proposal_id"),
        unit=pick(who, HandlingUnit, payload.unit_id, "unit_id"), reason=payload.reason,
        as_body=payload.as_body)
    return 201, _nomination_out(row)


@router.post("/excellent/{int:year}/decision", response={200: ExcellentDecisionOut, **ERRORS})
def excellent_decide(request: HttpRequest, year: int, payload: ExcellentDecisionIn
                     ) -> dict[str, Any]:
    """Record the committee meeting's decision on the year's nominations (office, leaders)."""
    who = actor(request)
    rows = services.excellent_decide_year(
        actor=who, year=year, selected_ids=payload.selected_ids,
        resolution_no=payload.resolution_no, resolution_date=payload.resolution_date)
    return {"year": year, "resolution_no": rows[0].resolution_no,
            "resolution_date": rows[0].resolution_date,
            "selected_ids": [r.pk for r in rows if r.selected]}
