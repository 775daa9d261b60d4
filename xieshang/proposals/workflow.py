"""The proposal lifecycle: its steps, their guards and what each step does (``core.workflow``).

Some steps of one unit among several (signing for, approving a reply) or of one proposer among
several (rating) move the proposal on only when the last of them is done: their ``also`` lists
the other statuses the step may end in, and the step's run picks one.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from xieshang.core import clock
from xieshang.core.calendar import Deadline, WorkCalendar
from xieshang.core.models import Committee, Role, RoleAssignment, Session, User
from xieshang.core.permissions import Actor
from xieshang.core.selectors import users_with_role
from xieshang.core.tenancy import scoped
from xieshang.core.workflow import (
    STAY,
    Changes,
    Lifecycle,
    Notice,
    Step,
    StepIn,
    related,
    require_text,
)
from xieshang.members.models import HandlingUnit
from xieshang.proposals import permissions, policies, routing
from xieshang.proposals.models import (
    Assignment,
    AssignmentType,
    ContactRecord,
    ConversionTarget,
    Feedback,
    NotFiledReason,
    Proposal,
    ProposalCoProposer,
    ProposalEvent,
    Rating,
    Reply,
    ResultClass,
    Status,
)

S = Status
A = Assignment.State

HANDLING = (S.HANDLING, S.REHANDLING)
KEY_STATUSES = (S.FILED, S.ASSIGNED, S.RETURN_REQUESTED, S.HANDLING, S.REPLY_REVIEW, S.REPLIED,
                S.REHANDLING)
MERGE_TARGETS = (S.UNDER_REVIEW, S.FILED, S.ASSIGNED, S.RETURN_REQUESTED, S.HANDLING)


# --- who to tell ------------------------------------------------------------------------------

def member_users(member_ids: Iterable[int | None]) -> list[User]:
    ids = [i for i in member_ids if i]
    if not ids:
        return []
    return list(User.objects.filter(
        Q(member_records__id__in=ids)
        | Q(roles__member_id__in=ids, roles__role=Role.MEMBER, roles__is_active=True),
        is_active=True).distinct())


def body_users(body_ids: Iterable[int | None]) -> list[User]:
    ids = [i for i in body_ids if i]
    if not ids:
        return []
    return list(User.objects.filter(roles__body_id__in=ids, roles__role=Role.COLLECTIVE,
                                    roles__is_active=True, is_active=True).distinct())


def unit_users(unit_ids: Iterable[int], roles: Sequence[str] = (Role.UNIT_CLERK,
                                                                Role.UNIT_LEADER)) -> list[User]:
    ids = list(unit_ids)
    if not ids:
        return []
    return list(User.objects.filter(roles__unit_id__in=ids, roles__role__in=roles,
                                    roles__is_active=True, is_active=True).distinct())


def staff_users(committee: Committee) -> list[User]:
    return list(users_with_role(committee, Role.STAFF_PROPOSAL))


def proposer_users(proposal: Proposal) -> list[User]:
    return member_users([proposal.proposer_id]) + body_users([proposal.body_proposer_id])


def group_proposer_users(proposal: Proposal) -> list[User]:
    keys = permissions.raters(proposal)
    return member_users(k[0] for k in keys) + body_users(k[1] for k in keys)


def active_assignments(proposal: Proposal) -> list[Assignment]:
    return [a for a in proposal.assignments.all() if a.state != A.WITHDRAWN]


def assignment_unit_users(proposal: Proposal) -> list[User]:
    return unit_users(a.unit_id for a in active_assignments(proposal))


# --- sessions, numbers, deadlines -------------------------------------------------------------

def session_for(committee: Committee, day: dt.date) -> tuple[Session, str]:
    """The session a proposal submitted on ``day`` belongs to, and whether it is a plenary one.

    From ``proposal_window_start`` (else the configured months before the opening) up to the
    closing day it is a plenary (大会) proposal; otherwise a recess (平时) proposal of the most
    recent session.
    """
    sessions = list(Session.objects.filter(committee=committee).select_related("term")
                    .order_by("start_date"))
    if not sessions:
        raise ValidationError(_("No session has been set up yet: ask the committee office."))
    months = int(policies.get(committee, "plenary_months_before"))
    for s in sessions:
        start = s.proposal_window_start or _months_before(s.start_date, months)
        if start <= day <= s.end_date:
            return s, Proposal.Timing.PLENARY
    past = [s for s in sessions if s.start_date <= day]
    return (past[-1] if past else sessions[0]), Proposal.Timing.RECESS


def _months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def _next_serial(session_id: int) -> int:
    # Locking the session row serialises numbering within a session (PostgreSQL); SQLite runs
    # write transactions one at a time anyway (and has no row locks: the query was only
    # spent). The unique constraint is the last line. No ordering: it joined the committee,
    # whose row FOR UPDATE would have locked too.
    if connection.features.has_select_for_update:
        list(Session.objects.select_for_update().filter(pk=session_id).order_by()
             .values_list("pk", flat=True))
    top = Proposal.objects.filter(session_id=session_id).aggregate(m=Max("serial_number"))["m"]
    return (top or 0) + 1


def _deadline(committee: Committee, key: str, start: dt.date | None = None) -> Deadline:
    return WorkCalendar(committee).add_months(start or clock.today(),
                                              int(policies.get(committee, key)))


def _new_assignment(p: Proposal, unit: HandlingUnit, role: str, urgent: bool = False) -> Assignment:
    key = "co_opinion_months" if role == Assignment.Role.CO else (
        "urgent_reply_months" if urgent else "reply_months")
    due = _deadline(p.committee, key)
    return Assignment.objects.create(committee=p.committee, proposal=p, unit=unit, role=role,
                                     due_date=due.date, due_warnings=list(due.warnings))


def return_window_open(assignment: Assignment, today: dt.date | None = None) -> bool:
    days = int(policies.get(assignment.proposal.committee, "return_request_days"))
    today = today or clock.today()
    start = timezone.localdate(assignment.assigned_at)
    return WorkCalendar(assignment.proposal.committee).working_days_between(start, today) <= days


# Modules that create the converted record register here (the opinions app for
# "public_opinion", a letters module for "opinion_letter"): fn(actor, proposal) -> "label:id".
CONVERSION_HANDLERS: dict[str, Callable[[Actor, Proposal], str]] = {}
# …and how a proposal's page links to it: fn(actor, ref) -> the record's URL when the actor may
# open it, else None.
CONVERSION_LINKS: dict[str, Callable[[Actor, str], str | None]] = {}


def register_conversion_handler(target: str, handler: Callable[[Actor, Proposal], str],
                                link: Callable[[Actor, str], str | None] | None = None) -> None:
    CONVERSION_HANDLERS[target] = handler
    if link is not None:
        CONVERSION_LINKS[target] = link


def conversion_link(actor: Actor, proposal: Proposal) -> str | None:
    """The URL of the record a converted proposal became, if the actor may open it."""
    link = CONVERSION_LINKS.get(proposal.conversion_target)
    if link is None or not proposal.conversion_ref:
        return None
    return link(actor, proposal.conversion_ref)


# --- inputs -----------------------------------------------------------------------------------
# Choices are plain text here and checked by the step (with the message the form shows), so a
# refused user is told "not allowed" before anything about their inputs.

class ProposalNoteIn(StepIn):
    note: str = ""


class ProposalNotFileIn(StepIn):
    reason: str = ""
    message: str = ""


class ProposalConvertIn(StepIn):
    target: str = ""
    message: str = ""


class ProposalMergeIn(StepIn):
    into: int | None = None
    note: str = ""


class ProposalMessageIn(StepIn):
    message: str = ""


class ProposalAssignIn(StepIn):
    kind: str = ""
    unit_ids: list[int] = []
    co_unit_ids: list[int] = []
    urgent: bool = False
    note: str = ""


class ProposalReasonIn(StepIn):
    reason: str = ""


class ProposalReassignIn(StepIn):
    assignment: int | None = None
    unit: int | None = None
    note: str = ""


class ProposalAssignmentNoteIn(StepIn):
    assignment: int | None = None
    note: str = ""


class ProposalContactIn(StepIn):
    date: dt.date | None = None
    way: str = ""
    notes: str = ""


class ProposalCountersignIn(StepIn):
    opinion: str = ""


class ProposalReplyIn(StepIn):
    result_class: str = ""
    body: str = ""
    contact_person: str = ""
    contact_phone: str = ""


class ProposalRateIn(StepIn):
    rating: str = ""
    comments: str = ""
    how_heard: str = ""
    attitude: str = ""
    agrees_with_result: bool | None = None
    visited: bool | None = None
    on_point: bool | None = None


class ProposalMarkKeyIn(StepIn):
    leader: int | None = None
    note: str = ""


# --- guards: the table allows the step, but not right now -------------------------------------

def _rounds(proposal: Proposal) -> int:
    return int(policies.get(proposal.committee, "review_rounds"))


def _not_final_round(actor: Actor, p: Proposal) -> str | None:
    if p.review_round >= _rounds(p):
        return _("This is already the final review round.")
    return None


def _final_round(actor: Actor, p: Proposal) -> str | None:
    if p.review_round < _rounds(p):
        return _("A proposal is filed only in the final review round.")
    return None


def _return_window(actor: Actor, p: Proposal) -> str | None:
    mine = permissions.my_assignment(actor, p, (A.ASSIGNED,))
    if mine is not None and not return_window_open(mine):
        return _("The time for asking to return this proposal has passed.")
    return None


def _co_units_done(actor: Actor, p: Proposal) -> str | None:
    mine = permissions.my_assignment(actor, p, (A.DRAFTED,), replying=True)
    if (mine is not None and mine.role == Assignment.Role.LEAD
            and any(a.role == Assignment.Role.CO and a.state in Assignment.OPEN_STATES
                    for a in p.assignments.all())):
        return _("Wait for the co-units' opinions before sending the reply.")
    return None


def _feedback_period_over(actor: Actor, p: Proposal) -> str | None:
    if p.feedback_due is None or p.feedback_due >= clock.today():
        return _("The proposers still have time to rate the reply.")
    return None


def _not_key_yet(actor: Actor, p: Proposal) -> str | None:
    return _("This is already a key proposal.") if p.is_key else None


def _meeting_pending(actor: Actor, p: Proposal) -> str | None:
    return None if p.needs_meeting else _("No face-to-face consultation is pending.")


# --- runs: what each step does besides moving the status --------------------------------------

def _require_complete(proposal: Proposal) -> None:
    errors: dict[str, str] = {}
    if len(proposal.title.strip()) < 4:
        errors["title"] = _("Give the proposal a title (案由) such as “关于……的建议”.")
    if proposal.category_id is None:
        errors["category"] = _("Choose a category.")
    if len(proposal.body.strip()) < 20:
        errors["body"] = _("Describe the situation, the analysis and concrete suggestions.")
    if not proposal.consent_disclosure and not proposal.nondisclosure_reason:
        errors["nondisclosure_reason"] = _("Give a reason for not disclosing the proposal.")
    if errors:
        raise ValidationError(errors)


def _submit(actor: Actor, p: Proposal, data: StepIn) -> Changes:
    """Submit a draft (or resubmit after revision): session, plenary/recess, co-signing time."""
    _require_complete(p)
    now = clock.now()
    session, timing = session_for(p.committee, timezone.localdate(now))
    # The co-signers still to answer are read first: without any (most proposals) neither
    # their deadline (the working-day calendar: two reads) nor their update is needed.
    pending = list(p.co_proposers.filter(confirmed_at__isnull=True, declined=False)
                   .values_list("pk", "member_id"))
    if pending:
        due = WorkCalendar(p.committee).add_working_days(
            timezone.localdate(now), int(policies.get(p.committee, "cosign_days"))).date
        ProposalCoProposer.objects.filter(pk__in=[pk for pk, _m in pending]).update(
            invited_at=now, due=due)
    co_users = member_users(member_id for _pk, member_id in pending)
    return Changes(fields={"session": session, "timing": timing, "submitted_at": now},
                   notices=[Notice(staff_users(p.committee), _("A proposal was submitted")),
                            Notice(co_users, _("Please confirm co-signing a proposal"),
                                   body=p.title)])


def _start_review(actor: Actor, p: Proposal, data: StepIn) -> Changes:
    return Changes(fields={"review_round": 1})


def _pass_round(actor: Actor, p: Proposal, data: StepIn) -> Changes:
    return Changes(fields={"review_round": p.review_round + 1})


def _file(actor: Actor, p: Proposal, data: ProposalNoteIn) -> Changes:
    """立案: the proposal gets its number in the session; unconfirmed co-signers do not count."""
    assert p.session_id is not None  # the number needs the session's id only: no read
    kind = p.kind
    if kind != Proposal.Kind.COLLECTIVE:
        joint = p.co_proposers.filter(confirmed_at__isnull=False, declined=False).exists()
        kind = Proposal.Kind.JOINT if joint else Proposal.Kind.INDIVIDUAL
    return Changes(fields={"serial_number": _next_serial(p.session_id), "filed_at": clock.now(),
                           "kind": kind},
                   notices=[Notice(proposer_users(p), _("Your proposal was filed"))])


def _not_file(actor: Actor, p: Proposal, data: ProposalNotFileIn) -> Changes:
    if data.reason not in NotFiledReason.values:
        raise ValidationError({"reason": _("Choose one of the reasons for not filing.")})
    message = require_text(data.message, "message", _("Write a message to the proposer."))
    return Changes(fields={"not_filed_reason": data.reason, "review_message": message},
                   note=f"{NotFiledReason(data.reason).label}：{message}",
                   notices=[Notice(proposer_users(p), _("Your proposal was not filed"))])


def _convert(actor: Actor, p: Proposal, data: ProposalConvertIn) -> Changes:
    """Not a proposal, but worth sending on: an opinion letter or a public-opinion report."""
    if data.target not in ConversionTarget.values:
        raise ValidationError({"target": _("Choose what to convert the proposal to.")})
    message = data.message.strip()
    fields: dict[str, Any] = {"conversion_target": data.target, "review_message": message}
    handler = CONVERSION_HANDLERS.get(data.target)
    if handler is not None:
        fields["conversion_ref"] = handler(actor, p)[:100]
    return Changes(fields=fields,
                   note=f"{ConversionTarget(data.target).label}：{message}".rstrip("："),
                   notices=[Notice(proposer_users(p), _("Your proposal was converted"))])


def _merge(actor: Actor, p: Proposal, data: ProposalMergeIn) -> Changes:
    """并案: the proposal joins ``into``'s group; its proposer gets the group's reply too."""
    into = related(actor, Proposal, data.into, "into")
    if into.pk == p.pk or into.committee_id != p.committee_id:
        raise ValidationError({"into": _("Choose another proposal of this committee.")})
    if into.status not in MERGE_TARGETS or into.merged_into_id is not None:
        raise ValidationError({"into": _("That proposal cannot take merged proposals.")})
    Proposal.objects.filter(merged_into=p).update(merged_into=into)
    label = into.number or f"#{into.pk}"
    note = data.note.strip()
    return Changes(fields={"merged_into": into},
                   note=_("Merged into %(p)s %(t)s") % {"p": label, "t": into.title}
                   + (f"\n{note}" if note else ""),
                   notices=[Notice(proposer_users(p),
                                   _("Your proposal was merged with a similar one"))])


def _return(actor: Actor, p: Proposal, data: ProposalMessageIn) -> Changes:
    message = require_text(data.message, "message", _("Say what should be revised."))
    return Changes(fields={"review_message": message, "review_round": 0}, note=message,
                   notices=[Notice(proposer_users(p),
                                   _("Your proposal was returned for revision"))])


def _assign(actor: Actor, p: Proposal, data: ProposalAssignIn) -> Changes:
    """交办: single (one unit), split (each replies) or lead + co-units (opinion in 1 month)."""
    kind = data.kind
    if kind not in AssignmentType.values:
        raise ValidationError({"kind": _("Choose how the proposal is assigned.")})
    ids = list(dict.fromkeys(int(i) for i in data.unit_ids))
    co_ids = [int(i) for i in dict.fromkeys(data.co_unit_ids) if int(i) not in ids]
    if kind == AssignmentType.SINGLE and len(ids) != 1:
        raise ValidationError({"unit_ids": _("Choose exactly one unit.")})
    if kind == AssignmentType.SPLIT and len(ids) < 2:  # noqa: PLR2004
        raise ValidationError({"unit_ids": _("Choose at least two units to split among.")})
    if kind == AssignmentType.LEAD and (len(ids) != 1 or not co_ids):
        raise ValidationError({"unit_ids": _("Choose one lead unit and at least one co-unit.")})
    units = {u.pk: u for u in HandlingUnit.objects.filter(
        committee=p.committee, pk__in=ids + co_ids, is_active=True)}
    if len(units) != len(ids) + len(co_ids):
        raise ValidationError({"unit_ids": _("No such record in this committee.")})
    role = {AssignmentType.SINGLE: Assignment.Role.SINGLE, AssignmentType.SPLIT:
            Assignment.Role.SPLIT, AssignmentType.LEAD: Assignment.Role.LEAD}[AssignmentType(kind)]
    for uid in ids:
        _new_assignment(p, units[uid], role, data.urgent)
    for uid in co_ids:
        _new_assignment(p, units[uid], Assignment.Role.CO)
    routing.record_decision(p, ids + co_ids)
    return Changes(fields={"assignment_type": kind, "assigned_at": clock.now()},
                   note=data.note or "、".join(units[i].name for i in ids + co_ids),
                   notices=[Notice(unit_users(ids + co_ids),
                                   _("A proposal was assigned to your unit"))])


def _mine(actor: Actor, p: Proposal, states: tuple[str, ...],
          replying: bool | None = None) -> Assignment:
    a = permissions.my_assignment(actor, p, states, replying)
    if a is None:
        raise PermissionDenied(_("You are not allowed to do this."))
    return Assignment.objects.select_for_update().get(pk=a.pk)


def _pending_sign(p: Proposal) -> bool:
    return Assignment.objects.filter(proposal=p, state__in=(A.ASSIGNED,)).exists()


def _pending_return(p: Proposal) -> bool:
    return Assignment.objects.filter(proposal=p, state=A.RETURN_REQUESTED).exists()


def _sign(actor: Actor, p: Proposal, data: StepIn) -> Changes:
    """签收: when the last unit has signed for it, handling starts."""
    a = _mine(actor, p, (A.ASSIGNED,))
    a.state, a.signed_at = A.SIGNED, clock.now()
    a.save(update_fields=["state", "signed_at"])
    if p.status == S.RETURN_REQUESTED:
        return Changes(status=S.RETURN_REQUESTED)
    return Changes(status=S.ASSIGNED if _pending_sign(p) else S.HANDLING)


def _request_return(actor: Actor, p: Proposal, data: ProposalReasonIn) -> Changes:
    """申退: within the set working days, with a reason; the office decides."""
    reason = require_text(data.reason, "reason", _("Give the reason for returning the proposal."))
    a = _mine(actor, p, (A.ASSIGNED,))
    a.state, a.return_reason, a.return_requested_at = A.RETURN_REQUESTED, reason, clock.now()
    a.save(update_fields=["state", "return_reason", "return_requested_at"])
    return Changes(note=reason, notices=[Notice(staff_users(p.committee),
                                                _("A unit asks to return a proposal"))])


def _after_return_decision(p: Proposal) -> str:
    if _pending_return(p):
        return str(S.RETURN_REQUESTED)
    return str(S.ASSIGNED if _pending_sign(p) else S.HANDLING)


def _requested(p: Proposal, assignment: Assignment) -> Assignment:
    a = Assignment.objects.select_for_update().filter(
        pk=assignment.pk, proposal=p, state=A.RETURN_REQUESTED).first()
    if a is None:
        raise ValidationError({"assignment": _("That unit has not asked to return it.")})
    return a


def _assignment(actor: Actor, p: Proposal, pk: int | None) -> Assignment:
    return related(actor, Assignment.objects.select_related("unit"), pk, "assignment",
                   proposal=p)


def _reassign(actor: Actor, p: Proposal, data: ProposalReassignIn) -> Changes:
    """The office accepts the return request and gives the part to another unit."""
    assignment = _assignment(actor, p, data.assignment)
    unit = related(actor, HandlingUnit, data.unit, "unit")
    if not unit.is_active:
        raise ValidationError({"unit": _("No such record in this committee.")})
    if Assignment.objects.filter(proposal=p, unit=unit).exclude(state=A.WITHDRAWN).exists():
        raise ValidationError({"unit": _("That unit already has this proposal.")})
    old = _requested(p, assignment)
    old.state = A.WITHDRAWN
    old.save(update_fields=["state"])
    _new_assignment(p, unit, old.role)
    note = data.note.strip()
    return Changes(status=_after_return_decision(p),
                   note=f"{assignment.unit} → {unit}" + (f"：{note}" if note else ""),
                   notices=[Notice(unit_users([unit.pk, assignment.unit_id]),
                                   _("A proposal was reassigned"))])


def _refuse_return(actor: Actor, p: Proposal, data: ProposalAssignmentNoteIn) -> Changes:
    assignment = _assignment(actor, p, data.assignment)
    note = require_text(data.note, "note", _("Say why the unit must handle it."))
    a = _requested(p, assignment)
    a.state = A.ASSIGNED
    a.save(update_fields=["state"])
    return Changes(status=_after_return_decision(p), note=note,
                   notices=[Notice(unit_users([assignment.unit_id]),
                                   _("The return request was refused"))])


def _extend(actor: Actor, p: Proposal, data: ProposalAssignmentNoteIn) -> Changes:
    """An approved extension: the due date moves by the configured months."""
    assignment = _assignment(actor, p, data.assignment)
    a = Assignment.objects.select_for_update().filter(
        pk=assignment.pk, proposal=p, state__in=Assignment.OPEN_STATES).first()
    if a is None:
        raise ValidationError({"assignment": _("That unit's part is already done.")})
    due = _deadline(p.committee, "extension_months", a.due_date)
    a.due_date, a.due_warnings, a.reminded_on, a.overdue_notified_on = (
        due.date, list(due.warnings), None, None)
    a.save(update_fields=["due_date", "due_warnings", "reminded_on", "overdue_notified_on"])
    return Changes(notices=[Notice(unit_users([assignment.unit_id]),
                                   _("The deadline of a proposal was extended"))])


def _contact(actor: Actor, p: Proposal, data: ProposalContactIn) -> Changes:
    """办前面商 (and later contacts, and the meeting after a dissatisfied rating)."""
    if data.way not in ContactRecord.Way.values:
        raise ValidationError({"way": _("Choose how you were in contact.")})
    notes = require_text(data.notes, "notes", _("Write down what was discussed."))
    date = data.date or clock.today()
    if date > clock.today():
        raise ValidationError({"date": _("The date is in the future.")})
    mine = permissions.my_assignment(actor, p, tuple(Assignment.State.values))
    ContactRecord.objects.create(committee=p.committee, proposal=p, assignment=mine, date=date,
                                 way=data.way, notes=notes, recorded_by=actor.user)
    fields = {"needs_meeting": False} if p.status == S.CLOSED else {}
    return Changes(fields=fields, note=f"{ContactRecord.Way(data.way).label} {date:%Y-%m-%d}")


def _countersign(actor: Actor, p: Proposal, data: ProposalCountersignIn) -> Changes:
    """会签: a co-unit gives its opinion to the lead unit."""
    opinion = require_text(data.opinion, "opinion", _("Write the co-unit's opinion."))
    a = _mine(actor, p, (A.SIGNED,), replying=False)
    a.state, a.opinion, a.opinion_at = A.OPINION_GIVEN, opinion, clock.now()
    a.save(update_fields=["state", "opinion", "opinion_at"])
    lead = [x.unit_id for x in p.assignments.all()
            if x.role == Assignment.Role.LEAD and x.state != A.WITHDRAWN]
    return Changes(notices=[Notice(unit_users(lead), _("A co-unit gave its opinion"))])


def _draft_reply(actor: Actor, p: Proposal, data: ProposalReplyIn) -> Changes:
    """The unit clerk drafts (or redrafts) the reply letter with its class A/B/C."""
    if data.result_class not in ResultClass.values:
        raise ValidationError({"result_class": _("Choose the result class A, B or C.")})
    if len(data.body.strip()) < 10:  # noqa: PLR2004
        raise ValidationError({"body": _("Write the reply.")})
    a = _mine(actor, p, (A.SIGNED, A.SENT_BACK, A.DRAFTED), replying=True)
    a.state = A.DRAFTED
    a.save(update_fields=["state"])
    Reply.objects.update_or_create(
        assignment=a, round=p.handling_round, defaults={
            "committee": p.committee, "proposal": p, "result_class": data.result_class,
            "body": data.body.strip(), "contact_person": data.contact_person.strip()[:50],
            "contact_phone": data.contact_phone.strip()[:30], "state": Reply.State.DRAFT,
            "drafted_by": actor.user, "drafted_at": clock.now()})
    leaders = unit_users([x.unit_id for x in p.assignments.all() if x.unit_id in actor.unit_ids],
                         roles=(Role.UNIT_LEADER,))
    return Changes(notices=[Notice(leaders, _("A reply waits for your approval"))])


def _approve(actor: Actor, p: Proposal, data: ProposalNoteIn) -> Changes:
    """签发: the unit leader approves; when every replying unit has, the office checks them."""
    a = _mine(actor, p, (A.DRAFTED,), replying=True)
    a.state = A.APPROVED
    a.save(update_fields=["state"])
    Reply.objects.filter(assignment=a, round=p.handling_round).update(
        state=Reply.State.APPROVED, approved_by=actor.user, approved_at=clock.now())
    waiting = Assignment.objects.filter(proposal=p).exclude(role=Assignment.Role.CO).exclude(
        state__in=(A.APPROVED, A.WITHDRAWN, A.DONE)).exists()
    if waiting:
        return Changes(status=p.status)
    return Changes(status=S.REPLY_REVIEW,
                   notices=[Notice(staff_users(p.committee),
                                   _("Replies wait for the office's check"))])


def _send_back(actor: Actor, p: Proposal, data: ProposalAssignmentNoteIn) -> Changes:
    """The office sends a weak reply back to its unit to be redone."""
    assignment = _assignment(actor, p, data.assignment)
    note = require_text(data.note, "note", _("Say what is wrong with the reply."))
    a = Assignment.objects.select_for_update().filter(pk=assignment.pk, proposal=p,
                                                      state=A.APPROVED).first()
    if a is None:
        raise ValidationError({"assignment": _("That unit has no reply waiting.")})
    a.state = A.SENT_BACK
    a.save(update_fields=["state"])
    Reply.objects.filter(assignment=a, round=p.handling_round).update(
        state=Reply.State.SENT_BACK, sent_back_note=note)
    return Changes(status=S.REHANDLING if p.handling_round > 1 else S.HANDLING,
                   note=f"{assignment.unit}：{note}",
                   notices=[Notice(unit_users([assignment.unit_id]),
                                   _("A reply was sent back to be redone"))])


def _release(actor: Actor, p: Proposal, data: ProposalNoteIn) -> Changes:
    """The replies go to every proposer of the group; the feedback period starts."""
    now = clock.now()
    Reply.objects.filter(proposal=p, round=p.handling_round,
                         state=Reply.State.APPROVED).update(state=Reply.State.SENT, sent_at=now)
    Assignment.objects.filter(proposal=p, state=A.APPROVED).update(state=A.DONE)
    due = WorkCalendar(p.committee).add_working_days(
        timezone.localdate(now), int(policies.get(p.committee, "feedback_days"))).date
    return Changes(fields={"replied_at": now, "feedback_due": due},
                   notices=[Notice(group_proposer_users(p), _(
                       "Your proposal has been answered: please rate the reply"))])


def _settle_feedback(p: Proposal) -> tuple[str, dict[str, Any]]:
    """Once every proposer of the group has rated: closed, or re-handled once, or a meeting."""
    ratings = list(Feedback.objects.filter(proposal=p, round=p.handling_round)
                   .values_list("member_id", "body_id", "rating"))
    if {(m, b) for m, b, _r in ratings} != set(permissions.raters(p)):
        return str(S.REPLIED), {}
    fields: dict[str, Any] = {}
    if any(r == Rating.DISSATISFIED for _m, _b, r in ratings):
        if p.handling_round == 1:
            due = _deadline(p.committee, "rehandle_months")
            Assignment.objects.filter(proposal=p, state=A.DONE).exclude(
                role=Assignment.Role.CO).update(
                state=A.SIGNED, due_date=due.date, due_warnings=list(due.warnings),
                reminded_on=None, overdue_notified_on=None)
            return str(S.REHANDLING), {"handling_round": p.handling_round + 1,
                                       "is_rehandled": True, "feedback_due": None}
        fields["needs_meeting"] = True
    fields["closed_at"] = clock.now()
    return str(S.CLOSED), fields


def _rate(actor: Actor, p: Proposal, data: ProposalRateIn) -> Changes:
    """征询意见表: 不满意 in the first round sends the proposal back for re-handling."""
    if data.rating not in Rating.values:
        raise ValidationError({"rating": _("Choose satisfied, basically satisfied or "
                                           "dissatisfied.")})
    if data.how_heard and data.how_heard not in Feedback.Heard.values:
        raise ValidationError({"how_heard": _("This value is not valid.")})
    if data.attitude and data.attitude not in Rating.values:
        raise ValidationError({"attitude": _("This value is not valid.")})
    if data.rating == Rating.DISSATISFIED and not data.comments.strip():
        raise ValidationError({"comments": _("Say what you are dissatisfied with.")})
    key = permissions.rater_key(actor, p)
    assert key is not None
    Feedback.objects.create(
        committee=p.committee, proposal=p, member_id=key[0], body_id=key[1],
        round=p.handling_round, rating=data.rating, comments=data.comments.strip(),
        how_heard=data.how_heard, attitude=data.attitude,
        agrees_with_result=data.agrees_with_result, visited=data.visited,
        on_point=data.on_point)
    status, fields = _settle_feedback(p)
    notices = [Notice(assignment_unit_users(p) + staff_users(p.committee),
                      _("The proposer is dissatisfied: the proposal is re-handled"))
               ] if status == S.REHANDLING else []
    return Changes(status=status, fields=fields, note=str(Rating(data.rating).label),
                   notices=notices)


def _close_feedback(actor: Actor, p: Proposal, data: StepIn) -> Changes:
    """After the feedback period, proposers who did not answer count as the configured default."""
    default = str(policies.get(p.committee, "feedback_default"))
    if default not in Rating.values:
        default = Rating.BASICALLY
    done = set(Feedback.objects.filter(proposal=p, round=p.handling_round)
               .values_list("member_id", "body_id"))
    Feedback.objects.bulk_create([
        Feedback(committee=p.committee, proposal=p, member_id=m, body_id=b,
                 round=p.handling_round, rating=default, is_default=True)
        for m, b in permissions.raters(p) if (m, b) not in done])
    status, fields = _settle_feedback(p)
    notices = [Notice(assignment_unit_users(p), _("The proposal is re-handled"))
               ] if status == S.REHANDLING else []
    return Changes(status=status, fields=fields, note=str(Rating(default).label),
                   notices=notices)


def _mark_key(actor: Actor, p: Proposal, data: ProposalMarkKeyIn) -> Changes:
    """重点提案, decided by the chair meeting, with the leader who supervises it."""
    leader = User.objects.filter(pk=data.leader or 0).first()
    if leader is None or not RoleAssignment.objects.filter(
            user=leader, committee=p.committee, role=Role.LEADER, is_active=True).exists():
        raise ValidationError({"leader": _("Choose a leader of this committee.")})
    note = data.note.strip()
    return Changes(fields={"is_key": True, "key_leader": leader},
                   note=_("Supervised by %(name)s") % {"name": leader}
                   + (f"\n{note}" if note else ""),
                   notices=[Notice([leader, *assignment_unit_users(p)],
                                   _("A proposal was chosen as a key proposal"))])


# --- what the forms offer ---------------------------------------------------------------------

def _assignments(p: Proposal, *states: str) -> list[Assignment]:
    return [a for a in p.assignments.all() if not states or a.state in states]


def _merge_choices(actor: Actor, p: Proposal) -> dict[str, Any]:
    return {"merge_targets": scoped(actor, Proposal).filter(
        status__in=MERGE_TARGETS, merged_into__isnull=True, session_id=p.session_id or 0,
    ).exclude(pk=p.pk).order_by("serial_number")[:200]}


def _unit_choices(actor: Actor, p: Proposal) -> dict[str, Any]:
    return {"units": scoped(actor, HandlingUnit).filter(is_active=True),
            "suggested": set(p.suggested_units.values_list("pk", flat=True)),
            "requested": _assignments(p, A.RETURN_REQUESTED)}


def _leader_choices(actor: Actor, p: Proposal) -> dict[str, Any]:
    return {"leaders": [r.user for r in scoped(actor, RoleAssignment).filter(
        role=Role.LEADER, is_active=True).select_related("user")]}


def _choices(**values: Any) -> Callable[[Actor, Proposal], dict[str, Any]]:
    return lambda actor, p: {key: value(p) if callable(value) else value
                             for key, value in values.items()}


# --- the table --------------------------------------------------------------------------------

R = permissions
PROPOSAL: Lifecycle[Proposal] = Lifecycle(
    name="proposal", model=Proposal, event_model=ProposalEvent, event_field="proposal",
    audit_prefix="proposal", schema_prefix="Proposal", url_name="proposal-act",
    stale_message=gettext_lazy(
        "This proposal has been changed by someone else; please refresh and try again."),
    describe=lambda p: f"{p.number} {p.title}".strip(),
    steps=[
        Step("submit", S.DRAFT, S.SUBMITTED, R.proposer_rule, gettext_lazy("Submit"),
             run=_submit),
        Step("resubmit", S.RETURNED, S.SUBMITTED, R.proposer_rule,
             gettext_lazy("Submit again"), run=_submit),
        Step("withdraw", (S.SUBMITTED, S.RETURNED), S.WITHDRAWN, R.proposer_rule,
             pgettext_lazy("proposals", "Withdraw"), input=ProposalNoteIn,
             confirm=gettext_lazy("Withdraw this proposal? This cannot be undone.")),
        Step("start_review", S.SUBMITTED, S.UNDER_REVIEW, R.staff_rule,
             gettext_lazy("Start review"), run=_start_review),
        Step("pass_round", S.UNDER_REVIEW, STAY, R.staff_rule,
             gettext_lazy("Pass this review round"), guard=_not_final_round,
             input=ProposalNoteIn, run=_pass_round),
        Step("file", S.UNDER_REVIEW, S.FILED, R.staff_rule, pgettext_lazy("proposals", "File"),
             guard=_final_round, input=ProposalNoteIn, run=_file),
        Step("not_file", S.UNDER_REVIEW, S.NOT_FILED, R.staff_rule,
             gettext_lazy("Do not file"), input=ProposalNotFileIn, run=_not_file,
             choices=_choices(not_filed_reasons=NotFiledReason.choices)),
        Step("convert", S.UNDER_REVIEW, S.CONVERTED, R.staff_rule, gettext_lazy("Convert"),
             input=ProposalConvertIn, run=_convert,
             choices=_choices(conversion_targets=ConversionTarget.choices)),
        Step("merge", S.UNDER_REVIEW, S.MERGED, R.staff_rule,
             gettext_lazy("Merge into another proposal"), input=ProposalMergeIn, run=_merge,
             choices=_merge_choices),
        Step("return", S.UNDER_REVIEW, S.RETURNED, R.staff_rule,
             gettext_lazy("Return for revision"), input=ProposalMessageIn, run=_return),
        Step("assign", S.FILED, S.ASSIGNED, R.staff_rule, gettext_lazy("Assign to units"),
             input=ProposalAssignIn, run=_assign, choices=_unit_choices),
        Step("sign", (S.ASSIGNED, S.RETURN_REQUESTED),
             {S.ASSIGNED: S.HANDLING, S.RETURN_REQUESTED: STAY}, R.unit_to_sign,
             gettext_lazy("Sign for"), also=frozenset({STAY}), run=_sign),
        Step("request_return", (S.ASSIGNED, S.RETURN_REQUESTED), S.RETURN_REQUESTED,
             R.unit_to_sign, gettext_lazy("Ask to return"), guard=_return_window,
             input=ProposalReasonIn, run=_request_return),
        Step("reassign", S.RETURN_REQUESTED, S.ASSIGNED, R.staff_rule,
             gettext_lazy("Reassign to another unit"), also=frozenset({S.RETURN_REQUESTED}),
             input=ProposalReassignIn, run=_reassign, choices=_unit_choices),
        Step("refuse_return", S.RETURN_REQUESTED, S.ASSIGNED, R.staff_rule,
             gettext_lazy("Refuse the return"), also=frozenset({S.RETURN_REQUESTED}),
             input=ProposalAssignmentNoteIn, run=_refuse_return,
             choices=_choices(requested=lambda p: _assignments(p, A.RETURN_REQUESTED))),
        Step("extend", (S.ASSIGNED, *HANDLING), STAY, R.staff_rule,
             gettext_lazy("Extend the deadline"), input=ProposalAssignmentNoteIn, run=_extend,
             choices=_choices(open_assignments=lambda p: _assignments(
                 p, *Assignment.OPEN_STATES))),
        Step("record_contact", HANDLING, STAY, R.unit_any,
             gettext_lazy("Record contact with proposer"), input=ProposalContactIn,
             run=_contact, choices=_choices(ways=ContactRecord.Way.choices,
                                            today=lambda p: clock.today())),
        Step("countersign", HANDLING, STAY, R.co_unit, gettext_lazy("Give the co-unit opinion"),
             input=ProposalCountersignIn, run=_countersign),
        Step("draft_reply", HANDLING, STAY, R.unit_replier, gettext_lazy("Draft the reply"),
             input=ProposalReplyIn, run=_draft_reply,
             choices=_choices(class_labels=lambda p: policies.class_labels(p.committee))),
        Step("approve", HANDLING, S.REPLY_REVIEW, R.unit_leader,
             gettext_lazy("Approve and send the reply"), also=frozenset({STAY}),
             guard=_co_units_done, input=ProposalNoteIn, run=_approve),
        Step("send_back", S.REPLY_REVIEW, S.HANDLING, R.staff_rule,
             gettext_lazy("Send the reply back"), also=frozenset({S.REHANDLING}),
             input=ProposalAssignmentNoteIn, run=_send_back,
             choices=_choices(approved=lambda p: _assignments(p, A.APPROVED))),
        Step("release", S.REPLY_REVIEW, S.REPLIED, R.staff_rule,
             gettext_lazy("Send the replies to the proposers"), input=ProposalNoteIn,
             run=_release),
        Step("rate", S.REPLIED, S.CLOSED, R.rater, gettext_lazy("Rate the reply"),
             also=frozenset({S.REPLIED, S.REHANDLING}), input=ProposalRateIn, run=_rate,
             choices=_choices(ratings=Rating.choices, heard=Feedback.Heard.choices)),
        Step("close_feedback", S.REPLIED, S.CLOSED, R.staff_rule,
             gettext_lazy("Close the feedback period"), also=frozenset({S.REHANDLING}),
             guard=_feedback_period_over, run=_close_feedback),
        Step("record_meeting", S.CLOSED, STAY, R.meeting_recorder,
             gettext_lazy("Record the face-to-face consultation"), guard=_meeting_pending,
             input=ProposalContactIn, run=_contact,
             choices=_choices(ways=ContactRecord.Way.choices, today=lambda p: clock.today())),
        Step("mark_key", KEY_STATUSES, STAY, R.key_marker,
             gettext_lazy("Mark as key proposal"), guard=_not_key_yet, input=ProposalMarkKeyIn,
             run=_mark_key, choices=_leader_choices),
    ])

TRANSITIONS = PROPOSAL.table
ACTIONS = sorted(PROPOSAL.steps)
