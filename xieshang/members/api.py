"""JSON API of members and organisation: the directory (members, sectors, special committees,
collective bodies, handling units) and the roster writes of the office.
Mounted at /api/v1/members/ by xieshang/api.py; the rules are those of the pages
(members.permissions) and the services."""

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from xieshang.core import clock
from xieshang.core.apiutils import ERRORS, actor, paged, pick
from xieshang.core.models import Term
from xieshang.core.permissions import Actor, require
from xieshang.core.tenancy import get_scoped_or_404, scoped
from xieshang.members import permissions, selectors, services
from xieshang.members.forms import MemberForm
from xieshang.members.models import (
    CollectiveBody,
    HandlingUnit,
    Member,
    Sector,
    SpecialCommittee,
)

router = Router(tags=["members"])


def _directory_actor(request: HttpRequest) -> Actor:
    who = actor(request)
    require(permissions.can_view_directory(who))
    return who


# --- schemas ---------------------------------------------------------------------------------

class SectorRef(Schema):
    id: int
    name: str


class SectorOut(Schema):
    id: int
    name: str
    code: str
    order: int
    is_active: bool


class MemberBriefOut(Schema):
    """What every role of the committee sees in the member directory."""

    id: int
    name: str
    gender: str
    sector: SectorRef | None
    party: str
    workplace: str
    is_standing: bool
    status: str


class MemberOut(MemberBriefOut):
    """Personal data: for the member themselves, office staff, leaders and admins. Phone and ID
    number are masked except for the office that keeps the roster."""

    ethnicity: str
    birth_date: dt.date | None
    phone: str
    id_number: str
    joined_on: dt.date
    left_on: dt.date | None
    left_reason: str


class MemberQuery(Schema):
    q: str = Field("", max_length=50, description="Part of the name, workplace or party.")
    sector: int | None = Field(None, ge=1, le=2**62)
    status: Literal["active", "left", "all"] = "active"
    standing: bool | None = None


class MemberIn(Schema):
    name: str = Field(..., max_length=50)
    gender: str
    ethnicity: str = Field("汉族", max_length=20)
    birth_date: dt.date | None = None
    party: str = Field("", max_length=30)
    sector_id: int | None = None
    workplace: str = Field("", max_length=200)
    phone: str = Field("", max_length=20)
    id_number: str = Field("", max_length=18)
    is_standing: bool = False
    joined_on: dt.date | None = None
    term_id: int | None = Field(None, description="Default: the term current on joined_on.")


class MemberPatch(Schema):
    name: str | None = Field(None, max_length=50)
    gender: str | None = None
    ethnicity: str | None = Field(None, max_length=20)
    birth_date: dt.date | None = None
    party: str | None = Field(None, max_length=30)
    sector_id: int | None = None
    workplace: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=20)
    id_number: str | None = Field(None, max_length=18)
    is_standing: bool | None = None
    joined_on: dt.date | None = None


class LeaveIn(Schema):
    left_on: dt.date
    reason: str = Field(..., min_length=1, max_length=200)


class FormerNameOut(Schema):
    name: str
    until: str = Field(..., description="The day the name stopped being used, YYYY-MM-DD.")


class SpecialCommitteeOut(Schema):
    id: int
    name: str
    term_id: int
    established_on: dt.date
    dissolved_on: dt.date | None
    merged_into_id: int | None
    former_names: list[FormerNameOut]
    is_active: bool


class CollectiveBodyOut(Schema):
    id: int
    name: str
    kind: str
    special_committee_id: int | None


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    contact_name: str
    contact_phone: str
    address: str
    keywords: str
    order: int
    is_active: bool


class UnitQuery(Schema):
    q: str = Field("", max_length=50)
    kind: str = ""


class UnitIn(Schema):
    name: str = Field(..., max_length=100)
    short_name: str = Field("", max_length=30)
    kind: str = HandlingUnit.Kind.GOVERNMENT.value
    contact_name: str = Field("", max_length=50)
    contact_phone: str = Field("", max_length=30)
    address: str = Field("", max_length=200)
    keywords: str = ""
    order: int = Field(0, ge=0, le=32767)


class UnitPatch(Schema):
    name: str | None = Field(None, max_length=100)
    short_name: str | None = Field(None, max_length=30)
    kind: str | None = None
    contact_name: str | None = Field(None, max_length=50)
    contact_phone: str | None = Field(None, max_length=30)
    address: str | None = Field(None, max_length=200)
    keywords: str | None = None
    order: int | None = Field(None, ge=0, le=32767)
    is_active: bool | None = None


def _member_out(who: Actor, member: Member) -> dict[str, Any]:
    full = permissions.can_see_full_id_number(who)
    return {
        "id": member.pk, "name": member.name, "gender": member.gender,
        "sector": member.sector, "party": member.party, "workplace": member.workplace,
        "is_standing": member.is_standing, "status": member.status,
        "ethnicity": member.ethnicity, "birth_date": member.birth_date,
        "phone": member.phone if full else member.masked_phone,
        "id_number": member.id_number if full else member.masked_id_number,
        "joined_on": member.joined_on, "left_on": member.left_on,
        "left_reason": member.left_reason,
    }


def _checked(who: Actor, member: Member | None, sent: dict[str, Any]) -> MemberForm:
    """The member's values with ``sent`` applied, checked by the member page's own form (the
    same rules for the page and the API: a real mobile number and ID number, plain text, no
    duplicate). Refused values raise ValidationError (400, naming the fields)."""
    if "sector_id" in sent:
        sent["sector"] = pick(who, Sector, sent.pop("sector_id"), "sector")
    current = MemberForm(actor=who, member=member).initial if member is not None else {}
    data = {**current, **sent}
    if isinstance(data.get("sector"), Sector):
        data["sector"] = data["sector"].pk
    # null for a text field means "empty"; the model's text fields are not nullable.
    form = MemberForm({k: "" if v is None else v for k, v in data.items()
                       if not (k == "is_standing" and v is False)}, actor=who, member=member)
    if not form.is_valid():
        raise ValidationError({field: [str(e) for e in errors]
                               for field, errors in form.errors.items()})
    return form


# --- members ---------------------------------------------------------------------------------

@router.get("/members", response={200: list[MemberBriefOut], **ERRORS})
@paged
def member_list(request: HttpRequest, filters: Query[MemberQuery]) -> QuerySet[Member]:
    """The member directory of the acting committee (serving members unless ``status``)."""
    who = _directory_actor(request)
    return selectors.member_list(
        who, q=filters.q.strip(), sector=str(filters.sector or ""),
        status="" if filters.status == "all" else filters.status, standing=filters.standing)


@router.get("/members/{int:pk}", response={200: MemberOut, **ERRORS})
def member_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    who = actor(request)
    member = get_scoped_or_404(who, selectors.visible(who).select_related("sector"), pk=pk)
    return _member_out(who, member)


@router.post("/members", response={201: MemberOut, **ERRORS})
def member_create(request: HttpRequest, payload: MemberIn) -> tuple[int, dict[str, Any]]:
    """Add a member to the roster (office staff and admins)."""
    who = actor(request)
    require(permissions.can_edit_organisation(who))
    assert who.committee is not None
    data = payload.dict()
    term = pick(who, Term, data.pop("term_id"), "term_id")
    if data["joined_on"] is None:
        data["joined_on"] = clock.today()
    form = _checked(who, None, data)
    member = services.member_create(actor=who, committee=who.committee, term=term,
                                    **form.member_fields())
    return 201, _member_out(who, member)


@router.patch("/members/{int:pk}", response={200: MemberOut, **ERRORS})
def member_update(request: HttpRequest, pk: int, payload: MemberPatch) -> dict[str, Any]:
    """Change the fields sent (a new sector or standing status starts a new tenure)."""
    who = actor(request)
    member = get_scoped_or_404(who, Member, pk=pk)
    require(permissions.can_edit_organisation(who))
    sent = payload.dict(exclude_unset=True)
    if sent:
        keys = {"sector" if k == "sector_id" else k for k in sent}
        fields = {k: v for k, v in _checked(who, member, sent).changed_member_fields().items()
                  if k in keys}  # only what was sent changes (no derived birth date)
        if fields:
            member = services.member_update(actor=who, member=member, **fields)
    return _member_out(who, member)


@router.post("/members/{int:pk}/leave", response={200: MemberOut, **ERRORS})
def member_leave(request: HttpRequest, pk: int, payload: LeaveIn) -> dict[str, Any]:
    """The member leaves the committee; their records stay."""
    who = actor(request)
    member = get_scoped_or_404(who, Member, pk=pk)
    require(permissions.can_edit_organisation(who))
    member = services.member_leave(actor=who, member=member, left_on=payload.left_on,
                                   reason=payload.reason.strip())
    return _member_out(who, member)


# --- organisation ----------------------------------------------------------------------------

@router.get("/sectors", response={200: list[SectorOut], **ERRORS})
@paged
def sector_list(request: HttpRequest) -> QuerySet[Sector]:
    who = _directory_actor(request)
    return scoped(who, Sector).order_by("order", "id")


@router.get("/special-committees", response={200: list[SpecialCommitteeOut], **ERRORS})
@paged
def special_committee_list(request: HttpRequest) -> QuerySet[SpecialCommittee]:
    """Special committees, the dissolved ones too (``merged_into_id`` says where they went)."""
    who = _directory_actor(request)
    return scoped(who, SpecialCommittee).order_by("established_on", "id")


@router.get("/collective-bodies", response={200: list[CollectiveBodyOut], **ERRORS})
@paged
def collective_body_list(request: HttpRequest) -> QuerySet[CollectiveBody]:
    who = _directory_actor(request)
    return scoped(who, CollectiveBody).order_by("kind", "name")


@router.get("/units", response={200: list[UnitOut], **ERRORS})
@paged
def unit_list(request: HttpRequest, filters: Query[UnitQuery]) -> QuerySet[HandlingUnit]:
    """The active handling units (承办单位) of the acting committee."""
    who = _directory_actor(request)
    return selectors.unit_list(who, q=filters.q.strip(), kind=filters.kind)


@router.get("/units/{int:pk}", response={200: UnitOut, **ERRORS})
def unit_detail(request: HttpRequest, pk: int) -> HandlingUnit:
    who = _directory_actor(request)
    return get_scoped_or_404(who, selectors.visible_units(who), pk=pk)


@router.post("/units", response={201: UnitOut, **ERRORS})
def unit_create(request: HttpRequest, payload: UnitIn) -> tuple[int, HandlingUnit]:
    who = actor(request)
    require(permissions.can_edit_organisation(who))
    assert who.committee is not None
    return 201, services.unit_create(actor=who, committee=who.committee, **payload.dict())


@router.patch("/units/{int:pk}", response={200: UnitOut, **ERRORS})
def unit_update(request: HttpRequest, pk: int, payload: UnitPatch) -> HandlingUnit:
    who = actor(request)
    unit = get_scoped_or_404(who, HandlingUnit, pk=pk)
    require(permissions.can_edit_organisation(who))
    fields = {k: ("" if v is None and k not in {"order", "is_active"} else v)
              for k, v in payload.dict(exclude_unset=True).items()}
    if None in fields.values():
        fields = {k: v for k, v in fields.items() if v is not None}
    if fields:
        unit = services.unit_update(actor=who, unit=unit, **fields)
    return unit
