"""Who may do what with search and the committee's user dictionary."""

from __future__ import annotations

from xieshang.core.models import Role
from xieshang.core.permissions import Actor


def can_edit_dictionary(actor: Actor) -> bool:
    """Office staff and administrators of the committee keep its own terms."""
    return actor.committee is not None and (actor.is_staff or actor.has(Role.ADMIN))
