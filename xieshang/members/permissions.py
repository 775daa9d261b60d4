"""Who may see and change members, sectors, special committees and handling units."""

from __future__ import annotations

from xieshang.core.models import Role
from xieshang.core.permissions import Actor

ORGANISATION_EDITORS = (Role.ADMIN, Role.STAFF_OFFICE)


def can_view_directory(actor: Actor) -> bool:
    return actor.committee is not None and actor.insider


def can_see_full_id_number(actor: Actor) -> bool:
    """The unmasked ID number is needed only by the office that keeps the roster."""
    return actor.has(*ORGANISATION_EDITORS)


def can_edit_organisation(actor: Actor) -> bool:
    """Create and change members, sectors, special committees, groups and units; import rosters."""
    return actor.has(*ORGANISATION_EDITORS)
