"""Who may see and change members, sectors, special committees and handling units."""

from __future__ import annotations

from xieshang.core.models import Role
from xieshang.core.permissions import Actor
from xieshang.members.models import Member

ORGANISATION_EDITORS = (Role.ADMIN, Role.STAFF_OFFICE)


def can_view_directory(actor: Actor) -> bool:
    return actor.committee is not None and bool(actor.roles)


def can_view_member(actor: Actor, member: Member) -> bool:
    """Personal data of a member: the member themselves, office staff, leaders and admins."""
    if member.committee_id != getattr(actor.committee, "id", None):
        return False
    return (
        actor.member_id == member.id or actor.is_staff or actor.has(Role.LEADER, Role.ADMIN)
    )


def can_see_full_id_number(actor: Actor) -> bool:
    """The unmasked ID number is needed only by the office that keeps the roster."""
    return actor.has(*ORGANISATION_EDITORS)


def can_edit_organisation(actor: Actor) -> bool:
    """Create and change members, sectors, special committees, groups and units; import rosters."""
    return actor.has(*ORGANISATION_EDITORS)
