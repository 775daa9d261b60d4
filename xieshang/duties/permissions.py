"""Who may see duty records and scores, and change the rules."""

from __future__ import annotations

from xieshang.core import policy
from xieshang.core.models import Role
from xieshang.core.permissions import Actor
from xieshang.members.models import Member

policy.register("duty_rankings_public", False,
                "Members may see the ranking of all members' duty scores")


def has_own_record(actor: Actor) -> bool:
    return actor.member_id is not None


def can_view_all(actor: Actor) -> bool:
    """Rankings and other members' records: staff, leaders, admins — or everyone if published."""
    if actor.committee is None:
        return False
    if actor.is_staff or actor.has(Role.LEADER, Role.ADMIN):
        return True
    return bool(policy.get(actor.committee, "duty_rankings_public")) and bool(actor.roles)


def can_view_record(actor: Actor, member: Member) -> bool:
    if actor.committee is None or member.committee_id != actor.committee.id:
        return False
    return actor.member_id == member.id or actor.is_staff or actor.has(Role.LEADER, Role.ADMIN)


def can_manage(actor: Actor) -> bool:
    """Rule sets, manual items, recomputation, warning rules."""
    return actor.has(Role.ADMIN, Role.STAFF_OFFICE, Role.STAFF_COMMITTEE)
