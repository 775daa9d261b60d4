"""Who may do what in the core app, and the Actor every check is made against."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
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
    def insider(self) -> bool:
        """Holds a role of the committee's inside (member, staff, unit, leader …): an invited
        correspondent alone is not (no directory, no proposals, no members-only pages)."""
        return self.system or bool(self.roles - {Role.CORRESPONDENT})

    @property
    def is_staff(self) -> bool:
        return self.has(*STAFF_ROLES, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.has(Role.ADMIN)

    @property
    def is_unit(self) -> bool:
        return self.has(*UNIT_ROLES)

    def acts_in(self, obj: object) -> bool:
        """The row belongs to the committee the actor is acting in (a Committee counts too)."""
        if self.committee is None:
            return False
        committee_id = obj.pk if isinstance(obj, Committee) else getattr(obj, "committee_id", None)
        return committee_id is not None and committee_id == self.committee.pk

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


def active_roles(**where: object) -> QuerySet[RoleAssignment]:
    """Active roles in active committees, each with its committee, in the order of
    :func:`committees_for_user` (then by role): the rows :func:`acting` reads."""
    return (RoleAssignment.objects.filter(is_active=True, committee__is_active=True, **where)
            .select_related("committee")
            .order_by("committee__path", "committee_id", "role", "pk"))


def acting(user: User, choose: Callable[[list[Committee]], Committee | None],
           ip: str | None = None, rows: list[RoleAssignment] | None = None,
           ) -> tuple[Actor, list[Committee]]:
    """The Actor of ``user`` in the committee ``choose`` picks among their committees, and those
    committees: what :func:`committees_for_user` then :func:`actor_for` answer, in one query
    (the user's :func:`active_roles`) instead of three, or none when the caller read ``rows``
    (the user's :func:`active_roles`) in this request already. Nothing is kept between
    requests: a role revoked or a committee closed counts at once."""
    if not user.is_authenticated:
        return Actor(user=None, committee=None, ip=ip), []
    if rows is None:
        rows = list(active_roles(user=user))
    committees: dict[int, Committee] = {}
    for r in rows:
        committees.setdefault(r.committee_id, r.committee)
    listed = list(committees.values())
    committee = choose(listed)
    mine = [r for r in rows if committee is not None and r.committee_id == committee.pk]
    if committee is None or not mine:
        return Actor(user=user, committee=None, ip=ip), listed
    return Actor(
        user=user,
        committee=committees[committee.pk],
        roles=frozenset(r.role for r in mine),
        unit_ids=frozenset(r.unit_id for r in mine if r.unit_id),
        member_id=next((r.member_id for r in mine if r.member_id), None),
        body_ids=frozenset(r.body_id for r in mine if r.body_id),
        ip=ip,
    ), listed


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
    """Lists of members, sectors, special committees and units: everyone with an inside role
    here (not an invited correspondent)."""
    return actor.committee is not None and actor.insider


# --- administration pages (core/admin_views.py) -----------------------------

def can_manage_users(actor: Actor) -> bool:
    """See the accounts holding roles here; create accounts; grant and revoke roles here."""
    return actor.is_admin and actor.committee is not None


def user_belongs_here(actor: Actor, user: User) -> bool:
    """The user holds (or held) a role in the actor's committee: only such users are visible."""
    if actor.committee is None:
        return False
    return RoleAssignment.objects.filter(user=user, committee=actor.committee).exists()


def can_manage_account(actor: Actor, user: User) -> bool:
    """Account-wide actions (password, unlock, log out everywhere, name and phone).

    They change the login in every committee the user works in, so an admin may take them only
    when each committee where the user holds an active role is the admin's own or below it: a
    county admin cannot reset the password of someone who is also an admin of the city. Site
    superusers are handled in the Django admin only.
    """
    if not can_manage_users(actor) or actor.committee is None or user.is_superuser:
        return False
    if not user_belongs_here(actor, user):
        return False
    prefix = actor.committee.path
    paths = RoleAssignment.objects.filter(user=user, is_active=True).values_list(
        "committee__path", flat=True)
    return all(p.startswith(prefix) for p in paths)


def can_grant_role(actor: Actor, committee: Committee, role: str) -> bool:
    """Roles are granted by an admin of that committee; the admin role only by an admin too."""
    if actor.system:
        return True
    if not actor.acts_in(committee):
        return False
    if role == Role.ADMIN:
        return actor.is_admin
    return can_manage_users(actor)


def can_view_sub_committee_audit(actor: Actor) -> bool:
    """A province or city admin may read the audit log of the committees below it."""
    return (can_view_audit_log(actor) and actor.committee is not None
            and actor.committee.level in (Committee.Level.NATIONAL, Committee.Level.PROVINCE,
                                          Committee.Level.CITY))


def can_manage_national_calendar(actor: Actor) -> bool:
    """National holidays (the State Council's yearly list) apply to every committee.

    They may be entered by a site superuser or by an admin of a national or provincial
    committee (one install usually serves a whole province, whose office enters the list each
    November or December); city and county admins add only their own local days.
    """
    if actor.system:
        return True
    if actor.user is not None and actor.user.is_superuser:
        return True
    return (actor.is_admin and actor.committee is not None
            and actor.committee.level in (Committee.Level.NATIONAL, Committee.Level.PROVINCE))


def can_open_administration(actor: Actor) -> bool:
    """The "系统管理" pages: the committee's admins."""
    return actor.is_admin and actor.committee is not None


def can_view_schedule(actor: Actor) -> bool:
    """The timetable of scheduled jobs and how their last runs went: the committee's admins."""
    return actor.is_admin and actor.committee is not None
