"""The request type views receive: ``request.actor`` is set by ActingCommitteeMiddleware."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from xieshang.core.models import Committee, User
    from xieshang.core.permissions import Actor


class XRequest(HttpRequest):
    actor: Actor
    committees: list[Committee]
    htmx: HtmxDetails
    user: User
