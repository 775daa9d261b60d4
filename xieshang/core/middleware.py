from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from xieshang.core.permissions import Actor, actor_for, committees_for_user

SESSION_KEY = "xieshang_committee_id"


def client_ip(request: HttpRequest) -> str | None:
    if settings.XIESHANG_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def resolve_actor(request: HttpRequest) -> Actor:
    """The committee the user acts in: the one chosen in the header, else their first."""
    user = request.user
    if not user.is_authenticated:
        return Actor(user=None, committee=None, ip=client_ip(request))
    committees = committees_for_user(user)
    chosen = request.session.get(SESSION_KEY)
    committee = next((c for c in committees if c.id == chosen), None)
    if committee is None and committees:
        committee = committees[0]
    request.committees = committees  # type: ignore[attr-defined]
    return actor_for(user, committee, client_ip(request))


class ActingCommitteeMiddleware:
    """Sets ``request.actor`` (user + committee + roles) and the user's preferred language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.committees = []  # type: ignore[attr-defined]
        request.actor = resolve_actor(request)  # type: ignore[attr-defined]
        lang = getattr(request.user, "preferred_language", "")
        if lang and "django_language" not in request.COOKIES:
            translation.activate(lang)
            request.LANGUAGE_CODE = lang
        return self.get_response(request)
