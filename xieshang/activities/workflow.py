"""The lifecycles of this app: an invitation's reply and leave; a ledger item."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieshang.activities import permissions
from xieshang.activities.models import Activity, ActivityEvent, Invitation, Suggestion
from xieshang.core import clock, policy
from xieshang.core.calendar import WorkCalendar
from xieshang.core.models import Committee, RoleAssignment, User
from xieshang.core.permissions import Actor
from xieshang.core.tenancy import scoped
from xieshang.core.workflow import Changes, Lifecycle, Notice, Step, StepIn, related, require_text
from xieshang.members.models import HandlingUnit

I = Invitation.Status  # noqa: E741 - short names keep the tables readable
S = Suggestion.Status


# --- invitations: reply and leave -------------------------------------------------------------

class InvitationNoteIn(StepIn):
    note: str = ""


class InvitationLeaveIn(StepIn):
    reason: str = ""


def _replies_open(actor: Actor, invitation: Invitation) -> str | None:
    activity = invitation.activity
    # Once the activity has begun, attendance is what is recorded: a reply (or a leave request)
    # can no longer change anything.
    if activity.status != Activity.Status.PLANNED or activity.start <= clock.now():
        return _("This activity has begun, is over or is cancelled; replies are closed.")
    return None


def _confirm(actor: Actor, invitation: Invitation, data: InvitationNoteIn) -> Changes:
    return Changes(fields={"replied_at": clock.now()})


def _request_leave(actor: Actor, invitation: Invitation, data: InvitationLeaveIn) -> Changes:
    reason = require_text(data.reason, "reason", _("Give the reason for your leave."))
    activity = invitation.activity
    return Changes(fields={"replied_at": clock.now(), "leave_reason": reason[:300]}, note=reason,
                   notices=[Notice([activity.created_by], _("Leave request: %(m)s for %(t)s")
                                   % {"m": invitation.member, "t": activity.title},
                                   body=reason, url=reverse("activities:leave-requests"))])


def _decide(approve: bool) -> Any:
    def run(actor: Actor, invitation: Invitation, data: InvitationNoteIn) -> Changes:
        title = _("Leave approved: %(t)s") if approve else _("Leave refused: %(t)s")
        return Changes(notices=[Notice([invitation.member.user],
                                       title % {"t": invitation.activity.title},
                                       body=data.note, url=reverse("activities:my-invitations"))])
    return run


INVITATION: Lifecycle[Invitation] = Lifecycle(
    name="invitation", model=Invitation, event_model=ActivityEvent, event_field="invitation",
    audit_prefix="invitation", schema_prefix="Invitation", url_name="activities:invitation-act",
    describe=lambda i: str(i.activity.title),
    steps=[
        Step("confirm", (I.INVITED, I.LEAVE_REFUSED), I.CONFIRMED, permissions.can_reply,
             gettext_lazy("Confirm attendance"), guard=_replies_open, input=InvitationNoteIn,
             run=_confirm, done=gettext_lazy("Thank you, your attendance is confirmed.")),
        Step("request_leave", (I.INVITED, I.CONFIRMED), I.LEAVE_REQUESTED,
             permissions.can_reply, gettext_lazy("Ask for leave"), guard=_replies_open,
             input=InvitationLeaveIn, run=_request_leave,
             done=gettext_lazy("Your leave request has been sent.")),
        Step("approve_leave", I.LEAVE_REQUESTED, I.LEAVE_APPROVED, permissions.can_decide_leave,
             gettext_lazy("Approve leave"), input=InvitationNoteIn, run=_decide(True),
             done=gettext_lazy("Leave approved.")),
        Step("refuse_leave", I.LEAVE_REQUESTED, I.LEAVE_REFUSED, permissions.can_decide_leave,
             gettext_lazy("Refuse leave"), input=InvitationNoteIn, run=_decide(False),
             done=gettext_lazy("Leave refused.")),
    ])
INVITATION_TRANSITIONS = INVITATION.table


# --- the suggestion ledger --------------------------------------------------------------------

class SuggestionSendIn(StepIn):
    sent_on: dt.date | None = None  # today when not given
    recipient_unit_id: int | None = None  # the item's department when not given
    recipient_body: str | None = None  # the item's body when not given


class SuggestionAnswerIn(StepIn):
    feedback: str = ""
    feedback_on: dt.date | None = None  # today when not given


class SuggestionAssessIn(StepIn):
    adoption: str = ""
    follow_up: str = ""


def suggestion_deadline(committee: Committee, sent_on: dt.date) -> tuple[dt.date, list[str]]:
    days = int(policy.get(committee, "activities.feedback_working_days"))
    deadline = WorkCalendar(committee).add_working_days(sent_on, days)
    return deadline.date, list(deadline.warnings)


def unit_users(suggestion: Suggestion, unit: HandlingUnit) -> list[User]:
    return list(User.objects.filter(pk__in=RoleAssignment.objects.filter(
        committee_id=suggestion.committee_id, unit=unit, is_active=True).values("user_id")))


def _send(actor: Actor, s: Suggestion, data: SuggestionSendIn) -> Changes:
    unit = (related(actor, HandlingUnit, data.recipient_unit_id, "recipient_unit_id")
            if data.recipient_unit_id else s.recipient_unit)
    body = s.recipient_body if data.recipient_body is None else data.recipient_body.strip()
    if unit is None and not body:
        raise ValidationError(_("Say which body or department the suggestion goes to."))
    sent_on = data.sent_on or clock.today()
    deadline, warnings = suggestion_deadline(s.activity.committee, sent_on)
    notices = [Notice(unit_users(s, unit), _("Suggestion for your reply: %(t)s") % {"t": s},
                      body=s.text[:300], url=reverse("activities:ledger"))] if unit else []
    return Changes(fields={"sent_on": sent_on, "recipient_unit": unit,
                           "recipient_body": body[:100], "deadline": deadline,
                           "deadline_warnings": warnings}, notices=notices)


def _answer(actor: Actor, s: Suggestion, data: SuggestionAnswerIn) -> Changes:
    feedback = require_text(data.feedback, "feedback", _("Enter the feedback received."))
    return Changes(fields={"feedback": feedback, "feedback_on": data.feedback_on or clock.today()},
                   note=feedback[:500])


ADOPTIONS = (Suggestion.Adoption.ADOPTED, Suggestion.Adoption.PARTLY,
             Suggestion.Adoption.NOT_ADOPTED)


def _assess(actor: Actor, s: Suggestion, data: SuggestionAssessIn) -> Changes:
    if data.adoption not in ADOPTIONS:
        raise ValidationError({"adoption": _("Say whether it was adopted, partly or not.")})
    return Changes(fields={"adoption": data.adoption, "follow_up": data.follow_up.strip()},
                   note=data.follow_up)


def _ledger_choices(actor: Actor, s: Suggestion) -> dict[str, Any]:
    return {"units": scoped(actor, HandlingUnit).filter(is_active=True),
            "today": clock.today(),
            "adoption_choices": [(v, label) for v, label in Suggestion.Adoption.choices
                                 if v in ADOPTIONS]}


SUGGESTION: Lifecycle[Suggestion] = Lifecycle(
    name="suggestion", model=Suggestion, event_model=ActivityEvent, event_field="suggestion",
    audit_prefix="suggestion", schema_prefix="Suggestion",
    url_name="activities:suggestion-action", describe=lambda s: s.text[:40],
    steps=[
        Step("send", S.RECORDED, S.SENT, permissions.can_keep_suggestion, gettext_lazy("Send"),
             input=SuggestionSendIn, run=_send, choices=_ledger_choices,
             done=gettext_lazy("Saved.")),
        Step("answer", S.SENT, S.ANSWERED, permissions.can_answer_suggestion,
             gettext_lazy("Record feedback"), input=SuggestionAnswerIn, run=_answer,
             done=gettext_lazy("Saved.")),
        Step("assess", S.ANSWERED, S.CLOSED, permissions.can_keep_suggestion,
             gettext_lazy("Assess adoption"), input=SuggestionAssessIn, run=_assess,
             choices=_ledger_choices, done=gettext_lazy("Saved.")),
    ])
SUGGESTION_TRANSITIONS = SUGGESTION.table
