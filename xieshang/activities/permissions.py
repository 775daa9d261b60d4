"""Who may do what with activities, invitations, the plan, the ledger and learning materials."""

from __future__ import annotations

from xieshang.activities.models import Activity, Invitation, Suggestion
from xieshang.core.models import Role
from xieshang.core.permissions import Actor

# Staff who plan and record activities.
ACTIVITY_STAFF = (Role.STAFF_OFFICE, Role.STAFF_COMMITTEE, Role.ADMIN)
# Those who read every activity of the committee.
READERS = (*ACTIVITY_STAFF, Role.LEADER, Role.STAFF_PROPOSAL, Role.STAFF_OPINION)


def can_manage_activities(actor: Actor) -> bool:
    """Create, edit, invite, record attendance, decide leave, keep the ledger and materials."""
    return actor.committee is not None and actor.has(*ACTIVITY_STAFF)


def can_configure_types(actor: Actor) -> bool:
    return actor.committee is not None and actor.has(Role.ADMIN, Role.STAFF_OFFICE)


def can_view_all(actor: Actor) -> bool:
    return actor.committee is not None and actor.has(*READERS)


def can_edit_activity(actor: Actor, activity: Activity) -> bool:
    return actor.acts_in(activity) and can_manage_activities(actor)


def can_reply(actor: Actor, invitation: Invitation) -> bool:
    """Confirm or ask for leave: only the invited member, before the activity is over."""
    return (actor.acts_in(invitation) and actor.member_id is not None
            and invitation.member_id == actor.member_id)


def can_decide_leave(actor: Actor, invitation: Invitation) -> bool:
    return actor.acts_in(invitation) and can_manage_activities(actor)


def can_submit_speech(actor: Actor, invitation: Invitation | None) -> bool:
    return invitation is not None and can_reply(actor, invitation)


def can_keep_ledger(actor: Actor) -> bool:
    return can_manage_activities(actor)


def can_view_ledger(actor: Actor) -> bool:
    return can_view_all(actor) or (actor.committee is not None and actor.is_unit)


def can_answer_suggestion(actor: Actor, suggestion: Suggestion) -> bool:
    """Feedback is entered by the staff, or by the department the item was sent to."""
    if not actor.acts_in(suggestion):
        return False
    if can_keep_ledger(actor):
        return True
    return actor.is_unit and suggestion.recipient_unit_id in actor.unit_ids


def can_manage_plan(actor: Actor) -> bool:
    return can_manage_activities(actor)


def can_approve_plan(actor: Actor) -> bool:
    """The plan is approved by the chair meeting, recorded by a leader."""
    return actor.committee is not None and actor.has(Role.LEADER)


def can_read_materials(actor: Actor) -> bool:
    return actor.committee is not None and (actor.member_id is not None or can_view_all(actor))


def can_keep_suggestion(actor: Actor, suggestion: Suggestion) -> bool:
    """Send a ledger item to its department and assess the answer: the committee's staff."""
    return actor.acts_in(suggestion) and can_keep_ledger(actor)
