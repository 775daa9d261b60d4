from __future__ import annotations

from xieshang.core.models import Role
from xieshang.core.permissions import Actor

EDITORS = (Role.STAFF_OFFICE, Role.STAFF_COMMITTEE, Role.ADMIN)
REVIEWERS = (Role.STAFF_OFFICE, Role.ADMIN, Role.LEADER)


def can_edit(actor: Actor) -> bool:
    return actor.has(*EDITORS)


def can_review(actor: Actor) -> bool:
    return actor.has(*REVIEWERS)
