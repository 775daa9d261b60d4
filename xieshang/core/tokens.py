"""API tokens: each user issues and revokes their own, for scripts and other systems.

A token acts as its user (with the roles the user holds at the time of each call), so revoking
a role takes effect at once. Only a hash is stored; the key is shown once, when it is issued.
Every token ends: at its expiry (at most ``XIESHANG_API_TOKEN_DAYS``, 90 by default), when its
user or an administrator of the user's committees revokes it, and when a security action ends
the user's sessions (:func:`revoke_all`). While the account is locked or disabled no token
works (``apiutils.TokenAuth``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from xieshang.core import audit, clock
from xieshang.core.models import ApiToken, User
from xieshang.core.permissions import Actor, can_manage_account, require

MAX_ACTIVE_TOKENS = 20
NAME_MAX_LENGTH = 100


def max_days() -> int:
    return max(1, int(getattr(settings, "XIESHANG_API_TOKEN_DAYS", 90)))


def can_manage_token(actor: Actor, token: ApiToken) -> bool:
    """A token is managed by its own user, and revoked by an administrator who may manage the
    user's account (``core.permissions.can_manage_account``)."""
    if actor.user is not None and token.user_id == actor.user.pk:
        return True
    return can_manage_account(actor, token.user)


def token_list(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at", "-id")


def token_get_or_404(actor: Actor, user: User, pk: int) -> ApiToken:
    """One token of ``user`` that the actor may revoke; anything else is "not found"."""
    token = ApiToken.objects.filter(pk=pk, user=user).first()
    if token is None or not can_manage_token(actor, token):
        raise Http404(_("Not found."))
    return token


def token_get_own_or_404(actor: Actor, pk: int) -> ApiToken:
    """One of the actor's tokens; anybody else's is "not found", never "forbidden"."""
    token = ApiToken.objects.filter(pk=pk).first()
    if token is None or actor.user is None or token.user_id != actor.user.pk:
        raise Http404(_("Not found."))
    return token


@transaction.atomic
def token_issue(*, actor: Actor, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """A new token for the actor's own account, valid ``days`` (at most :func:`max_days`);
    returns the row and the key (shown once)."""
    user = actor.user
    require(user is not None and user.is_active)
    assert user is not None
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the script that uses it.")})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError({"name": _("At most %(n)s characters.") % {"n": NAME_MAX_LENGTH}})
    days = max_days() if days is None else days
    if not 1 <= days <= max_days():
        raise ValidationError({"days": _("A token is valid for 1 to %(n)s days.")
                               % {"n": max_days()}})
    # Lock the user row so that two requests at once cannot both pass the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    active = ApiToken.objects.filter(user=user, revoked_at__isnull=True,
                                     expires_at__gt=clock.now())
    if active.count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(_("You already have %(n)s active tokens: revoke one you no longer "
                                "use first.") % {"n": MAX_ACTIVE_TOKENS})
    if active.filter(name=name).exists():
        raise ValidationError({"name": _("You already have an active token with this name.")})
    token, key = ApiToken.issue(user, name, days)
    audit.record(actor, "api_token.issue", token, after={
        "name": name, "prefix": token.prefix, "expires_at": token.expires_at})
    return token, key


@transaction.atomic
def token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Stop the token working at once; the row stays, so the audit log keeps its meaning."""
    require(can_manage_token(actor, token))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    own = actor.user is not None and token.user_id == actor.user.pk
    token.revoked_at = clock.now()
    token.revoked_reason = ApiToken.Revoked.USER if own else ApiToken.Revoked.ADMIN
    token.save(update_fields=["revoked_at", "revoked_reason"])
    audit.record(actor, "api_token.revoke", token, after={
        "name": token.name, "prefix": token.prefix, "reason": token.revoked_reason})
    return token


def revoke_all(*, actor: Actor, user: User, reason: str) -> int:
    """Revoke every token of ``user`` still in force: called inside the transaction of each
    security action (password changed or reset, log out everywhere by the user or an admin,
    second factor reset, account disabled), so none outlives it. Returns how many."""
    live = ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True,
                                                       expires_at__gt=clock.now())
    names = list(live.values_list("prefix", flat=True))
    if not names:
        return 0
    live.update(revoked_at=clock.now(), revoked_reason=reason)
    audit.record(actor, "api_token.revoke_all", user, after={"tokens": names,
                                                             "reason": reason})
    return len(names)
