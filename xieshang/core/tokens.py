"""API tokens: each user issues and revokes their own, for scripts and other systems.

A token acts as its user (with the roles the user holds at the time of each call), so revoking
a role takes effect at once. Only a hash is stored; the key is shown once, when it is issued.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from xieshang.core import audit, clock
from xieshang.core.models import ApiToken, User
from xieshang.core.permissions import Actor, require

MAX_ACTIVE_TOKENS = 20
NAME_MAX_LENGTH = 100


def can_manage_token(actor: Actor, token: ApiToken) -> bool:
    """A token is managed by its own user only (an admin revokes access by revoking roles)."""
    return actor.user is not None and token.user_id == actor.user.pk


def token_list(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at", "-id")


def token_get_own_or_404(actor: Actor, pk: int) -> ApiToken:
    """One of the actor's tokens; anybody else's is "not found", never "forbidden"."""
    token = ApiToken.objects.filter(pk=pk).first()
    if token is None or not can_manage_token(actor, token):
        raise Http404(_("Not found."))
    return token


@transaction.atomic
def token_issue(*, actor: Actor, name: str) -> tuple[ApiToken, str]:
    """A new token for the actor's own account; returns the row and the key (shown once)."""
    user = actor.user
    require(user is not None and user.is_active)
    assert user is not None
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the script that uses it.")})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError({"name": _("At most %(n)s characters.") % {"n": NAME_MAX_LENGTH}})
    # Lock the user row so that two requests at once cannot both pass the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    active = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    if active.count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(_("You already have %(n)s active tokens: revoke one you no longer "
                                "use first.") % {"n": MAX_ACTIVE_TOKENS})
    if active.filter(name=name).exists():
        raise ValidationError({"name": _("You already have an active token with this name.")})
    token, key = ApiToken.issue(user, name)
    audit.record(actor, "api_token.issue", token, after={"name": name, "prefix": token.prefix})
    return token, key


@transaction.atomic
def token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Stop the token working at once; the row stays, so the audit log keeps its meaning."""
    require(can_manage_token(actor, token))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = clock.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor, "api_token.revoke", token, after={"name": token.name,
                                                          "prefix": token.prefix})
    return token
