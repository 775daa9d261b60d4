from __future__ import annotations

from xieshang.core.models import Role
from xieshang.core.permissions import Actor


def can_view(actor: Actor) -> bool:
    """Statistics and the work-report draft: office staff, leaders and admins."""
    return actor.committee is not None and (actor.is_staff or actor.has(Role.LEADER,
                                                                           Role.ADMIN))
