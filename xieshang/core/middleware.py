from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from xieshang.core import audit, clock, mfa
from xieshang.core.models import Committee
from xieshang.core.permissions import Actor, acting

SESSION_KEY = "xieshang_committee_id"
# Set when the second factor was checked in this session (an ISO timestamp).
MFA_VERIFIED_KEY = "xieshang_mfa_at"
# Facts about the account computed once per login: {"privileged": bool, "mfa_required": bool}.
ACCOUNT_FLAGS_KEY = "xieshang_account"
# When the session was last written (seconds since the epoch), and how often an unchanged
# session is written again to push its idle expiry forward.
SESSION_TOUCHED_KEY = "xieshang_touched"
SESSION_REFRESH_SECONDS = 60


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
    chosen = request.session.get(SESSION_KEY)

    def choose(committees: list[Committee]) -> Committee | None:
        found = next((c for c in committees if c.id == chosen), None)
        return found if found is not None or not committees else committees[0]

    result, committees = acting(user, choose, client_ip(request))
    request.committees = committees  # type: ignore[attr-defined]
    return result


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


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's session middleware, writing the session only when it changed or when its last
    write is a minute old (instead of SESSION_SAVE_EVERY_REQUEST's write on every request).

    The idle timeout stays: every write sets the expiry SESSION_COOKIE_AGE ahead, and a user
    who keeps clicking gets a write at least once a minute, so an idle session ends between
    SESSION_COOKIE_AGE - 60 s and SESSION_COOKIE_AGE after its last request.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session = getattr(request, "session", None)
        # Only a session that was read (every logged-in request reads it) and holds something:
        # touching an anonymous visitor's empty session would create one.
        if session is not None and session.accessed and not session.is_empty():
            now = int(clock.timestamp())
            touched = session.get(SESSION_TOUCHED_KEY)
            if (session.modified or not isinstance(touched, int)
                    or not 0 <= now - touched < SESSION_REFRESH_SECONDS):
                session[SESSION_TOUCHED_KEY] = now  # marks it modified: saved below
        return super().process_response(request, response)


def account_flags(user: object) -> dict[str, bool]:
    return {"privileged": mfa.is_privileged(user),  # type: ignore[arg-type]
            "mfa_required": mfa.mfa_required_for(user)}  # type: ignore[arg-type]


def password_expired(user: object, privileged: bool) -> bool:
    days = settings.STAFF_PASSWORD_MAX_AGE_DAYS if privileged else settings.PASSWORD_MAX_AGE_DAYS
    changed = getattr(user, "password_changed_at", None)
    return bool(days) and changed is not None and changed + dt.timedelta(days=days) < clock.now()


class AccountSecurityMiddleware:
    """Session rules of 等保 身份鉴别, checked on every request of a logged-in user.

    - single active session (SINGLE_SESSION): a session that is not the account's latest ends;
    - a session of an account with a second factor that never passed the code step ends (so
      the step cannot be skipped by a login elsewhere, e.g. the Django admin's own form);
    - an account that must use a second factor and has none is sent to set one up;
    - an expired password must be changed before anything else.
    Idle sessions end by themselves: SESSION_COOKIE_AGE, refreshed at most once a minute
    (:class:`SessionMiddleware`).
    """

    EXEMPT_PREFIXES = ("/static/", "/media/", "/i18n/", "/logout/", "/login/", "/sw.js",
                       "/manifest.webmanifest", "/offline/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        session = request.session
        if (settings.SINGLE_SESSION and user.current_session_key
                and session.session_key != user.current_session_key):
            audit.record(Actor(user=user, committee=None, ip=client_ip(request)),
                         "auth.session_superseded", user)
            logout(request)
            messages.warning(request, _("You have been logged out because your account logged "
                                        "in somewhere else."))
            return redirect("login")
        if user.has_totp and not session.get(MFA_VERIFIED_KEY):
            logout(request)
            return redirect("login")
        path = request.path_info
        if path.startswith(self.EXEMPT_PREFIXES):
            return self.get_response(request)
        flags = session.get(ACCOUNT_FLAGS_KEY)
        if flags is None:
            flags = session[ACCOUNT_FLAGS_KEY] = account_flags(user)
        setup, change = reverse("mfa-setup"), reverse("password_change")
        if flags.get("mfa_required") and not user.has_totp and path != setup:
            messages.warning(request, _("Your account must use a second factor: set up an "
                                        "authenticator app to continue."))
            return redirect(setup)
        if (path not in (change, reverse("password_change_done"), setup)
                and password_expired(user, bool(flags.get("privileged")))):
            messages.warning(request, _("Your password has expired: choose a new one to "
                                        "continue."))
            return redirect(change)
        return self.get_response(request)
