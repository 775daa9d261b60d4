"""Who may do what to which proposal. ``RULES`` names the roles of the workflow table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from xieshang.core.models import Role
from xieshang.core.permissions import Actor
from xieshang.proposals.models import Assignment, Feedback, Proposal, Status

STAFF = (Role.STAFF_PROPOSAL,)
A = Assignment.State


def is_staff(actor: Actor) -> bool:
    """The proposal office (提案委): review, file, assign, check replies."""
    return actor.has(*STAFF)


def is_proposer(actor: Actor, proposal: Proposal) -> bool:
    if not actor.acts_in(proposal):
        return False
    if actor.member_id is not None and proposal.proposer_id == actor.member_id:
        return actor.has(Role.MEMBER)
    return proposal.body_proposer_id is not None and proposal.body_proposer_id in actor.body_ids \
        and actor.has(Role.COLLECTIVE)


def is_co_proposer(actor: Actor, proposal: Proposal) -> bool:
    return (actor.member_id is not None and actor.acts_in(proposal)
            and proposal.co_proposers.filter(member_id=actor.member_id or 0).exists())


def _my_assignments(actor: Actor, proposal: Proposal) -> list[Assignment]:
    if not actor.unit_ids or not actor.is_unit or not actor.acts_in(proposal):
        return []
    return [a for a in proposal.assignments.all() if a.unit_id in actor.unit_ids]


def my_assignment(actor: Actor, proposal: Proposal, states: tuple[str, ...],
                  replying: bool | None = None) -> Assignment | None:
    for a in _my_assignments(actor, proposal):
        if a.state in states and (replying is None or a.is_replying == replying):
            return a
    return None


def unit_to_sign(actor: Actor, proposal: Proposal) -> bool:
    return my_assignment(actor, proposal, (A.ASSIGNED,)) is not None


def unit_replier(actor: Actor, proposal: Proposal) -> bool:
    return my_assignment(actor, proposal, (A.SIGNED, A.SENT_BACK, A.DRAFTED),
                         replying=True) is not None


def co_unit(actor: Actor, proposal: Proposal) -> bool:
    return my_assignment(actor, proposal, (A.SIGNED,), replying=False) is not None


def unit_any(actor: Actor, proposal: Proposal) -> bool:
    return my_assignment(actor, proposal, (A.SIGNED, A.SENT_BACK, A.DRAFTED, A.APPROVED,
                                           A.OPINION_GIVEN, A.DONE)) is not None


def unit_leader(actor: Actor, proposal: Proposal) -> bool:
    return actor.has(Role.UNIT_LEADER) and my_assignment(
        actor, proposal, (A.DRAFTED,), replying=True) is not None


def group(proposal: Proposal) -> list[Proposal]:
    """The proposal and those merged into it: every proposer of the group gets the reply."""
    return [proposal, *proposal.merged.all()]


def raters(proposal: Proposal) -> list[tuple[int | None, int | None]]:
    """(member id, body id) of each first proposer in the merge group."""
    out: list[tuple[int | None, int | None]] = []
    for p in group(proposal):
        key = (p.proposer_id, None) if p.body_proposer_id is None else (None, p.body_proposer_id)
        if key not in out:
            out.append(key)
    return out


def rater_key(actor: Actor, proposal: Proposal) -> tuple[int | None, int | None] | None:
    if not actor.acts_in(proposal):
        return None
    for member_id, body_id in raters(proposal):
        if member_id is not None and member_id == actor.member_id and actor.has(Role.MEMBER):
            return (member_id, None)
        if body_id is not None and body_id in actor.body_ids and actor.has(Role.COLLECTIVE):
            return (None, body_id)
    return None


def rater(actor: Actor, proposal: Proposal) -> bool:
    key = rater_key(actor, proposal)
    if key is None:
        return False
    who: dict[str, Any] = {"member_id": key[0], "body_id": key[1]}  # None means "not a member"
    done = Feedback.objects.filter(proposal=proposal, round=proposal.handling_round,
                                   **who).exists()
    return not done


def key_marker(actor: Actor, proposal: Proposal) -> bool:
    """The chair meeting's decision is recorded by a leader or the proposal office."""
    return actor.acts_in(proposal) and actor.has(Role.LEADER, *STAFF)


def staff_rule(actor: Actor, proposal: Proposal) -> bool:
    return (actor.system or actor.acts_in(proposal)) and is_staff(actor)


def proposer_rule(actor: Actor, proposal: Proposal) -> bool:
    return is_proposer(actor, proposal)


def meeting_recorder(actor: Actor, proposal: Proposal) -> bool:
    return staff_rule(actor, proposal) or unit_any(actor, proposal)


RULES: dict[str, Callable[[Actor, Proposal], bool]] = {
    "proposer": proposer_rule,
    "staff": staff_rule,
    "unit_to_sign": unit_to_sign,
    "unit_replier": unit_replier,
    "co_unit": co_unit,
    "unit_any": unit_any,
    "unit_leader": unit_leader,
    "rater": rater,
    "key_marker": key_marker,
    "meeting_recorder": meeting_recorder,
}


# --- reading ----------------------------------------------------------------------------------

PUBLIC_INSIDE = (Status.FILED, Status.ASSIGNED, Status.RETURN_REQUESTED, Status.HANDLING,
                 Status.REPLY_REVIEW, Status.REPLIED, Status.REHANDLING, Status.CLOSED)


def can_submit(actor: Actor) -> bool:
    return actor.committee is not None and (
        (actor.has(Role.MEMBER) and actor.member_id is not None)
        or (actor.has(Role.COLLECTIVE) and bool(actor.body_ids)))


def can_view_all(actor: Actor) -> bool:
    return actor.committee is not None and actor.has(Role.LEADER, Role.ADMIN, *STAFF)


def can_read_notice(actor: Actor, assignment: Assignment) -> bool:
    """The assignment notice (交办通知单) is between the office and the unit it was sent to."""
    return actor.acts_in(assignment) and (can_view_all(actor)
                                          or assignment.unit_id in actor.unit_ids)


def can_edit_draft(actor: Actor, proposal: Proposal) -> bool:
    return proposal.status in (Status.DRAFT, Status.RETURNED) and is_proposer(actor, proposal)


def can_cosign(actor: Actor, proposal: Proposal) -> bool:
    if actor.member_id is None or not actor.has(Role.MEMBER):
        return False
    if proposal.status not in (Status.SUBMITTED, Status.UNDER_REVIEW):
        return False
    # Over all() rather than a filter: the proposal page and the API have them prefetched.
    return any(c.member_id == actor.member_id and c.confirmed_at is None and not c.declined
               for c in proposal.co_proposers.all())


def can_supervise(actor: Actor, proposal: Proposal) -> bool:
    if not proposal.is_key or not actor.acts_in(proposal):
        return False
    if actor.user is not None and proposal.key_leader_id == actor.user.pk:
        return True
    return is_staff(actor)


def can_manage_excellent(actor: Actor) -> bool:
    """The yearly excellent selection (优秀提案): the proposal office and the leaders review the
    nominations and record the committee meeting's decision."""
    return actor.committee is not None and actor.has(Role.LEADER, *STAFF)


def can_nominate_excellent(actor: Actor) -> bool:
    """Who may put proposals forward: the office, a handling unit (proposals it handled) and a
    members' group (界别/专委会: a member holding the collective role for its body)."""
    if actor.committee is None or actor.system:
        return False
    return (can_manage_excellent(actor) or actor.is_unit
            or (bool(actor.body_ids) and actor.has(Role.COLLECTIVE)))


def can_manage_categories(actor: Actor) -> bool:
    return actor.committee is not None and actor.has(Role.ADMIN, *STAFF)


def can_export(actor: Actor) -> bool:
    return can_view_all(actor)


def can_use_proposals(actor: Actor) -> bool:
    return actor.committee is not None and actor.insider
