"""One entry point for every workflow action with its inputs, shared by the page and the API.

``perform(actor, proposal, action, data)`` reads the inputs an action needs from a plain dict
(form fields or JSON), finds related rows within the actor's committee and calls the service.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from xieshang.core import clock
from xieshang.core.models import User
from xieshang.core.permissions import Actor
from xieshang.core.tenancy import scoped
from xieshang.members.models import HandlingUnit
from xieshang.proposals import services
from xieshang.proposals.models import Assignment, Proposal
from xieshang.proposals.permissions import RULES
from xieshang.proposals.workflow import ACTIONS, TRANSITIONS


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key, "")
    text = str(value).strip() if value is not None else ""
    if "\x00" in text:  # PostgreSQL cannot store it (a 500 after part of the work)
        raise ValidationError({key: _("Must not contain NUL characters.")})
    return text


def _int(data: Mapping[str, Any], key: str, required: bool = True) -> int | None:
    raw = data.get(key)
    if raw in (None, ""):
        if required:
            raise ValidationError({key: _("This field is required.")})
        return None
    try:
        return int(str(raw))
    except ValueError as exc:
        raise ValidationError({key: _("Enter a whole number.")}) from exc


def _ints(data: Any, key: str) -> list[int]:
    raw: Any = data.getlist(key) if hasattr(data, "getlist") else data.get(key) or []
    if isinstance(raw, str | int):
        raw = [raw]
    out = []
    for item in raw:
        for part in str(item).split(","):
            if part.strip():
                if not part.strip().isdigit():
                    raise ValidationError({key: _("Enter a whole number.")})
                out.append(int(part))
    return out


def _bool(data: Mapping[str, Any], key: str) -> bool | None:
    raw = data.get(key)
    if raw in (None, ""):
        return None
    return str(raw).lower() in {"1", "true", "yes", "on"}


def _date(data: Mapping[str, Any], key: str) -> dt.date:
    raw = _text(data, key)
    if not raw:
        return clock.today()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationError({key: _("Enter a date as YYYY-MM-DD.")}) from exc


def _row[T: Any](actor: Actor, model: type[T], pk: int | None, key: str, **extra: Any) -> T:
    row = scoped(actor, model).filter(pk=pk, **extra).first() if pk else None
    if row is None:
        raise ValidationError({key: _("No such record in this committee.")})
    return row


def perform(actor: Actor, proposal: Proposal, action: str, data: Any) -> Proposal:
    """Take ``action`` with the inputs in ``data`` (must include ``version``)."""
    if action not in ACTIONS:
        raise ValidationError(_("Unknown action."))
    # Whoever may not take the step is refused before their inputs are looked at (transition
    # checks again under the lock).
    step = TRANSITIONS.get((proposal.status, action))
    if step is not None and not RULES[step.who](actor, proposal):
        raise PermissionDenied(_("You are not allowed to do this."))
    version = _int(data, "version")
    args: dict[str, Any] = {"actor": actor, "proposal": proposal, "version": version}
    note = _text(data, "note")
    match action:
        case "submit" | "resubmit":
            return services.proposal_submit(**args, resubmit=action == "resubmit")
        case "withdraw":
            return services.proposal_withdraw(**args, note=note)
        case "start_review":
            return services.proposal_start_review(**args)
        case "pass_round":
            return services.proposal_pass_round(**args, note=note)
        case "file":
            return services.proposal_file(**args, note=note)
        case "not_file":
            return services.proposal_not_file(**args, reason=_text(data, "reason"),
                                              message=_text(data, "message"))
        case "convert":
            return services.proposal_convert(**args, target=_text(data, "target"),
                                             message=_text(data, "message"))
        case "merge":
            into = _row(actor, Proposal, _int(data, "into"), "into")
            return services.proposal_merge(**args, into=into, note=note)
        case "return":
            return services.proposal_return(**args, message=_text(data, "message"))
        case "assign":
            return services.proposal_assign(**args, kind=_text(data, "kind"),
                                            unit_ids=_ints(data, "unit_ids"),
                                            co_unit_ids=_ints(data, "co_unit_ids"),
                                            urgent=bool(_bool(data, "urgent")), note=note)
        case "sign":
            return services.assignment_sign(**args)
        case "request_return":
            return services.assignment_request_return(**args, reason=_text(data, "reason"))
        case "reassign":
            a = _row(actor, Assignment, _int(data, "assignment"), "assignment",
                     proposal=proposal)
            unit = _row(actor, HandlingUnit, _int(data, "unit"), "unit")
            return services.assignment_reassign(**args, assignment=a, unit=unit, note=note)
        case "refuse_return":
            a = _row(actor, Assignment, _int(data, "assignment"), "assignment",
                     proposal=proposal)
            return services.assignment_refuse_return(**args, assignment=a, note=note)
        case "extend":
            a = _row(actor, Assignment, _int(data, "assignment"), "assignment",
                     proposal=proposal)
            return services.assignment_extend(**args, assignment=a, note=note)
        case "record_contact" | "record_meeting":
            return services.contact_record(**args, date=_date(data, "date"),
                                           way=_text(data, "way"), notes=_text(data, "notes"))
        case "countersign":
            return services.countersign(**args, opinion=_text(data, "opinion"))
        case "draft_reply":
            return services.reply_draft(**args, result_class=_text(data, "result_class"),
                                        body=_text(data, "body"),
                                        contact_person=_text(data, "contact_person"),
                                        contact_phone=_text(data, "contact_phone"))
        case "approve":
            return services.reply_approve(**args, note=note)
        case "send_back":
            a = _row(actor, Assignment, _int(data, "assignment"), "assignment",
                     proposal=proposal)
            return services.reply_send_back(**args, assignment=a, note=note)
        case "release":
            return services.replies_release(**args, note=note)
        case "rate":
            return services.feedback_rate(
                **args, rating=_text(data, "rating"), comments=_text(data, "comments"),
                how_heard=_text(data, "how_heard"), attitude=_text(data, "attitude"),
                agrees_with_result=_bool(data, "agrees_with_result"),
                visited=_bool(data, "visited"), on_point=_bool(data, "on_point"))
        case "close_feedback":
            return services.feedback_close(**args)
        case "mark_key":
            leader_id = _int(data, "leader")
            leader = User.objects.filter(pk=leader_id or 0).first()
            if leader is None:
                raise ValidationError({"leader": _("Choose a leader of this committee.")})
            return services.proposal_mark_key(**args, leader=leader, note=note)
    raise ValidationError(_("Unknown action."))
