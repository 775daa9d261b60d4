"""Who may do what at a meeting. Running a meeting is the activity staff's work
(``activities.permissions.ACTIVITY_STAFF``) in the meeting's own committee."""

from __future__ import annotations

from xieshang.activities import permissions as activity_permissions
from xieshang.core.permissions import Actor
from xieshang.meetings.models import (
    AgendaItem,
    DiscussionGroup,
    Election,
    Meeting,
    Paper,
    Poll,
    Speaker,
)
from xieshang.portal import permissions as portal_permissions

MeetingRow = Meeting | AgendaItem | Paper | Speaker | Poll | Election | DiscussionGroup


def can_manage(actor: Actor) -> bool:
    """Set up meetings, agenda, papers, speakers, votes and elections; register members."""
    return activity_permissions.can_manage_activities(actor)


def can_read_all(actor: Actor) -> bool:
    return activity_permissions.can_view_all(actor)


def can_manage_meeting(actor: Actor, obj: MeetingRow) -> bool:
    """``obj``: the meeting or any row of it (each carries its committee)."""
    return actor.acts_in(obj) and can_manage(actor)


def can_run_poll(actor: Actor, poll: Poll) -> bool:
    """Open and close a vote (the workflow rule)."""
    return can_manage_meeting(actor, poll)


def can_run_election(actor: Actor, election: Election) -> bool:
    """Open and close an election (the workflow rule)."""
    return can_manage_meeting(actor, election)


def can_publish_result(actor: Actor, obj: MeetingRow) -> bool:
    """Put a vote's or election's result, or a final text, on the committee's website.

    Staff who run the meeting and also write for the website (``portal.permissions.can_edit``);
    the website's own review publishes it."""
    return can_manage_meeting(actor, obj) and portal_permissions.can_edit(actor)
