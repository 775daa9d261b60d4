"""Who may do what in the core app, and the Actor every check is made against."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from xieshang.core.models import STAFF_ROLES, UNIT_ROLES, Committee, Role, RoleAssignment, User


@dataclass(frozen=True)
class Actor:
    """A user acting in one committee, with the roles they hold there."""

    user: User | None
    committee: Committee | None
    roles: frozenset[str] = frozenset()
    unit_ids: frozenset[int] = frozenset()
    member_id: int | None = None
    body_ids: frozenset[int] = frozenset()
    ip: str | None = None
    system: bool = field(default=False)

    def has(self, *roles: str) -> bool:
        return self.system or bool(self.roles.intersection(roles))

    @property
    def is_staff(self) -> bool:
        return self.has(*STAFF_ROLES, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.has(Role.ADMIN)

    @property
    def is_unit(self) -> bool:
        return self.has(*UNIT_ROLES)

    @classmethod
    def for_system(cls, committee: Committee | None) -> Actor:
        """The platform itself (demo loader, scheduled tasks), audited as "system"."""
        return cls(user=None, committee=committee, roles=frozenset(Role.values), system=True)


def committees_for_user(user: User) -> list[Committee]:
    if not user.is_authenticated:
        return []
    ids = (
        RoleAssignment.objects.filter(user=user, is_active=True)
        .values_list("committee_id", flat=True)
        .distinct()
    )
    return list(Committee.objects.filter(id__in=ids, is_active=True).order_by("path"))


def actor_for(user: User, committee: Committee | None, ip: str | None = None) -> Actor:
    if committee is None or not user.is_authenticated:
        return Actor(user=user if user.is_authenticated else None, committee=None, ip=ip)
    rows = list(
        RoleAssignment.objects.filter(user=user, committee=committee, is_active=True).values_list(
            "role", "unit_id", "member_id", "body_id"
        )
    )
    if not rows:
        return Actor(user=user, committee=None, ip=ip)
    return Actor(
        user=user,
        committee=committee,
        roles=frozenset(r[0] for r in rows),
        unit_ids=frozenset(r[1] for r in rows if r[1]),
        member_id=next((r[2] for r in rows if r[2]), None),
        body_ids=frozenset(r[3] for r in rows if r[3]),
        ip=ip,
    )


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("You are not allowed to do this."))


def require_roles(actor: Actor, roles: Iterable[str]) -> None:
    require(actor.has(*roles))


# --- core rules -----------------------------------------------------------

def can_view_audit_log(actor: Actor) -> bool:
    return actor.is_admin


def can_manage_reference_data(actor: Actor) -> bool:
    """Terms, sessions, calendar days, policy of the committee."""
    return actor.is_admin


def can_view_directory(actor: Actor) -> bool:
    """Lists of members, sectors, special committees and units: everyone with a role here."""
    return actor.committee is not None
