"""Who may see, join, moderate and keep rooms, surveys and studios."""

from __future__ import annotations

from xieshang.activities import permissions as activity_permissions
from xieshang.core.models import Role
from xieshang.core.permissions import Actor
from xieshang.participation.models import Problem, Room, Studio, Survey

# The office, special-committee and opinion staff run the channels; leaders read everything.
KEEPERS = (Role.STAFF_OFFICE, Role.STAFF_COMMITTEE, Role.STAFF_OPINION, Role.ADMIN)
READERS = (*KEEPERS, Role.LEADER, Role.STAFF_PROPOSAL)


def can_keep(actor: Actor) -> bool:
    """Open rooms and surveys, moderate, summarise, keep the studios' records."""
    return actor.committee is not None and actor.has(*KEEPERS)


def can_manage_channel(actor: Actor, channel: Room | Survey) -> bool:
    """Publish, end early and reopen a room or a survey: the staff who open them."""
    return actor.acts_in(channel) and can_keep(actor)


def can_read_all(actor: Actor) -> bool:
    return actor.committee is not None and actor.has(*READERS)


def can_open_channels(actor: Actor) -> bool:
    """The "协商议政" menu: everyone with a role in the committee."""
    return actor.committee is not None


def is_room_participant(actor: Actor, room: Room) -> bool:
    """Invited member, official of a unit concerned, invited expert; anyone here if public."""
    if not actor.acts_in(room):
        return False
    if room.is_public:
        return True
    if actor.member_id is not None and room.members.filter(pk=actor.member_id).exists():
        return True
    if actor.unit_ids and room.units.filter(pk__in=actor.unit_ids).exists():
        return True
    return actor.user is not None and room.experts.filter(pk=actor.user.pk).exists()


def can_post(actor: Actor, room: Room) -> bool:
    return room.is_open and (is_room_participant(actor, room)
                             or (actor.acts_in(room) and can_keep(actor)))


def can_moderate(actor: Actor, room: Room) -> bool:
    return actor.acts_in(room) and can_keep(actor)


def can_summarise(actor: Actor, room: Room) -> bool:
    return (actor.acts_in(room) and can_keep(actor)
            and activity_permissions.can_keep_ledger(actor))


def can_see_results(actor: Actor, survey: Survey) -> bool:
    return actor.acts_in(survey) and can_read_all(actor)


def can_answer(actor: Actor, survey: Survey) -> bool:
    if not survey.is_open:
        return False
    if survey.audience == Survey.Audience.PUBLIC:
        return True
    return actor.acts_in(survey) and actor.member_id is not None


def can_record_for(actor: Actor, studio: Studio) -> bool:
    """Record the studio's events and problems: the staff, or the studio's own members."""
    if not actor.acts_in(studio):
        return False
    if can_keep(actor):
        return True
    return actor.member_id is not None and (
        studio.lead_id == actor.member_id or studio.members.filter(pk=actor.member_id).exists())


def is_studio_member(actor: Actor, studio: Studio) -> bool:
    """The studio's lead or one of its members, acting in its committee as a member."""
    return (actor.acts_in(studio) and actor.member_id is not None and actor.has(Role.MEMBER)
            and (studio.lead_id == actor.member_id
                 or studio.members.filter(pk=actor.member_id).exists()))


def can_draft_from(actor: Actor, problem: Problem) -> bool:
    """Turn a problem not yet passed on into one's own proposal draft or report: studio members.

    A draft has an author: the staff, a unit's clerk or a member elsewhere pass a problem on
    by linking an existing record instead."""
    return not problem.route and is_studio_member(actor, problem.studio)


def can_answer_problem(actor: Actor, problem: Problem) -> bool:
    """The answer back is entered by the studio's recorders, or by the department it went to."""
    if can_record_for(actor, problem.studio):
        return True
    return actor.acts_in(problem) and actor.is_unit and problem.unit_id in actor.unit_ids
