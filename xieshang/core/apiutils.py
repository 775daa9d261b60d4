"""Shared pieces of the JSON API: authentication, the acting committee, errors.

Every app's ``api.py`` defines ``router = Router(tags=[...])``; ``xieshang/api.py`` mounts them
all under /api/ with the authentication below. Inside an operation call ``actor(request)`` to
get the Actor (user + committee + roles), exactly as pages use ``request.actor``; services raise
PermissionDenied / ValidationError / Http404, which the API turns into
``{"code": ..., "message": ...}`` with a Chinese message.

The committee an API call acts in: the ``X-Committee`` header (a committee code), else the
``committee`` query parameter, else the user's first committee.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Schema
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from xieshang.core.middleware import client_ip
from xieshang.core.models import ApiToken, User
from xieshang.core.permissions import Actor, actor_for, committees_for_user


class ErrorOut(Schema):
    code: str
    message: str


class ApiError(Exception):
    """Raise inside an operation for a clear error: ApiError("conflict", _("…"), 409)."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.status = status


class TokenAuth(HttpBearer):
    """``Authorization: Bearer xs_…`` with a token issued on the "API tokens" page."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        row = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash_key(token), revoked_at__isnull=True)
            .first()
        )
        if row is None or not row.user.is_active:
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        return row.user


class SessionCsrfAuth(SessionAuth):
    """The browser session (with Django's CSRF check on unsafe methods)."""


AUTH: list[Any] = [TokenAuth(), SessionCsrfAuth()]


def actor(request: HttpRequest) -> Actor:
    """The Actor of an authenticated API request (cached on the request)."""
    cached = getattr(request, "_api_actor", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    user = request.auth if isinstance(getattr(request, "auth", None), User) else request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise ApiError("unauthorized", "请先登录。", 401)
    committees = committees_for_user(user)
    wanted = request.headers.get("X-Committee") or request.GET.get("committee")
    if wanted:
        committee = next((c for c in committees if c.code == wanted), None)
        if committee is None:
            raise ApiError("not_found", "未找到该政协，或您在该政协没有角色。", 404)
    else:
        committee = committees[0] if committees else None
    result = actor_for(user, committee, client_ip(request))
    request._api_actor = result  # type: ignore[attr-defined]
    return result


__all__ = ["AUTH", "ApiError", "APIKeyHeader", "ErrorOut", "TokenAuth", "actor"]
