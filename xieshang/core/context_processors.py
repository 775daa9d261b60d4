from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from xieshang.core import crypto
from xieshang.core.navigation import navigation_for
from xieshang.core.notifications import unread_count


def shell(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", None)
    # A demo install says so on every page (it runs with the public demo keys).
    demo = crypto.is_demo_install() and crypto.uses_demo_secret_key()
    if actor is None or actor.user is None:
        return {"actor": actor, "committees": [], "nav": [], "unread_count": 0,
                "demo_install": demo}
    return {
        "demo_install": demo,
        "actor": actor,
        "committees": getattr(request, "committees", []),
        "nav": navigation_for(actor),
        "unread_count": unread_count(actor.user),
    }
