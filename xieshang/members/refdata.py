"""The members area's reference data, kept by the office on the 基础数据 pages (core.refdata)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from xieshang.core import clock
from xieshang.core.permissions import Actor
from xieshang.core.refdata import RefKind
from xieshang.members import services
from xieshang.members.models import (
    ActivityGroup,
    CollectiveBody,
    Position,
    Sector,
    SpecialCommittee,
)
from xieshang.members.permissions import can_edit_organisation


def _update_special_committee(*, actor: Actor, row: SpecialCommittee, **values: Any
                              ) -> SpecialCommittee:
    """A new name goes through special_committee_rename, which keeps the former name in the
    committee's history; the other fields change as written."""
    from xieshang.core.refdata import kind, update_fields

    name = values.pop("name", row.name)
    if name != row.name:
        row = services.special_committee_rename(actor=actor, special_committee=row, name=name,
                                                on=clock.today())
    this = kind("special-committees")
    assert this is not None
    return update_fields(actor=actor, kind=this, row=row,  # type: ignore[return-value]
                         values=values)


KINDS = [
    RefKind("sectors", Sector, _("Sectors"), ("name", "code", "order", "is_active"),
            ("name", "order", "is_active"), can_edit_organisation, order=10,
            ordering=("order", "id"),
            help_text=_("The sectors (界别) members represent, in the roster's order.")),
    RefKind("special-committees", SpecialCommittee, _("Special committees"),
            ("name", "term", "established_on", "dissolved_on", "duties"),
            ("name", "term", "established_on", "dissolved_on"), can_edit_organisation,
            order=20, ordering=("established_on", "id"),
            retired=lambda row: row.dissolved_on is not None,
            update=_update_special_committee,
            help_text=_("A new name keeps the former one in the committee's history; a "
                        "committee that is wound up gets its dissolution date.")),
    RefKind("activity-groups", ActivityGroup, _("Activity groups"), ("name", "kind", "term"),
            ("name", "kind", "term"), can_edit_organisation, order=30, ordering=("name",),
            retired=lambda row: False),
    RefKind("collective-bodies", CollectiveBody, _("Collective bodies"),
            ("name", "kind", "contact_name", "contact_phone", "address",
             "special_committee"),
            ("name", "kind", "contact_name"), can_edit_organisation, order=40,
            ordering=("kind", "name"), retired=lambda row: False,
            help_text=_("Parties, people's organisations and groups that submit proposals in "
                        "their own name.")),
    RefKind("positions", Position, _("Leadership positions"),
            ("member", "term", "kind", "start_date", "end_date"),
            ("member", "kind", "term", "start_date", "end_date"), can_edit_organisation,
            order=50, ordering=("term", "kind", "start_date"),
            retired=lambda row: row.end_date is not None),
]
