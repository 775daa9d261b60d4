from __future__ import annotations

from xieshang.core.models import Role
from xieshang.core.permissions import Actor


def can_view(actor: Actor) -> bool:
    """Statistics and the work-report draft: office staff, leaders and admins."""
    return actor.committee is not None and (actor.is_staff or actor.has(Role.LEADER,
                                                                           Role.ADMIN))


def units_visible(actor: Actor) -> frozenset[int] | None:
    """The handling units whose performance the actor may see: None means every unit of the
    committee (office staff, leaders, admins); a unit's clerk or leader sees only their own
    unit; anyone else (members, the public) sees nothing, an empty set."""
    if can_view(actor):
        return None
    if actor.committee is not None and actor.has(Role.UNIT_CLERK, Role.UNIT_LEADER):
        return actor.unit_ids
    return frozenset()


def can_view_units(actor: Actor) -> bool:
    visible = units_visible(actor)
    return visible is None or bool(visible)
