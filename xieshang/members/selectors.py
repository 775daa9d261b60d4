from __future__ import annotations

from django.db.models import Q, QuerySet

from xieshang.core import crypto
from xieshang.core.http import as_id
from xieshang.core.models import Role
from xieshang.core.permissions import Actor
from xieshang.core.tenancy import scoped
from xieshang.members import permissions
from xieshang.members.models import HandlingUnit, Member

# --- who may open what (the one definition per kind; pages, API, search fetch through it) ----

def visible(actor: Actor) -> QuerySet[Member]:
    """Members whose own record (personal data, duty record) the actor may open: their own;
    every member of the committee for office staff, leaders and admins. (The directory, a
    list of names, is a different read: ``member_list``.)"""
    qs = scoped(actor, Member)
    if actor.committee is None:
        return qs.none()
    if actor.is_staff or actor.has(Role.LEADER, Role.ADMIN):
        return qs
    return qs.filter(pk=actor.member_id) if actor.member_id is not None else qs.none()


def visible_units(actor: Actor) -> QuerySet[HandlingUnit]:
    """Handling units: the active ones for everyone holding a role here (the directory); also
    the switched-off ones for the office that keeps the list."""
    qs = scoped(actor, HandlingUnit)
    if not permissions.can_view_directory(actor):
        return qs.none()
    return qs if permissions.can_edit_organisation(actor) else qs.filter(is_active=True)


def member_list(actor: Actor, *, q: str = "", sector: str = "", status: str = "active",
                standing: bool | None = None) -> QuerySet[Member]:
    qs = scoped(actor, Member).select_related("sector")
    if status:
        qs = qs.filter(status=status)
    if sector:
        sector_id = as_id(sector)
        qs = qs.filter(sector_id=sector_id) if sector_id is not None else qs.none()
    if standing is not None:
        qs = qs.filter(is_standing=standing)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(workplace__contains=q) | Q(party__contains=q))
    return qs.order_by("sector__order", "name", "id")


def unit_list(actor: Actor, *, q: str = "", kind: str = "") -> QuerySet[HandlingUnit]:
    qs = visible_units(actor).filter(is_active=True)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(short_name__contains=q))
    return qs.order_by("order", "name")


def unit_list_for_office(actor: Actor, *, q: str = "", kind: str = "",
                         include_inactive: bool = False) -> QuerySet[HandlingUnit]:
    """The unit list as the office sees it: optionally with the units switched off."""
    qs = visible_units(actor)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(short_name__contains=q))
    return qs.order_by("-is_active", "order", "name")


def members_with_identity(actor: Actor, *, id_number: str = "", phone: str = "",
                          exclude_pk: int | None = None) -> QuerySet[Member]:
    """Serving members of the actor's committee holding this ID number or mobile number."""
    if not id_number and not phone:
        return scoped(actor, Member).none()
    cond = Q()
    if id_number:
        cond |= Q(id_number_index__in=crypto.blind_index_candidates(id_number))
    if phone:
        cond |= Q(phone=phone)
    qs = scoped(actor, Member).filter(cond, status=Member.Status.ACTIVE)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.order_by("id")
