"""Logins, logouts and failed logins go to the audit log (等保: security events are recorded)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from xieshang.core import audit
from xieshang.core.auth_backends import find_user
from xieshang.core.middleware import ACCOUNT_FLAGS_KEY, account_flags, client_ip
from xieshang.core.permissions import Actor


def _ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None

    return client_ip(request)


@receiver(user_logged_in)
def on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit.record(Actor(user=user, committee=None, ip=_ip(request)), "auth.login", user)
    session = getattr(request, "session", None)
    if session is None:
        return
    session[ACCOUNT_FLAGS_KEY] = account_flags(user)
    if session.session_key is None:
        session.save()
    # The latest login's session: with SINGLE_SESSION the older ones end at their next request.
    user.current_session_key = session.session_key or ""
    type(user).objects.filter(pk=user.pk).update(current_session_key=user.current_session_key)


@receiver(user_logged_out)
def on_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(Actor(user=user, committee=None, ip=_ip(request)), "auth.logout", user)


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None,
                    **kwargs: Any) -> None:
    identifier = str(credentials.get("username", ""))[:64]
    user = find_user(identifier)
    audit.record(Actor(user=None, committee=None, ip=_ip(request)), "auth.login_failed", user,
                 after={"identifier": identifier, "locked": bool(user and user.is_locked())})
