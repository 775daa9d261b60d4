"""Members and handling units in the search (registered in MembersConfig.ready)."""

from __future__ import annotations

from django.urls import reverse

from xieshang.core.searchable import Document, register
from xieshang.members import selectors
from xieshang.members.models import HandlingUnit, Member


def member_document(member: Member) -> Document:
    return Document(
        title=member.name,
        body=" ".join(filter(None, [member.party, member.workplace,
                                    member.sector.name if member.sector else ""])),
        url=reverse("member-detail", args=[member.pk]), date=member.joined_on,
        facets={"status": member.status},
    )


def unit_document(unit: HandlingUnit) -> Document | None:
    if not unit.is_active:
        return None
    return Document(title=unit.name, body=f"{unit.short_name} {unit.keywords}",
                    url=reverse("unit-list") + f"?q={unit.name}", date=unit.created_at,
                    facets={"unit_kind": unit.kind})


def register_sources() -> None:
    register("member", Member, member_document, visible=selectors.visible,
             queryset=lambda: Member.objects.select_related("sector"))
    register("unit", HandlingUnit, unit_document, visible=selectors.visible_units)
