from __future__ import annotations

from django.db.models import Q, QuerySet

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
