"""The lifecycle of a yearly self-report (述职) as a table.

``TRANSITIONS[(from_status, action)] = (to_status, who)``; ``who`` names a rule in
``permissions``. ``transition`` checks the table and the actor, locks the row, saves with
``update_fields``, appends a ``SelfReportEvent`` and an audit row (inside the caller's
transaction).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieshang.core import audit
from xieshang.core.permissions import Actor
from xieshang.duties import permissions
from xieshang.duties.models import SelfReport, SelfReportEvent

S = SelfReport.Status

TRANSITIONS: dict[tuple[str, str], tuple[str, str]] = {
    (S.DRAFT, "submit"): (S.SUBMITTED, "author"),
    (S.RETURNED, "submit"): (S.SUBMITTED, "author"),
    (S.SUBMITTED, "return"): (S.RETURNED, "reviewer"),
    (S.SUBMITTED, "accept"): (S.ACCEPTED, "reviewer"),
    (S.ACCEPTED, "return"): (S.RETURNED, "reviewer"),
}

ACTION_LABELS = {
    "submit": gettext_lazy("Submit"),
    "return": gettext_lazy("Return for revision"),
    "accept": gettext_lazy("Accept"),
}

RULES: dict[str, Callable[[Actor, SelfReport], bool]] = {
    "author": permissions.is_self_report_author,
    "reviewer": permissions.can_decide_self_report,
}


def allowed(actor: Actor, report: SelfReport) -> list[str]:
    """The actions the table lets ``actor`` take on ``report`` now (what the UI shows)."""
    return [action for (src, action), (_to, who) in TRANSITIONS.items()
            if src == report.status and RULES[who](actor, report)]


def transition(actor: Actor, report: SelfReport, action: str, *, note: str = "",
               fields: dict[str, Any] | None = None) -> SelfReport:
    locked = SelfReport.objects.select_for_update().get(pk=report.pk)
    key = (locked.status, action)
    if key not in TRANSITIONS:
        raise ValidationError(_("This cannot be done now (status: %(s)s).")
                              % {"s": locked.get_status_display()})
    to, who = TRANSITIONS[key]
    if not RULES[who](actor, locked):
        raise PermissionDenied(_("You are not allowed to do this."))
    before = locked.status
    locked.status = to
    changed = ["status", "updated_at"]
    for name, value in (fields or {}).items():
        setattr(locked, name, value)
        changed.append(name)
    locked.save(update_fields=changed)
    SelfReportEvent.objects.create(
        committee_id=locked.committee_id, report=locked, action=action, from_status=before,
        to_status=to, note=note[:500], actor=actor.user, actor_name=str(actor.user or "system"))
    audit.record(actor, f"duty.self_report_{action}", locked, before={"status": before},
                 after={"status": to, "note": note})
    return locked
