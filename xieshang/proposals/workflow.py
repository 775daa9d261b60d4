"""The proposal lifecycle as one table, and the one function that changes a proposal's status.

``TRANSITIONS[(status, action)]`` says where the action leads and who may take it. Some
actions of one unit among several (signing for, approving a reply) or of one proposer among
several (rating) move the proposal on only when the last of them is done: their ``also`` lists
the other statuses the step may end in, and the service's ``apply`` picks one. ``transition()``
locks the row, checks the table, the actor, the version the user saw and the guard, lets the
service write its related rows, saves with ``update_fields``, appends exactly one
``ProposalEvent``, writes the audit row and queues notifications for after the commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieshang.core import audit, clock
from xieshang.core.calendar import WorkCalendar
from xieshang.core.models import User
from xieshang.core.notifications import notify
from xieshang.core.permissions import Actor
from xieshang.proposals import permissions, policies
from xieshang.proposals.models import Assignment, Proposal, ProposalEvent, Status

S = Status


class StaleVersion(ValidationError):
    """The row changed since the user loaded it (optimistic locking)."""

    def __init__(self) -> None:
        super().__init__(
            _("This proposal has been changed by someone else; please refresh and try again."),
            code="stale",
        )


@dataclass(frozen=True)
class Step:
    to: str
    who: str  # a key of permissions.RULES
    label: str | Promise
    also: frozenset[str] = field(default_factory=frozenset)
    form: str = ""  # the small form the proposal page shows for the action ("" = a button)

    @property
    def targets(self) -> frozenset[str]:
        return frozenset({self.to, *self.also})


HANDLING = (S.HANDLING, S.REHANDLING)
KEY_STATUSES = (
    S.FILED,
    S.ASSIGNED,
    S.RETURN_REQUESTED,
    S.HANDLING,
    S.REPLY_REVIEW,
    S.REPLIED,
    S.REHANDLING,
)

TRANSITIONS: dict[tuple[str, str], Step] = {
    (S.DRAFT, "submit"): Step(S.SUBMITTED, "proposer", gettext_lazy("Submit")),
    (S.RETURNED, "resubmit"): Step(S.SUBMITTED, "proposer", gettext_lazy("Submit again")),
    (S.SUBMITTED, "withdraw"): Step(S.WITHDRAWN, "proposer", gettext_lazy("Withdraw"), form="note"),
    (S.RETURNED, "withdraw"): Step(S.WITHDRAWN, "proposer", gettext_lazy("Withdraw"), form="note"),
    (S.SUBMITTED, "start_review"): Step(S.UNDER_REVIEW, "staff", gettext_lazy("Start review")),
    (S.UNDER_REVIEW, "pass_round"): Step(
        S.UNDER_REVIEW, "staff", gettext_lazy("Pass this review round"), form="note"
    ),
    (S.UNDER_REVIEW, "file"): Step(S.FILED, "staff", gettext_lazy("File"), form="note"),
    (S.UNDER_REVIEW, "not_file"): Step(
        S.NOT_FILED, "staff", gettext_lazy("Do not file"), form="not_file"
    ),
    (S.UNDER_REVIEW, "convert"): Step(
        S.CONVERTED, "staff", gettext_lazy("Convert"), form="convert"
    ),
    (S.UNDER_REVIEW, "merge"): Step(
        S.MERGED, "staff", gettext_lazy("Merge into another proposal"), form="merge"
    ),
    (S.UNDER_REVIEW, "return"): Step(
        S.RETURNED, "staff", gettext_lazy("Return for revision"), form="message"
    ),
    (S.FILED, "assign"): Step(S.ASSIGNED, "staff", gettext_lazy("Assign to units"), form="assign"),
    (S.ASSIGNED, "sign"): Step(
        S.HANDLING, "unit_to_sign", gettext_lazy("Sign for"), also=frozenset({S.ASSIGNED})
    ),
    (S.RETURN_REQUESTED, "sign"): Step(
        S.RETURN_REQUESTED, "unit_to_sign", gettext_lazy("Sign for")
    ),
    (S.ASSIGNED, "request_return"): Step(
        S.RETURN_REQUESTED, "unit_to_sign", gettext_lazy("Ask to return"), form="reason"
    ),
    (S.RETURN_REQUESTED, "request_return"): Step(
        S.RETURN_REQUESTED, "unit_to_sign", gettext_lazy("Ask to return"), form="reason"
    ),
    (S.RETURN_REQUESTED, "reassign"): Step(
        S.ASSIGNED,
        "staff",
        gettext_lazy("Reassign to another unit"),
        also=frozenset({S.RETURN_REQUESTED}),
        form="reassign",
    ),
    (S.RETURN_REQUESTED, "refuse_return"): Step(
        S.ASSIGNED,
        "staff",
        gettext_lazy("Refuse the return"),
        also=frozenset({S.RETURN_REQUESTED}),
        form="refuse_return",
    ),
    (S.REPLY_REVIEW, "send_back"): Step(
        S.HANDLING,
        "staff",
        gettext_lazy("Send the reply back"),
        also=frozenset({S.REHANDLING}),
        form="send_back",
    ),
    (S.REPLY_REVIEW, "release"): Step(
        S.REPLIED, "staff", gettext_lazy("Send the replies to the proposers"), form="note"
    ),
    (S.REPLIED, "rate"): Step(
        S.CLOSED,
        "rater",
        gettext_lazy("Rate the reply"),
        also=frozenset({S.REPLIED, S.REHANDLING}),
        form="rate",
    ),
    (S.REPLIED, "close_feedback"): Step(
        S.CLOSED, "staff", gettext_lazy("Close the feedback period"), also=frozenset({S.REHANDLING})
    ),
    (S.CLOSED, "record_meeting"): Step(
        S.CLOSED,
        "meeting_recorder",
        gettext_lazy("Record the face-to-face consultation"),
        form="contact",
    ),
}
for _status in HANDLING:
    TRANSITIONS.update(
        {
            (_status, "record_contact"): Step(
                _status, "unit_any", gettext_lazy("Record contact with proposer"), form="contact"
            ),
            (_status, "countersign"): Step(
                _status, "co_unit", gettext_lazy("Give the co-unit opinion"), form="countersign"
            ),
            (_status, "draft_reply"): Step(
                _status, "unit_replier", gettext_lazy("Draft the reply"), form="reply"
            ),
            (_status, "approve"): Step(
                S.REPLY_REVIEW,
                "unit_leader",
                gettext_lazy("Approve and send the reply"),
                also=frozenset({_status}),
            ),
        }
    )
for _status in (S.ASSIGNED, *HANDLING):
    TRANSITIONS[(_status, "extend")] = Step(
        _status, "staff", gettext_lazy("Extend the deadline"), form="extend"
    )
for _status in KEY_STATUSES:
    TRANSITIONS[(_status, "mark_key")] = Step(
        _status, "key_marker", gettext_lazy("Mark as key proposal"), form="mark_key"
    )

ACTIONS = sorted({action for _s, action in TRANSITIONS})


# --- guards: the table allows the step, but not right now -------------------------------------


def _guard(actor: Actor, proposal: Proposal, action: str) -> str | None:
    rounds = int(policies.get(proposal.committee, "review_rounds"))
    if action == "pass_round" and proposal.review_round >= rounds:
        return _("This is already the final review round.")
    if action == "file" and proposal.review_round < rounds:
        return _("A proposal is filed only in the final review round.")
    if action == "request_return":
        mine = permissions.my_assignment(actor, proposal, (Assignment.State.ASSIGNED,))
        if mine is not None and not return_window_open(mine):
            return _("The time for asking to return this proposal has passed.")
    if action == "approve":
        mine = permissions.my_assignment(
            actor, proposal, (Assignment.State.DRAFTED,), replying=True
        )
        if (
            mine is not None
            and mine.role == Assignment.Role.LEAD
            and any(
                a.role == Assignment.Role.CO and a.state in Assignment.OPEN_STATES
                for a in proposal.assignments.all()
            )
        ):
            return _("Wait for the co-units' opinions before sending the reply.")
    if action == "close_feedback" and (
        proposal.feedback_due is None or proposal.feedback_due >= clock.today()
    ):
        return _("The proposers still have time to rate the reply.")
    if action == "mark_key" and proposal.is_key:
        return _("This is already a key proposal.")
    if action == "record_meeting" and not proposal.needs_meeting:
        return _("No face-to-face consultation is pending.")
    return None


def return_window_open(assignment: Assignment, today: dt.date | None = None) -> bool:
    days = int(policies.get(assignment.proposal.committee, "return_request_days"))
    today = today or clock.today()
    start = timezone.localdate(assignment.assigned_at)
    return WorkCalendar(assignment.proposal.committee).working_days_between(start, today) <= days


def may(actor: Actor, proposal: Proposal, action: str) -> bool:
    step = TRANSITIONS.get((proposal.status, action))
    if step is None or actor.committee is None and not actor.system:
        return False
    return (
        bool(permissions.RULES[step.who](actor, proposal))
        and _guard(actor, proposal, action) is None
    )


def allowed_actions(actor: Actor, proposal: Proposal) -> list[tuple[str, Step]]:
    """The actions the proposal page offers this actor now (exactly what transition accepts)."""
    return [
        (action, step)
        for (status, action), step in TRANSITIONS.items()
        if status == proposal.status and may(actor, proposal, action)
    ]


def actor_label(actor: Actor) -> str:
    if actor.user is not None:
        return str(actor.user)
    return _("system") if actor.system else ""


Recipients = Iterable[User] | Callable[[Proposal], Iterable[User]]


def transition(
    *,
    actor: Actor,
    proposal: Proposal,
    action: str,
    expected_version: int | None,
    note: str = "",
    changes: dict[str, Any] | None = None,
    apply: Callable[[Proposal], str | None] | None = None,
    notify_users: Recipients = (),
    notify_title: str = "",
) -> Proposal:
    """Take ``action`` on ``proposal`` and return the saved row (a fresh, locked-then-saved copy).

    ``apply`` runs after every check, inside the same transaction, with the locked row: it writes
    the related rows (assignments, replies, feedback) and may return the status to end in (one
    of the step's targets). ``expected_version`` is the version the user saw; None only for the
    platform's own scheduled steps.
    """
    with transaction.atomic():
        # of=self: lock the proposal only. Locking its committee row too would serialise every
        # transition of the committee and deadlock (PostgreSQL) against the foreign-key checks
        # of concurrent inserts and the audit chain's lock.
        locked = (
            Proposal.objects.select_for_update(of=("self",)).select_related("committee")
            .get(pk=proposal.pk)
        )
        # The version first: whoever acted on what they saw learns that it has changed,
        # whatever the change made possible or impossible since.
        if expected_version is not None and locked.version != expected_version:
            raise StaleVersion()
        step = TRANSITIONS.get((locked.status, action))
        if step is None:
            raise ValidationError(
                _("This action is not possible while the proposal is “%(s)s”.")
                % {"s": locked.get_status_display()},
                code="invalid_state",
            )
        if not permissions.RULES[step.who](actor, locked):
            raise PermissionDenied(_("You are not allowed to do this."))
        reason = _guard(actor, locked, action)
        if reason:
            raise ValidationError(reason, code="guard")
        fields = ["status", "version", "updated_at", *(changes or {})]
        before = audit.snapshot(locked, [f for f in fields if f != "updated_at"])
        from_status = locked.status
        for name, value in (changes or {}).items():
            setattr(locked, name, value)
        target = step.to
        if apply is not None:
            chosen = apply(locked)
            if chosen is not None:
                if chosen not in step.targets:
                    raise AssertionError(f"{action} cannot end in {chosen}")
                target = chosen
            fields += [f for f in getattr(locked, "_extra_fields", ()) if f not in fields]
        locked.status = target
        locked.version += 1
        locked.save(update_fields=fields)
        ProposalEvent.objects.create(
            committee=locked.committee,
            proposal=locked,
            action=action,
            from_status=from_status,
            to_status=target,
            actor=actor.user,
            actor_name=actor_label(actor),
            note=note,
        )
        audit.record(
            actor,
            f"proposal.{action}",
            locked,
            before=before,
            after=audit.snapshot(locked, list(before)),
        )
        users = list(notify_users(locked) if callable(notify_users) else notify_users)
        me = actor.user.pk if actor.user is not None else None
        users = [u for u in users if u is not None and u.pk != me]
        if users and notify_title:
            committee, url = locked.committee, f"/proposals/{locked.pk}/"
            body = f"{locked.number} {locked.title}".strip()
            if note:
                body += f"\n{note}"
            transaction.on_commit(
                lambda: notify(
                    recipients=users, committee=committee, title=notify_title, body=body, url=url
                )
            )
    return locked


def touch(proposal: Proposal, *names: str) -> None:
    """Inside ``apply``: mark extra fields of the locked row to save with the status."""
    extra: list[str] = list(getattr(proposal, "_extra_fields", []))
    extra.extend(n for n in names if n not in extra)
    proposal._extra_fields = extra  # type: ignore[attr-defined]
