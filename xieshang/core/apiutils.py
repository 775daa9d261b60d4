"""Shared pieces of the JSON API: authentication, the acting committee, errors, pagination.

Every app's ``api.py`` defines ``router = Router(tags=[...])``; ``xieshang/api.py`` mounts them
all under /api/v1/<app label>/ with the authentication below. Inside an operation call
``actor(request)`` to get the Actor (user + committee + roles), exactly as pages use
``request.actor``; services raise PermissionDenied / ValidationError / Http404, which
``install_error_handlers`` turns into ``{"code": ..., "message": ..., "errors": [...]}`` with a
Chinese message, so an operation needs no try/except of its own.

The committee an API call acts in: the ``X-Committee`` header (a committee code), else the
``committee`` query parameter, else (in the browser) the committee chosen in the page header,
else the user's first committee.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, models
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PaginationBase, paginate
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from xieshang.core import clock, paging
from xieshang.core.inputs import field_name, pydantic_message
from xieshang.core.middleware import client_ip
from xieshang.core.models import ApiToken, User
from xieshang.core.paging import COUNT_CAP
from xieshang.core.permissions import Actor, acting, active_roles
from xieshang.core.tenancy import scoped
from xieshang.core.workflow import StaleVersion

logger = logging.getLogger("xieshang.api")

# Writing last_used_at on every call would make each read a write; a minute is precise enough
# for the token page ("last used …") and for spotting a token nobody uses any more.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    code: str
    message: str
    errors: list[FieldErrorOut] = []


ERROR_STATUSES: dict[int, str] = {
    400: "Refused by a rule (code `invalid`; `errors` names the fields)",
    401: "Not logged in, or a wrong, expired or revoked token (code `unauthorized`)",
    403: "Not allowed (code `forbidden`, or `csrf` for a browser session without the token)",
    404: "Not found, or a record of another committee (code `not_found`)",
    409: "A stale `version` or a duplicate (code `conflict`): read the record again",
    413: "The request body is too large (code `too_large`)",
    422: "Malformed input: a missing field, a wrong type (code `invalid`)",
    429: "Too many requests: wait and try again (code `throttled` or `rate_limited`)",
    500: "Something went wrong on the server (code `server_error`), logged for the operators",
}
"""Every error status the API answers, each with the one body ``ErrorOut``. xieshang.api adds
them to every operation of the OpenAPI document (401 only where a login is needed, 413 only
where a body is read, 429 only where the operation declares ``**RATE_LIMITED``), so an
operation does not need to list them."""

ERRORS: dict[int | str, Any] = {status: ErrorOut for status in ERROR_STATUSES if status != 429}
"""Optional in ``response=`` (the document gets the error answers anyway); kept so that an
operation can say so where it is read."""

RATE_LIMITED: dict[int | str, Any] = {429: ErrorOut}
"""Add to ``response=`` of an operation that refuses too many calls with 429."""


def binary_response(media_type: str, description: str) -> dict[str, Any]:
    """``openapi_extra=`` of an operation that answers a file (an ``HttpResponse``): its 200 is
    that media type, so a generated client gets the bytes rather than trying to read JSON.
    Declare only the errors in ``response=``."""
    return {"responses": {200: {"description": description, "content": {
        media_type: {"schema": {"type": "string", "format": "binary"}}}}}}


class ApiError(Exception):
    """Raise inside an operation for a clear error: ApiError("conflict", _("…"), 409)."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.status = status


# --- authentication --------------------------------------------------------------------------

class TokenAuth(HttpBearer):
    """``Authorization: Bearer xs_…`` with a token issued on the "API tokens" page."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        now = clock.now()
        key_hash = ApiToken.hash_key(token.strip())
        # The token, its user and the user's roles with their committees in one query (the
        # actor of this request is built from them); only a user without an active role
        # needs the token read alone. Nothing is kept: every request asks again.
        roles = list(active_roles(
            user__api_tokens__key_hash=key_hash, user__api_tokens__revoked_at__isnull=True,
            user__api_tokens__expires_at__gt=now,
        ).select_related("user").annotate(
            token_id=F("user__api_tokens__id"),
            token_last_used_at=F("user__api_tokens__last_used_at")))
        if roles:
            first: Any = roles[0]
            user: User | None = first.user
            for r in roles:  # one user object for the request, as the actor's
                r.user = first.user
            row: ApiToken | None = ApiToken(pk=first.token_id, user=first.user,
                                            key_hash=key_hash,
                                            last_used_at=first.token_last_used_at)
        else:
            row = (ApiToken.objects.select_related("user")
                   .filter(key_hash=key_hash, revoked_at__isnull=True, expires_at__gt=now)
                   .first())
            user = row.user if row is not None else None
        # An expired or revoked token, a disabled account, or one that is locked (too many
        # failed logins) gets nothing.
        if row is None or user is None or not user.is_active or user.is_locked():
            # A wrong token is refused outright rather than falling back to the session cookie:
            # a script that sends a stale token should learn so, not act as whoever is logged in.
            raise AuthenticationError()
        if row.last_used_at is None or now - row.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = user
        request._api_token = row  # type: ignore[attr-defined]
        request._api_roles = roles  # type: ignore[attr-defined]
        return user


class SessionCsrfAuth(SessionAuth):
    """The browser session (with Django's CSRF check on unsafe methods)."""

    def __call__(self, request: HttpRequest) -> Any:
        # Without a logged-in session there is nothing to protect: answer 401, not a CSRF 403.
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


AUTH: list[Any] = [TokenAuth(), SessionCsrfAuth()]


def used_token(request: HttpRequest) -> ApiToken | None:
    """The API token that authenticated this request (None for the browser session)."""
    return getattr(request, "_api_token", None)


def actor(request: HttpRequest) -> Actor:
    """The Actor of an authenticated API request (cached on the request)."""
    cached: Actor | None = getattr(request, "_api_actor", None)
    if cached is not None:
        return cached
    auth = getattr(request, "auth", None)
    user = auth if isinstance(auth, User) else request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise ApiError("unauthorized", _("Log in first, or send a valid API token."), 401)
    wanted = request.headers.get("X-Committee") or request.GET.get("committee")
    page_actor = getattr(request, "actor", None)
    if wanted:
        result, _committees = acting(
            user, lambda cs: next((c for c in cs if c.code == wanted), None), client_ip(request),
            _roles_read(request, user))
        if result.committee is None:
            raise ApiError("not_found", _("No such committee, or you hold no role in it."), 404)
    elif (used_token(request) is None and isinstance(page_actor, Actor)
          and page_actor.user is not None and page_actor.user.pk == user.pk):
        # The browser session: the committee chosen in the page header, as on every page.
        result = page_actor
    else:
        result, _committees = acting(user, lambda cs: cs[0] if cs else None, client_ip(request),
                                     _roles_read(request, user))
    request._api_actor = result  # type: ignore[attr-defined]
    return result


def _roles_read(request: HttpRequest, user: User) -> list[Any] | None:
    """The user's active roles if the token's query read them in this request."""
    if used_token(request) is None or request.user is not user:
        return None
    rows: list[Any] | None = getattr(request, "_api_roles", None)
    return rows


def pick[T: models.Model](actor: Actor, model: type[T], pk: int | None, field: str) -> T | None:
    """A related row named by id in a request body, from the actor's committee.

    An id of another committee (or none at all) is a mistake in the input, so it is reported
    as a field error (400) rather than a 404 of the whole request.
    """
    if pk is None:
        return None
    row = scoped(actor, model).filter(pk=pk).first()
    if row is None:
        raise DjangoValidationError({field: _("No such record in this committee.")})
    return row


# --- lists: the one contract -----------------------------------------------------------------
# Every operation that answers a list is ``@paged`` (docs/api.md, "Lists"):
# ``?page=&page_size=`` (at most MAX_PAGE_SIZE) → ``{"items", "count", "more", "page",
# "page_size", "pages"}``, in a stable order; the count stops at COUNT_CAP (``more``).
# tests/api/test_contract.py fails on a list answered otherwise.

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


@dataclass(frozen=True)
class Rows:
    """A list operation's rows and how to turn one into its output (after the page is cut, so
    that e.g. the actions allowed on each record are computed for one page only)."""

    source: Any  # a QuerySet or a list
    each: Callable[[Any], Any]


def stable(queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """The queryset in its own order with the primary key as the last tie-breaker, so that rows
    with equal sort keys keep one order from page to page (databases promise none)."""
    if queryset.query.combinator or isinstance(queryset.query.group_by, tuple):
        # A union orders by its columns only; in values().annotate() the key would join the
        # GROUP BY and change the counts: such a selector orders itself.
        return queryset
    order = list(queryset.query.order_by)
    if not order and queryset.query.default_ordering:
        order = list(queryset.model._meta.ordering)
    pk_names = {"pk", queryset.model._meta.pk.name}
    named = {o.lstrip("-") for o in order if isinstance(o, str)}
    return queryset if named & pk_names else queryset.order_by(*order, "pk")


class PageNumber(PaginationBase):
    """``?page=2&page_size=50`` → ``{"items": [...], "count", "more", "page", "page_size",
    "pages"}``.

    A page past the end is empty (not an error), so a client can stop at the first empty page.
    The rows are counted up to COUNT_CAP (a count over a LIMITed subquery, so a first page
    costs the same at any size); ``more`` says there are more than ``count``, and ``pages``
    is then the pages known.
    A queryset is ordered with the primary key as the last key (``stable``); a list keeps the
    order its selector gave it; ``Rows`` turns each row of the page into its output.
    """

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000, description="The page, from 1.")
        page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE,
                               description=f"Rows per page, at most {MAX_PAGE_SIZE}.")

    class Output(Schema):
        items: list[Any]
        count: int = Field(description=f"The rows, counted up to {COUNT_CAP:,}.")
        more: bool = Field(description=f"More rows than ``count`` (past {COUNT_CAP:,} they are "
                           "not counted: page on until a page is empty).")
        page: int
        page_size: int
        pages: int

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest,
                          **params: Any) -> Any:
        each: Callable[[Any], Any] | None = None
        if isinstance(queryset, Rows):
            queryset, each = queryset.source, queryset.each
        if isinstance(queryset, models.QuerySet):
            queryset = stable(queryset)
        elif not isinstance(queryset, list | tuple):
            queryset = list(queryset)
        size = pagination.page_size
        offset = (pagination.page - 1) * size
        count, more = paging.counted(queryset)
        rows = list(queryset[offset:offset + size])
        return {
            "items": [each(row) for row in rows] if each is not None else rows,
            "count": count,
            "more": more,
            "page": pagination.page,
            "page_size": size,
            "pages": max(1, math.ceil(count / size)),
        }


paged: Callable[[Callable[..., Any]], Callable[..., Any]] = paginate(PageNumber)
"""The list decorator: ``@router.get("/things", response=list[ThingOut])`` then ``@paged``; the
operation returns a QuerySet, a list or ``Rows``. Do not combine it with
``from __future__ import annotations`` in a module whose operations take ``Query[...]``."""


def _nul_fields(value: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    if isinstance(value, str):
        return [path] if "\x00" in value else []
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _nul_fields(v, (*path, str(k)))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _nul_fields(v, (*path, str(i)))]
    return []


def _nul_error(source: str, paths: list[tuple[str, ...]]) -> NinjaValidationError:
    return NinjaValidationError([{"loc": (source, *p), "type": "nul_character"} for p in paths])


class StrictParser(Parser):
    """Refuse NUL characters in input: PostgreSQL cannot store them in text, so they would
    otherwise fail deep inside a service (and SQLite would keep what PostgreSQL refuses)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        bad = _nul_fields(data)
        if bad:
            raise _nul_error("body", bad)
        return data

    def parse_querydict(self, data: MultiValueDict[str, Any], list_fields: list[str],
                        request: HttpRequest) -> dict[str, Any]:
        bad: list[tuple[str, ...]] = [(key,) for key, values in data.lists()
                                      if any(isinstance(v, str) and "\x00" in v
                                             for v in values)]
        if bad:
            raise _nul_error("query" if data is request.GET else "form", bad)
        return super().parse_querydict(data, list_fields, request)


class Utf8JSONRenderer(JSONRenderer):
    """JSON with Chinese as characters rather than \\u escapes (smaller, readable in logs)."""

    json_dumps_params: Mapping[str, Any] = {"ensure_ascii": False}


# --- errors ----------------------------------------------------------------------------------

def _error(api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str,
           errors: list[dict[str, str]] | None = None) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": message, "errors": errors or []}, status=status)


def install_error_handlers(api: NinjaAPI) -> None:
    """Every failure leaves the API as ``ErrorOut`` JSON with a Chinese message, not a page."""

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return _error(api, request, exc.status, exc.code, exc.message)

    @api.exception_handler(NinjaValidationError)
    def bad_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [{"field": field_name(e.get("loc", ())), "message": pydantic_message(e)}
                  for e in exc.errors if isinstance(e, dict)]
        if not errors:
            errors = [{"field": "request", "message": _("This value is not valid.")}]
        summary = "；".join(f"{e['field']}：{e['message']}" for e in errors[:5])
        return _error(api, request, 422, "invalid",
                      _("The request is not valid: %(details)s") % {"details": summary}, errors)

    @api.exception_handler(StaleVersion)
    def stale(request: HttpRequest, exc: StaleVersion) -> HttpResponse:
        # The record changed since the client read it: read it again, then decide.
        return _error(api, request, 409, "conflict", "；".join(exc.messages))

    @api.exception_handler(DjangoValidationError)
    def refused_by_rules(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        errors: list[dict[str, str]] = []
        if hasattr(exc, "error_dict"):
            for field, messages in exc.message_dict.items():
                name = "request" if field == "__all__" else field
                errors.extend({"field": name, "message": str(m)} for m in messages)
            message = "；".join(e["message"] for e in errors)
        else:
            message = "；".join(str(m) for m in exc.messages)
        return _error(api, request, 400, "invalid", message, errors)

    @api.exception_handler(OverflowError)
    def out_of_range(request: HttpRequest, exc: OverflowError) -> HttpResponse:
        # A number larger than the database holds, in a parameter no schema bound: a clear
        # answer rather than a 500 (each parameter should also carry its own bounds).
        logger.warning("API number out of range on %s: %s", request.path, exc)
        return _error(api, request, 422, "invalid", _("A number in the request is out of range."))

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return _error(api, request, 413, "too_large",
                      _("The request is too large (at most %(mb)s MB).")
                      % {"mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)})

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return _error(api, request, 403, "forbidden",
                      str(exc) or _("You are not allowed to do this."))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _error(api, request, 404, "not_found", _("Not found."))

    @api.exception_handler(IntegrityError)
    def conflict(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        logger.warning("API integrity error on %s: %s", request.path, exc)
        return _error(api, request, 409, "conflict",
                      _("This conflicts with an existing record (perhaps a duplicate)."))

    @api.exception_handler(DataError)
    def unstorable(request: HttpRequest, exc: DataError) -> HttpResponse:
        # A value the database refuses (e.g. longer than a column on PostgreSQL) that no form
        # rule caught: the transaction is rolled back, so the client can correct and resend.
        logger.warning("API data error on %s: %s", request.path, exc)
        return _error(api, request, 400, "invalid",
                      _("Some of the input cannot be stored (too long, or a character that "
                        "is not allowed)."))

    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return _error(api, request, 413, "too_large",
                      _("The request is too large: send less at once, or a smaller file."))

    @api.exception_handler(AuthenticationError)
    def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = _error(api, request, 401, "unauthorized",
                          _("Log in first, or send a valid API token."))
        response["WWW-Authenticate"] = 'Bearer realm="xieshang"'
        return response

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        return _error(api, request, 429, "throttled",
                      _("Too many requests: wait a moment and try again."))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 403 and "CSRF" in exc.message:
            return _error(api, request, 403, "csrf",
                          _("The security check failed: reload the page and try again."))
        if isinstance(exc.__cause__, NinjaValidationError):
            return bad_input(request, exc.__cause__)
        if exc.status_code == 400 and exc.message.startswith("Cannot parse request body"):
            return _error(api, request, 400, "invalid",
                          _("The request body is not a valid JSON object."))
        return _error(api, request, exc.status_code, "error", exc.message)

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Logged like Django logs a failed page (so error mail and monitoring still see it),
        # but the client gets JSON it can show rather than an HTML 500 page.
        logger.error("API error on %s %s", request.method, request.path, exc_info=exc)
        if settings.DEBUG:
            raise exc
        return _error(api, request, 500, "server_error",
                      _("Something went wrong on the server. Please try again later."))


__all__ = [
    "AUTH", "ERRORS", "ERROR_STATUSES", "MAX_PAGE_SIZE", "RATE_LIMITED", "APIKeyHeader",
    "ApiError", "ErrorOut", "PageNumber", "Rows", "StrictParser", "TokenAuth",
    "Utf8JSONRenderer", "actor", "binary_response", "install_error_handlers", "paged", "pick",
    "stable", "used_token",
]
