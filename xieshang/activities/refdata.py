"""Activity types, kept by the office on the 基础数据 pages (core.refdata)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from xieshang.activities.models import ActivityType
from xieshang.activities.permissions import can_configure_types
from xieshang.core.models import Committee
from xieshang.core.permissions import Actor
from xieshang.core.refdata import RefKind


def _create_type(*, actor: Actor, committee: Committee, **values: Any) -> ActivityType:
    """A type of the committee's own: its code (used in duty rules) is ``own-<n>``."""
    from xieshang.core import audit

    taken = set(ActivityType.objects.filter(committee=committee).values_list("code", flat=True))
    n = 1
    while f"own-{n}" in taken:
        n += 1
    row = ActivityType(committee=committee, code=f"own-{n}", **values)
    row.full_clean()
    row.save()
    audit.record(actor, "activity-types.create", row, after=audit.snapshot(row))
    return row


KINDS = [
    RefKind("activity-types", ActivityType, _("Activity types"),
            ("label", "category", "counts_for_duty", "points", "order", "is_active"),
            ("label", "category", "counts_for_duty", "points", "is_active"),
            can_configure_types, order=70, ordering=("order", "id"), create=_create_type,
            help_text=_("What each kind of activity is called, which part of the work report "
                        "it counts in, and whether attending it counts in duty records.")),
]
