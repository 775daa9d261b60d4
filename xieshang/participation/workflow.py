"""The lifecycles of a consultation room and of a survey: draft → published → ended early
(and back to published while the closing time is still ahead).

A draft is seen by the staff only; a published one is open between ``opens_at`` and
``closes_at`` (pages show it as ended after that); ending early keeps the reason.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from pydantic import Field

from xieshang.core import clock
from xieshang.core.permissions import Actor
from xieshang.core.workflow import Changes, Lifecycle, Notice, Run, Step, StepIn, require_text
from xieshang.members.models import Member
from xieshang.participation import permissions
from xieshang.participation.models import (
    Channel,
    ChannelStatus,
    Room,
    RoomEvent,
    Survey,
    SurveyEvent,
)

S = ChannelStatus


class RoomNoteIn(StepIn):
    note: str = Field("", max_length=500)


class RoomCloseIn(StepIn):
    note: str = Field("", max_length=300, description="Why it ends early (required).")


class SurveyNoteIn(StepIn):
    note: str = Field("", max_length=500)


class SurveyCloseIn(StepIn):
    note: str = Field("", max_length=300, description="Why it ends early (required).")


def _still_ahead(actor: Actor, channel: Channel) -> str | None:
    if channel.closes_at <= clock.now():
        return _("Its closing time has passed.")
    return None


def _open_period(channel: Channel) -> str:
    """The notice's second line: when the room or survey is open."""
    return _("Open from %(opens)s to %(closes)s.") % {
        "opens": clock.local(channel.opens_at).strftime("%Y-%m-%d %H:%M"),
        "closes": clock.local(channel.closes_at).strftime("%Y-%m-%d %H:%M")}


def _publish_room(actor: Actor, room: Room, data: RoomNoteIn) -> Changes:
    """The invitations go out when the room is published (not while it is a draft)."""
    people = [m.user for m in room.members.select_related("user") if m.user_id]
    people += list(room.experts.all())
    return Changes(notices=[Notice(
        people, _("You are invited to an online consultation: %(title)s") % {"title": room.title},
        body=_open_period(room))])


def _publish_survey(actor: Actor, survey: Survey, data: SurveyNoteIn) -> Changes:
    """A members' survey tells every serving member of the committee when it is published
    (once: reopening tells nobody); a public survey is found on the website."""
    if survey.audience != Survey.Audience.MEMBERS:
        return Changes()
    people = [m.user for m in Member.objects.filter(
        committee_id=survey.committee_id, status=Member.Status.ACTIVE,
        user__isnull=False).select_related("user")]
    return Changes(notices=[Notice(
        people, _("A survey awaits your answer: %(title)s") % {"title": survey.title},
        body=_open_period(survey))])


def _close(actor: Actor, channel: Channel, data: RoomCloseIn | SurveyCloseIn) -> Changes:
    reason = require_text(data.note, "note", _("Give the reason for ending early."))
    return Changes(fields={"closed_at": clock.now(), "close_reason": reason[:300]}, note=reason)


def _reopen(actor: Actor, channel: Channel, data: RoomNoteIn | SurveyNoteIn) -> Changes:
    return Changes(fields={"closed_at": None, "close_reason": ""})


def _steps(note_in: type[StepIn], close_in: type[StepIn],
           publish_run: Run | None = None) -> list[Step]:
    return [
        Step("publish", S.DRAFT, S.PUBLISHED, permissions.can_manage_channel,
             pgettext_lazy("participation", "Publish"), guard=_still_ahead,
             input=note_in, run=publish_run,
             done=gettext_lazy("Published.")),
        Step("close", S.PUBLISHED, S.CLOSED, permissions.can_manage_channel,
             pgettext_lazy("participation", "End early"), guard=_still_ahead,
             input=close_in, run=_close,
             confirm=gettext_lazy("End it now, before its closing time? Nobody can post or "
                                  "answer after that."),
             done=gettext_lazy("Ended early.")),
        Step("reopen", S.CLOSED, S.PUBLISHED, permissions.can_manage_channel,
             pgettext_lazy("participation", "Reopen"), guard=_still_ahead,
             input=note_in, run=_reopen, done=gettext_lazy("Reopened.")),
    ]


ROOM: Lifecycle[Room] = Lifecycle(
    name="room", model=Room, event_model=RoomEvent, event_field="room",
    audit_prefix="room", schema_prefix="Room", url_name="participation:room-act",
    stale_message=gettext_lazy("This room was changed by someone else; reload and retry."),
    steps=_steps(RoomNoteIn, RoomCloseIn, _publish_room))

SURVEY: Lifecycle[Survey] = Lifecycle(
    name="survey", model=Survey, event_model=SurveyEvent, event_field="survey",
    audit_prefix="survey", schema_prefix="Survey", url_name="participation:survey-act",
    stale_message=gettext_lazy("This survey was changed by someone else; reload and retry."),
    steps=_steps(SurveyNoteIn, SurveyCloseIn, _publish_survey))

ROOM_TRANSITIONS = ROOM.table
SURVEY_TRANSITIONS = SURVEY.table
