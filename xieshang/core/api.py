"""JSON API of the core app: who am I, terms and sessions, the working-day calendar,
notifications and API tokens. Mounted at /api/v1/core/ by xieshang/api.py."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from xieshang.core import notifications, tokens
from xieshang.core.apiutils import ERRORS, ApiError, actor, paged, used_token
from xieshang.core.calendar import WorkCalendar
from xieshang.core.models import ApiToken, Committee, Notification, Role, Session, Term
from xieshang.core.permissions import can_view_directory, committees_for_user, require
from xieshang.core.tenancy import get_scoped_or_404, scoped

router = Router(tags=["core"])


# --- schemas ---------------------------------------------------------------------------------

class CommitteeOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    level: str
    parent_code: str | None = None

    @staticmethod
    def resolve_parent_code(obj: Committee) -> str | None:
        parent = obj.parent
        return parent.code if parent is not None else None


class RoleOut(Schema):
    code: str
    label: str


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    committee: CommitteeOut | None
    roles: list[RoleOut]
    member_id: int | None
    unit_ids: list[int]
    body_ids: list[int]
    committees: list[CommitteeOut]


class TermOut(Schema):
    id: int
    number: int
    label: str
    start_date: dt.date
    end_date: dt.date | None
    is_current: bool

    @staticmethod
    def resolve_is_current(obj: Term) -> bool:
        return obj.is_current()


class SessionOut(Schema):
    id: int
    term_id: int
    number: int
    label: str
    start_date: dt.date
    end_date: dt.date
    proposal_window_start: dt.date | None


class DeadlineQuery(Schema):
    start: dt.date
    working_days: int | None = Field(None, ge=-1000, le=1000)
    months: int | None = Field(None, ge=-120, le=120)


class DeadlineOut(Schema):
    date: dt.date
    warnings: list[str]
    uncertain: bool


class NotificationQuery(Schema):
    unread: bool | None = None


class NotificationOut(Schema):
    id: int
    committee_code: str
    title: str
    body: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None

    @staticmethod
    def resolve_committee_code(obj: Notification) -> str:
        return obj.committee.code


class ReadAllOut(Schema):
    updated: int


class TokenIn(Schema):
    name: str = Field(..., max_length=tokens.NAME_MAX_LENGTH)
    days: int | None = Field(None, ge=1, le=3650,
                             description="Days the token is valid (at most the install's limit, "
                                         "90 by default).")


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    expires_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    revoked_reason: str


class TokenIssuedOut(Schema):
    token: TokenOut
    key: str = Field(..., description="The secret: shown this once and never again.")


# --- who am I --------------------------------------------------------------------------------

@router.get("/me", response={200: MeOut, **ERRORS})
def me(request: HttpRequest) -> dict[str, Any]:
    """The user, the committee this call acts in, the roles held there, and every committee
    the user may act in (send its code as the ``X-Committee`` header to switch)."""
    who = actor(request)
    user = who.user
    assert user is not None
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": str(user),
        "committee": who.committee,
        "roles": [{"code": r, "label": str(Role(r).label)} for r in sorted(who.roles)],
        "member_id": who.member_id,
        "unit_ids": sorted(who.unit_ids),
        "body_ids": sorted(who.body_ids),
        "committees": committees_for_user(user),
    }


# --- terms, sessions, calendar ---------------------------------------------------------------

@router.get("/terms", response={200: list[TermOut], **ERRORS})
@paged
def term_list(request: HttpRequest) -> QuerySet[Term]:
    """The terms (届) of the acting committee, newest first."""
    who = actor(request)
    require(can_view_directory(who))
    return scoped(who, Term).order_by("-number")


@router.get("/sessions", response={200: list[SessionOut], **ERRORS})
@paged
def session_list(request: HttpRequest, term: int | None = None) -> QuerySet[Session]:
    """The plenary sessions of the acting committee (of one term with ``?term=<id>``)."""
    who = actor(request)
    require(can_view_directory(who))
    qs = scoped(who, Session).select_related("term").order_by("-start_date")
    if term is not None:
        qs = qs.filter(term=get_scoped_or_404(who, Term, pk=term))
    return qs


@router.get("/sessions/{int:pk}", response={200: SessionOut, **ERRORS})
def session_detail(request: HttpRequest, pk: int) -> Session:
    who = actor(request)
    require(can_view_directory(who))
    return get_scoped_or_404(who, scoped(who, Session).select_related("term"), pk=pk)


@router.get("/calendar/deadline", response={200: DeadlineOut, **ERRORS})
def deadline(request: HttpRequest, query: Query[DeadlineQuery]) -> dict[str, Any]:
    """A deadline on the acting committee's working-day calendar: ``working_days`` after
    ``start`` (holidays and local days off skipped), or ``months`` later moved on to a working
    day. ``warnings`` is not empty when a year has no official holiday data yet."""
    who = actor(request)
    require(can_view_directory(who))
    if (query.working_days is None) == (query.months is None):
        raise ApiError("invalid", _("Give either working_days or months."), 422)
    if not 1900 <= query.start.year <= 2899:  # the result must stay a date Python can hold
        raise ApiError("invalid", _("Give a start date between 1900 and 2899."), 422)
    cal = WorkCalendar(who.committee)
    if query.working_days is not None:
        result = cal.add_working_days(query.start, query.working_days)
    else:
        assert query.months is not None
        result = cal.add_months(query.start, query.months)
    return {"date": result.date, "warnings": list(result.warnings),
            "uncertain": result.uncertain}


# --- notifications ---------------------------------------------------------------------------
# Notifications belong to their recipient (in whichever committee they were sent), so they are
# filtered by user, not by the acting committee, exactly as on the notifications page.

@router.get("/notifications", response={200: list[NotificationOut], **ERRORS})
@paged
def notification_list(request: HttpRequest,
                      filters: Query[NotificationQuery]) -> QuerySet[Notification]:
    """The user's notifications, newest first (``?unread=true`` for the unread ones)."""
    user = actor(request).user
    qs = Notification.objects.filter(recipient=user).select_related("committee")
    if filters.unread is not None:
        qs = qs.filter(read_at__isnull=filters.unread)
    return qs.order_by("-created_at", "-id")


@router.post("/notifications/{int:pk}/read", response={200: NotificationOut, **ERRORS})
def notification_read(request: HttpRequest, pk: int) -> Notification:
    user = actor(request).user
    assert user is not None
    note = Notification.objects.select_related("committee").filter(
        recipient=user, pk=pk).first()
    if note is None:
        raise ApiError("not_found", _("Not found."), 404)
    return notifications.notification_mark_read(user=user, notification=note)


@router.post("/notifications/read-all", response={200: ReadAllOut, **ERRORS})
def notification_read_all(request: HttpRequest) -> dict[str, int]:
    user = actor(request).user
    assert user is not None
    return {"updated": notifications.notification_mark_all_read(user=user)}


# --- API tokens ------------------------------------------------------------------------------

@router.get("/tokens", response={200: list[TokenOut], **ERRORS})
@paged
def token_list(request: HttpRequest) -> QuerySet[ApiToken]:
    """The user's own API tokens (active first); keys are never shown again."""
    user = actor(request).user
    assert user is not None
    return tokens.token_list(user)


@router.post("/tokens", response={201: TokenIssuedOut, **ERRORS})
def token_issue(request: HttpRequest, payload: TokenIn) -> tuple[int, dict[str, Any]]:
    """Issue a token for the logged-in user. Only from a browser session: a token cannot mint
    further tokens, so a leaked one cannot make itself permanent."""
    if used_token(request) is not None:
        raise PermissionDenied(_("An API token cannot issue tokens: issue them on the web page."))
    token, key = tokens.token_issue(actor=actor(request), name=payload.name, days=payload.days)
    return 201, {"token": token, "key": key}


@router.delete("/tokens/{int:pk}", response={204: None, **ERRORS})
def token_revoke(request: HttpRequest, pk: int) -> tuple[int, None]:
    """Revoke one of the user's own tokens (also the very token making this call)."""
    who = actor(request)
    tokens.token_revoke(actor=who, token=tokens.token_get_own_or_404(who, pk))
    return 204, None
