"""The lifecycles of this app as tables: an invitation's reply and leave, a ledger item.

``TRANSITIONS[(from_status, action)] = (to_status, who)``; ``who`` names a rule in
``permissions`` (checked by ``allowed``). ``transition`` checks the table and the actor, locks
the row, saves with ``update_fields``, appends a ``WorkflowEvent`` and an audit row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieshang.activities import permissions
from xieshang.activities.models import Invitation, Suggestion, WorkflowEvent
from xieshang.core import audit
from xieshang.core.permissions import Actor

I = Invitation.Status  # noqa: E741 - short names keep the tables readable
S = Suggestion.Status

INVITATION_TRANSITIONS: dict[tuple[str, str], tuple[str, str]] = {
    (I.INVITED, "confirm"): (I.CONFIRMED, "member"),
    (I.INVITED, "request_leave"): (I.LEAVE_REQUESTED, "member"),
    (I.CONFIRMED, "request_leave"): (I.LEAVE_REQUESTED, "member"),
    (I.LEAVE_REFUSED, "confirm"): (I.CONFIRMED, "member"),
    (I.LEAVE_REQUESTED, "approve_leave"): (I.LEAVE_APPROVED, "staff"),
    (I.LEAVE_REQUESTED, "refuse_leave"): (I.LEAVE_REFUSED, "staff"),
}

SUGGESTION_TRANSITIONS: dict[tuple[str, str], tuple[str, str]] = {
    (S.RECORDED, "send"): (S.SENT, "staff"),
    (S.SENT, "answer"): (S.ANSWERED, "answerer"),
    (S.ANSWERED, "assess"): (S.CLOSED, "staff"),
}

ACTION_LABELS = {
    "confirm": gettext_lazy("Confirm attendance"),
    "request_leave": gettext_lazy("Ask for leave"),
    "approve_leave": gettext_lazy("Approve leave"),
    "refuse_leave": gettext_lazy("Refuse leave"),
    "send": gettext_lazy("Send"),
    "answer": gettext_lazy("Record feedback"),
    "assess": gettext_lazy("Assess adoption"),
}

RULES: dict[str, Callable[[Actor, Any], bool]] = {
    "member": permissions.can_reply,
    "staff": lambda a, o: (permissions.can_decide_leave(a, o) if isinstance(o, Invitation)
                           else permissions.can_keep_ledger(a) and a.acts_in(o)),
    "answerer": permissions.can_answer_suggestion,
}


def table_for(obj: models.Model) -> dict[tuple[str, str], tuple[str, str]]:
    return INVITATION_TRANSITIONS if isinstance(obj, Invitation) else SUGGESTION_TRANSITIONS


def allowed(actor: Actor, obj: Invitation | Suggestion) -> list[str]:
    """The actions the table lets ``actor`` take on ``obj`` now (what the UI shows)."""
    return [action for (src, action), (_to, who) in table_for(obj).items()
            if src == obj.status and RULES[who](actor, obj)]


def transition[T: (Invitation, Suggestion)](
    actor: Actor, obj: T, action: str, *, note: str = "", fields: dict[str, Any] | None = None,
) -> T:
    """Apply ``action`` to ``obj`` (inside the caller's transaction)."""
    table = table_for(obj)
    model = type(obj)
    locked = model._default_manager.select_for_update().get(pk=obj.pk)
    key = (locked.status, action)
    if key not in table:
        raise ValidationError(_("This cannot be done now (status: %(s)s).")
                              % {"s": locked.get_status_display()})
    to, who = table[key]
    if not RULES[who](actor, locked):
        raise PermissionDenied(_("You are not allowed to do this."))
    before = locked.status
    locked.status = to
    changed = ["status"]
    for name, value in (fields or {}).items():
        setattr(locked, name, value)
        changed.append(name)
    locked.save(update_fields=changed)
    WorkflowEvent.objects.create(
        committee_id=locked.committee_id, action=action, from_status=before, to_status=to,
        note=note, actor=actor.user, actor_name=str(actor.user or "system"),
        **({"invitation": locked} if isinstance(locked, Invitation) else {"suggestion": locked}),
    )
    audit.record(actor, f"{model._meta.model_name}.{action}", locked,
                 before={"status": before}, after={"status": to, **(fields or {})})
    return locked
