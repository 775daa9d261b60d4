from __future__ import annotations

from django.db.models import Q, QuerySet

from xieshang.core import crypto
from xieshang.core.permissions import Actor
from xieshang.core.tenancy import scoped
from xieshang.members.models import HandlingUnit, Member


def member_list(actor: Actor, *, q: str = "", sector: str = "", status: str = "active",
                standing: bool | None = None) -> QuerySet[Member]:
    qs = scoped(actor, Member).select_related("sector")
    if status:
        qs = qs.filter(status=status)
    if sector:
        qs = qs.filter(sector_id=sector) if sector.isdigit() else qs.none()
    if standing is not None:
        qs = qs.filter(is_standing=standing)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(workplace__contains=q) | Q(party__contains=q))
    return qs.order_by("sector__order", "name", "id")


def unit_list(actor: Actor, *, q: str = "", kind: str = "") -> QuerySet[HandlingUnit]:
    qs = scoped(actor, HandlingUnit).filter(is_active=True)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(short_name__contains=q))
    return qs.order_by("order", "name")


def unit_list_for_office(actor: Actor, *, q: str = "", kind: str = "",
                         include_inactive: bool = False) -> QuerySet[HandlingUnit]:
    """The unit list as the office sees it: optionally with the units switched off."""
    qs = scoped(actor, HandlingUnit)
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
