"""Every write of the proposals work. Status changes go through ``workflow.transition``; the
rest (drafts, co-signing, attachments, supervision, nominations) is one audited transaction
each."""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core import audit, clock, uploads
from xieshang.core.calendar import Deadline, WorkCalendar
from xieshang.core.models import Committee, Role, Session, User
from xieshang.core.notifications import notify
from xieshang.core.permissions import Actor, require
from xieshang.core.selectors import users_with_role
from xieshang.members.models import CollectiveBody, HandlingUnit, Member
from xieshang.proposals import permissions, policies
from xieshang.proposals.models import (
    DEFAULT_CATEGORIES,
    Assignment,
    AssignmentType,
    ContactRecord,
    ConversionTarget,
    ExcellentNomination,
    Feedback,
    NotFiledReason,
    Proposal,
    ProposalAttachment,
    ProposalCategory,
    ProposalCoProposer,
    Rating,
    Reply,
    ResultClass,
    Status,
    SupervisionRecord,
)
from xieshang.proposals.workflow import touch, transition

A = Assignment.State
S = Status


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


def _assignment_unit_users(proposal: Proposal) -> list[User]:
    return unit_users(a.unit_id for a in active_assignments(proposal))


# --- categories -------------------------------------------------------------------------------

def categories_ensure(committee: Committee) -> list[ProposalCategory]:
    """The committee's categories; the national defaults are created the first time."""
    rows = list(ProposalCategory.objects.filter(committee=committee).order_by("order", "id"))
    if rows:
        return rows
    ProposalCategory.objects.bulk_create(
        [ProposalCategory(committee=committee, name=n, order=i)
         for i, n in enumerate(DEFAULT_CATEGORIES)], ignore_conflicts=True)
    return list(ProposalCategory.objects.filter(committee=committee).order_by("order", "id"))


@transaction.atomic
def category_create(*, actor: Actor, name: str, order: int = 0) -> ProposalCategory:
    require(permissions.can_manage_categories(actor))
    assert actor.committee is not None
    cat = ProposalCategory(committee=actor.committee, name=name.strip(), order=order)
    cat.full_clean()
    cat.save()
    audit.record(actor, "proposal_category.create", cat, after=audit.snapshot(cat))
    return cat


# --- sessions: plenary or recess --------------------------------------------------------------

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


# --- drafts and submission --------------------------------------------------------------------

def _clean_units(actor: Actor, committee: Committee, unit_ids: Iterable[int]) -> list[HandlingUnit]:
    ids = list(dict.fromkeys(int(i) for i in unit_ids))
    limit = int(policies.get(committee, "max_units"))
    if len(ids) > limit:
        raise ValidationError({"suggested_units": _("Suggest at most %(n)s units.") % {"n": limit}})
    units = list(HandlingUnit.objects.filter(committee=committee, pk__in=ids, is_active=True))
    if len(units) != len(ids):
        raise ValidationError({"suggested_units": _("No such record in this committee.")})
    return units


def _clean_co_proposers(committee: Committee, proposer_id: int | None,
                        member_ids: Iterable[int]) -> list[Member]:
    ids = [int(i) for i in dict.fromkeys(member_ids) if int(i) != proposer_id]
    members = list(Member.objects.filter(committee=committee, pk__in=ids,
                                         status=Member.Status.ACTIVE))
    if len(members) != len(ids):
        raise ValidationError({"co_proposers": _("No such record in this committee.")})
    return members


DRAFT_FIELDS = ("title", "category", "body", "consent_disclosure", "nondisclosure_reason")


@transaction.atomic
def proposal_save_draft(
    *,
    actor: Actor,
    proposal: Proposal | None = None,
    title: str = "",
    category: ProposalCategory | None = None,
    body: str = "",
    consent_disclosure: bool = True,
    nondisclosure_reason: str = "",
    suggested_unit_ids: Iterable[int] = (),
    co_proposer_ids: Iterable[int] = (),
) -> Proposal:
    """Create or update a draft (or a proposal returned for revision). Autosave calls this."""
    if proposal is None:
        require(permissions.can_submit(actor))
        assert actor.committee is not None
        committee = actor.committee
        proposal = Proposal(committee=committee, created_by=actor.user, status=S.DRAFT)
        if actor.has(Role.MEMBER) and actor.member_id is not None:
            proposal.proposer_id = actor.member_id
        else:
            proposal.body_proposer = CollectiveBody.objects.get(pk=min(actor.body_ids))
            proposal.kind = Proposal.Kind.COLLECTIVE
        before: dict[str, Any] = {}
    else:
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        require(permissions.can_edit_draft(actor, proposal))
        committee = proposal.committee
        before = audit.snapshot(proposal, list(DRAFT_FIELDS))
    if category is not None and category.committee_id != committee.pk:
        raise ValidationError({"category": _("No such record in this committee.")})
    proposal.title = title.strip()[:200]
    proposal.category = category
    proposal.body = body
    proposal.consent_disclosure = consent_disclosure
    proposal.nondisclosure_reason = "" if consent_disclosure else nondisclosure_reason.strip()
    units = _clean_units(actor, committee, suggested_unit_ids)
    co = [] if proposal.body_proposer_id else _clean_co_proposers(
        committee, proposal.proposer_id, co_proposer_ids)
    if not proposal.body_proposer_id:
        proposal.kind = Proposal.Kind.JOINT if co else Proposal.Kind.INDIVIDUAL
    proposal.full_clean(exclude=["title"] if not proposal.title else None)
    proposal.save()
    proposal.suggested_units.set(units)
    keep = {m.pk for m in co}
    proposal.co_proposers.exclude(member_id__in=keep).delete()
    have = set(proposal.co_proposers.values_list("member_id", flat=True))
    ProposalCoProposer.objects.bulk_create(
        [ProposalCoProposer(committee=committee, proposal=proposal, member=m)
         for m in co if m.pk not in have])
    audit.record(actor, "proposal.save_draft", proposal, before=before,
                 after=audit.snapshot(proposal, list(DRAFT_FIELDS)))
    return proposal


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


def proposal_submit(*, actor: Actor, proposal: Proposal, version: int | None,
                    resubmit: bool | None = None) -> Proposal:
    """Submit a draft (or resubmit after revision): session, plenary/recess, co-signing time.

    ``resubmit`` names the step the caller asked for; by default the one the status calls for.
    """
    if resubmit is None:
        resubmit = proposal.status == S.RETURNED
    action = "resubmit" if resubmit else "submit"

    def apply(p: Proposal) -> None:
        _require_complete(p)
        now = clock.now()
        session, timing = session_for(p.committee, timezone.localdate(now))
        p.session, p.timing, p.submitted_at = session, timing, now
        touch(p, "session", "timing", "submitted_at")
        due = WorkCalendar(p.committee).add_working_days(
            timezone.localdate(now), int(policies.get(p.committee, "cosign_days"))).date
        p.co_proposers.filter(confirmed_at__isnull=True, declined=False).update(
            invited_at=now, due=due)
        co_users = member_users(p.co_proposers.filter(confirmed_at__isnull=True, declined=False)
                                .values_list("member_id", flat=True))
        if co_users:
            committee = p.committee
            title = _("Please confirm co-signing a proposal")
            body = p.title
            url = f"/proposals/{p.pk}/"
            transaction.on_commit(lambda: notify(recipients=co_users, committee=committee,
                                                 title=title, body=body, url=url))

    return transition(actor=actor, proposal=proposal, action=action, expected_version=version,
                      apply=apply, notify_users=lambda p: staff_users(p.committee),
                      notify_title=_("A proposal was submitted"))


def proposal_withdraw(*, actor: Actor, proposal: Proposal, version: int | None,
                      note: str = "") -> Proposal:
    return transition(actor=actor, proposal=proposal, action="withdraw", expected_version=version,
                      note=note)


@transaction.atomic
def proposal_cosign(*, actor: Actor, proposal: Proposal, accept: bool) -> ProposalCoProposer:
    """A co-proposer confirms (or declines) before the deadline; only then it counts as joint."""
    require(permissions.can_cosign(actor, proposal),
            _("There is no co-signing request for you on this proposal."))
    row = ProposalCoProposer.objects.select_for_update().get(proposal=proposal,
                                                            member_id=actor.member_id or 0)
    if row.due is not None and row.due < clock.today():
        raise ValidationError(_("The time for confirming has passed."))
    before = audit.snapshot(row, ["confirmed_at", "declined"])
    row.confirmed_at = clock.now()
    row.declined = not accept
    row.save(update_fields=["confirmed_at", "declined"])
    audit.record(actor, "proposal.cosign" if accept else "proposal.cosign_decline", proposal,
                 before=before, after=audit.snapshot(row, ["confirmed_at", "declined"]))
    return row


ALLOWED_UPLOADS = uploads.DOCUMENTS | uploads.IMAGES


def check_upload(committee: Committee, upload: UploadedFile) -> None:
    """PDF, Word and images only, judged by extension *and* content; size limited by policy."""
    uploads.check_upload(upload, allowed=ALLOWED_UPLOADS,
                         max_mb=int(policies.get(committee, "attachment_mb")), field="file")


@transaction.atomic
def attachment_add(*, actor: Actor, proposal: Proposal, upload: UploadedFile) -> ProposalAttachment:
    require(permissions.can_edit_draft(actor, proposal))
    check_upload(proposal.committee, upload)
    att = ProposalAttachment(committee=proposal.committee, proposal=proposal,
                             name=(upload.name or "")[:200], size=upload.size or 0,
                             uploaded_by=actor.user)
    att.file.save(upload.name or "file", upload, save=False)
    att.save()
    audit.record(actor, "proposal.attachment_add", proposal, after={"name": att.name})
    return att


@transaction.atomic
def attachment_delete(*, actor: Actor, attachment: ProposalAttachment) -> None:
    require(permissions.can_edit_draft(actor, attachment.proposal))
    audit.record(actor, "proposal.attachment_delete", attachment.proposal,
                 before={"name": attachment.name})
    attachment.file.delete(save=False)
    attachment.delete()


# --- review -----------------------------------------------------------------------------------

def proposal_start_review(*, actor: Actor, proposal: Proposal, version: int | None) -> Proposal:
    return transition(actor=actor, proposal=proposal, action="start_review",
                      expected_version=version, changes={"review_round": 1})


def proposal_pass_round(*, actor: Actor, proposal: Proposal, version: int | None,
                        note: str = "") -> Proposal:
    def apply(p: Proposal) -> None:
        p.review_round += 1
        touch(p, "review_round")

    return transition(actor=actor, proposal=proposal, action="pass_round",
                      expected_version=version, note=note, apply=apply)


def _next_serial(session: Session) -> int:
    # Locking the session row serialises numbering within a session (PostgreSQL); SQLite runs
    # write transactions one at a time anyway. The unique constraint is the last line.
    Session.objects.select_for_update().filter(pk=session.pk).first()
    top = Proposal.objects.filter(session=session).aggregate(m=Max("serial_number"))["m"]
    return (top or 0) + 1


def proposal_file(*, actor: Actor, proposal: Proposal, version: int | None,
                  note: str = "") -> Proposal:
    """立案: the proposal gets its number in the session; unconfirmed co-signers do not count."""

    def apply(p: Proposal) -> None:
        assert p.session is not None
        p.serial_number = _next_serial(p.session)
        p.filed_at = clock.now()
        if p.kind != Proposal.Kind.COLLECTIVE:
            joint = p.co_proposers.filter(confirmed_at__isnull=False, declined=False).exists()
            p.kind = Proposal.Kind.JOINT if joint else Proposal.Kind.INDIVIDUAL
        touch(p, "serial_number", "filed_at", "kind")

    return transition(actor=actor, proposal=proposal, action="file", expected_version=version,
                      note=note, apply=apply, notify_users=proposer_users,
                      notify_title=_("Your proposal was filed"))


def proposal_not_file(*, actor: Actor, proposal: Proposal, version: int | None, reason: str,
                      message: str) -> Proposal:
    if reason not in NotFiledReason.values:
        raise ValidationError({"reason": _("Choose one of the reasons for not filing.")})
    if not message.strip():
        raise ValidationError({"message": _("Write a message to the proposer.")})
    return transition(actor=actor, proposal=proposal, action="not_file", expected_version=version,
                      note=f"{NotFiledReason(reason).label}：{message.strip()}",
                      changes={"not_filed_reason": reason, "review_message": message.strip()},
                      notify_users=proposer_users, notify_title=_("Your proposal was not filed"))


# Modules that create the converted record register here (the opinions app for
# "public_opinion", a letters module for "opinion_letter"): fn(actor, proposal) -> "label:id".
CONVERSION_HANDLERS: dict[str, Callable[[Actor, Proposal], str]] = {}


def register_conversion_handler(target: str, handler: Callable[[Actor, Proposal], str]) -> None:
    CONVERSION_HANDLERS[target] = handler


def proposal_convert(*, actor: Actor, proposal: Proposal, version: int | None, target: str,
                     message: str = "") -> Proposal:
    """Not a proposal, but worth sending on: an opinion letter or a public-opinion report."""
    if target not in ConversionTarget.values:
        raise ValidationError({"target": _("Choose what to convert the proposal to.")})

    def apply(p: Proposal) -> None:
        handler = CONVERSION_HANDLERS.get(target)
        if handler is not None:
            p.conversion_ref = handler(actor, p)[:100]
            touch(p, "conversion_ref")

    return transition(actor=actor, proposal=proposal, action="convert", expected_version=version,
                      note=f"{ConversionTarget(target).label}：{message.strip()}".rstrip("："),
                      changes={"conversion_target": target, "review_message": message.strip()},
                      apply=apply, notify_users=proposer_users,
                      notify_title=_("Your proposal was converted"))


MERGE_TARGETS = (S.UNDER_REVIEW, S.FILED, S.ASSIGNED, S.RETURN_REQUESTED, S.HANDLING)


def proposal_merge(*, actor: Actor, proposal: Proposal, version: int | None, into: Proposal,
                   note: str = "") -> Proposal:
    """并案: the proposal joins ``into``'s group; its proposer gets the group's reply too."""
    if into.pk == proposal.pk or into.committee_id != proposal.committee_id:
        raise ValidationError({"into": _("Choose another proposal of this committee.")})
    if into.status not in MERGE_TARGETS or into.merged_into_id is not None:
        raise ValidationError({"into": _("That proposal cannot take merged proposals.")})

    def apply(p: Proposal) -> None:
        Proposal.objects.filter(merged_into=p).update(merged_into=into)

    label = into.number or f"#{into.pk}"
    return transition(actor=actor, proposal=proposal, action="merge", expected_version=version,
                      note=_("Merged into %(p)s %(t)s") % {"p": label, "t": into.title}
                      + (f"\n{note}" if note else ""),
                      changes={"merged_into": into}, apply=apply, notify_users=proposer_users,
                      notify_title=_("Your proposal was merged with a similar one"))


def proposal_return(*, actor: Actor, proposal: Proposal, version: int | None,
                    message: str) -> Proposal:
    if not message.strip():
        raise ValidationError({"message": _("Say what should be revised.")})
    return transition(actor=actor, proposal=proposal, action="return", expected_version=version,
                      note=message.strip(), changes={"review_message": message.strip(),
                                                     "review_round": 0},
                      notify_users=proposer_users,
                      notify_title=_("Your proposal was returned for revision"))


# --- assignment -------------------------------------------------------------------------------

def _deadline(committee: Committee, key: str, start: dt.date | None = None) -> Deadline:
    return WorkCalendar(committee).add_months(start or clock.today(),
                                              int(policies.get(committee, key)))


def _new_assignment(p: Proposal, unit: HandlingUnit, role: str, urgent: bool = False) -> Assignment:
    key = "co_opinion_months" if role == Assignment.Role.CO else (
        "urgent_reply_months" if urgent else "reply_months")
    due = _deadline(p.committee, key)
    return Assignment.objects.create(committee=p.committee, proposal=p, unit=unit, role=role,
                                     due_date=due.date, due_warnings=list(due.warnings))


def proposal_assign(*, actor: Actor, proposal: Proposal, version: int | None, kind: str,
                    unit_ids: Sequence[int], co_unit_ids: Sequence[int] = (),
                    urgent: bool = False, note: str = "") -> Proposal:
    """交办: single (one unit), split (each replies) or lead + co-units (opinion in 1 month)."""
    if kind not in AssignmentType.values:
        raise ValidationError({"kind": _("Choose how the proposal is assigned.")})
    ids = list(dict.fromkeys(int(i) for i in unit_ids))
    co_ids = [int(i) for i in dict.fromkeys(co_unit_ids) if int(i) not in ids]
    if kind == AssignmentType.SINGLE and len(ids) != 1:
        raise ValidationError({"unit_ids": _("Choose exactly one unit.")})
    if kind == AssignmentType.SPLIT and len(ids) < 2:
        raise ValidationError({"unit_ids": _("Choose at least two units to split among.")})
    if kind == AssignmentType.LEAD and (len(ids) != 1 or not co_ids):
        raise ValidationError({"unit_ids": _("Choose one lead unit and at least one co-unit.")})
    units = {u.pk: u for u in HandlingUnit.objects.filter(
        committee=proposal.committee, pk__in=ids + co_ids, is_active=True)}
    if len(units) != len(ids) + len(co_ids):
        raise ValidationError({"unit_ids": _("No such record in this committee.")})
    role = {AssignmentType.SINGLE: Assignment.Role.SINGLE, AssignmentType.SPLIT:
            Assignment.Role.SPLIT, AssignmentType.LEAD: Assignment.Role.LEAD}[AssignmentType(kind)]

    def apply(p: Proposal) -> None:
        for uid in ids:
            _new_assignment(p, units[uid], role, urgent)
        for uid in co_ids:
            _new_assignment(p, units[uid], Assignment.Role.CO)
        p.assignment_type, p.assigned_at = kind, clock.now()
        touch(p, "assignment_type", "assigned_at")
        from xieshang.proposals import routing

        routing.record_decision(p, ids + co_ids)

    return transition(actor=actor, proposal=proposal, action="assign", expected_version=version,
                      note=note or "、".join(units[i].name for i in ids + co_ids), apply=apply,
                      notify_users=lambda p: unit_users(ids + co_ids),
                      notify_title=_("A proposal was assigned to your unit"))


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


def assignment_sign(*, actor: Actor, proposal: Proposal, version: int | None) -> Proposal:
    """签收: when the last unit has signed for it, handling starts."""
    def apply(p: Proposal) -> str:
        a = _mine(actor, p, (A.ASSIGNED,))
        a.state, a.signed_at = A.SIGNED, clock.now()
        a.save(update_fields=["state", "signed_at"])
        if p.status == S.RETURN_REQUESTED:
            return str(S.RETURN_REQUESTED)
        return str(S.ASSIGNED if _pending_sign(p) else S.HANDLING)

    return transition(actor=actor, proposal=proposal, action="sign", expected_version=version,
                      apply=apply)


def assignment_request_return(*, actor: Actor, proposal: Proposal, version: int | None,
                              reason: str) -> Proposal:
    """申退: within the set working days, with a reason; the office decides."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for returning the proposal.")})

    def apply(p: Proposal) -> None:
        a = _mine(actor, p, (A.ASSIGNED,))
        a.state, a.return_reason, a.return_requested_at = (A.RETURN_REQUESTED, reason.strip(),
                                                           clock.now())
        a.save(update_fields=["state", "return_reason", "return_requested_at"])

    return transition(actor=actor, proposal=proposal, action="request_return",
                      expected_version=version, note=reason.strip(), apply=apply,
                      notify_users=lambda p: staff_users(p.committee),
                      notify_title=_("A unit asks to return a proposal"))


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


def assignment_reassign(*, actor: Actor, proposal: Proposal, version: int | None,
                        assignment: Assignment, unit: HandlingUnit, note: str = "") -> Proposal:
    """The office accepts the return request and gives the part to another unit."""
    if unit.committee_id != proposal.committee_id or not unit.is_active:
        raise ValidationError({"unit": _("No such record in this committee.")})
    if Assignment.objects.filter(proposal=proposal, unit=unit).exclude(
            state=A.WITHDRAWN).exists():
        raise ValidationError({"unit": _("That unit already has this proposal.")})

    def apply(p: Proposal) -> str:
        old = _requested(p, assignment)
        old.state = A.WITHDRAWN
        old.save(update_fields=["state"])
        _new_assignment(p, unit, old.role)
        return _after_return_decision(p)

    return transition(actor=actor, proposal=proposal, action="reassign", expected_version=version,
                      note=f"{assignment.unit} → {unit}" + (f"：{note}" if note else ""),
                      apply=apply, notify_users=lambda p: unit_users([unit.pk, assignment.unit_id]),
                      notify_title=_("A proposal was reassigned"))


def assignment_refuse_return(*, actor: Actor, proposal: Proposal, version: int | None,
                             assignment: Assignment, note: str) -> Proposal:
    if not note.strip():
        raise ValidationError({"note": _("Say why the unit must handle it.")})

    def apply(p: Proposal) -> str:
        a = _requested(p, assignment)
        a.state = A.ASSIGNED
        a.save(update_fields=["state"])
        return _after_return_decision(p)

    return transition(actor=actor, proposal=proposal, action="refuse_return",
                      expected_version=version, note=note.strip(), apply=apply,
                      notify_users=lambda p: unit_users([assignment.unit_id]),
                      notify_title=_("The return request was refused"))


def assignment_extend(*, actor: Actor, proposal: Proposal, version: int | None,
                      assignment: Assignment, note: str = "") -> Proposal:
    """An approved extension: the due date moves by the configured months."""
    def apply(p: Proposal) -> None:
        a = Assignment.objects.select_for_update().filter(
            pk=assignment.pk, proposal=p, state__in=Assignment.OPEN_STATES).first()
        if a is None:
            raise ValidationError({"assignment": _("That unit's part is already done.")})
        due = _deadline(p.committee, "extension_months", a.due_date)
        a.due_date, a.due_warnings, a.reminded_on, a.overdue_notified_on = (
            due.date, list(due.warnings), None, None)
        a.save(update_fields=["due_date", "due_warnings", "reminded_on", "overdue_notified_on"])

    return transition(actor=actor, proposal=proposal, action="extend", expected_version=version,
                      note=note, apply=apply,
                      notify_users=lambda p: unit_users([assignment.unit_id]),
                      notify_title=_("The deadline of a proposal was extended"))


# --- handling ---------------------------------------------------------------------------------

def contact_record(*, actor: Actor, proposal: Proposal, version: int | None, date: dt.date,
                   way: str, notes: str) -> Proposal:
    """办前面商 (and later contacts): date, way, notes."""
    if way not in ContactRecord.Way.values:
        raise ValidationError({"way": _("Choose how you were in contact.")})
    if not notes.strip():
        raise ValidationError({"notes": _("Write down what was discussed.")})
    if date > clock.today():
        raise ValidationError({"date": _("The date is in the future.")})
    action = "record_meeting" if proposal.status == S.CLOSED else "record_contact"

    def apply(p: Proposal) -> None:
        mine = permissions.my_assignment(actor, p, tuple(Assignment.State.values))
        ContactRecord.objects.create(committee=p.committee, proposal=p, assignment=mine,
                                     date=date, way=way, notes=notes.strip(),
                                     recorded_by=actor.user)
        if action == "record_meeting":
            p.needs_meeting = False
            touch(p, "needs_meeting")

    return transition(actor=actor, proposal=proposal, action=action, expected_version=version,
                      note=f"{ContactRecord.Way(way).label} {date:%Y-%m-%d}", apply=apply)


def countersign(*, actor: Actor, proposal: Proposal, version: int | None,
                opinion: str) -> Proposal:
    """会签: a co-unit gives its opinion to the lead unit."""
    if not opinion.strip():
        raise ValidationError({"opinion": _("Write the co-unit's opinion.")})

    def apply(p: Proposal) -> None:
        a = _mine(actor, p, (A.SIGNED,), replying=False)
        a.state, a.opinion, a.opinion_at = A.OPINION_GIVEN, opinion.strip(), clock.now()
        a.save(update_fields=["state", "opinion", "opinion_at"])

    return transition(actor=actor, proposal=proposal, action="countersign",
                      expected_version=version, apply=apply,
                      notify_users=lambda p: unit_users(
                          a.unit_id for a in p.assignments.all()
                          if a.role == Assignment.Role.LEAD and a.state != A.WITHDRAWN),
                      notify_title=_("A co-unit gave its opinion"))


def reply_draft(*, actor: Actor, proposal: Proposal, version: int | None, result_class: str,
                body: str, contact_person: str = "", contact_phone: str = "") -> Proposal:
    """The unit clerk drafts (or redrafts) the reply letter with its class A/B/C."""
    if result_class not in ResultClass.values:
        raise ValidationError({"result_class": _("Choose the result class A, B or C.")})
    if len(body.strip()) < 10:
        raise ValidationError({"body": _("Write the reply.")})

    def apply(p: Proposal) -> None:
        a = _mine(actor, p, (A.SIGNED, A.SENT_BACK, A.DRAFTED), replying=True)
        a.state = A.DRAFTED
        a.save(update_fields=["state"])
        Reply.objects.update_or_create(
            assignment=a, round=p.handling_round, defaults={
                "committee": p.committee, "proposal": p, "result_class": result_class,
                "body": body.strip(), "contact_person": contact_person.strip()[:50],
                "contact_phone": contact_phone.strip()[:30], "state": Reply.State.DRAFT,
                "drafted_by": actor.user, "drafted_at": clock.now()})

    return transition(actor=actor, proposal=proposal, action="draft_reply",
                      expected_version=version, apply=apply,
                      notify_users=lambda p: unit_users(
                          [a.unit_id for a in p.assignments.all() if a.unit_id in actor.unit_ids],
                          roles=(Role.UNIT_LEADER,)),
                      notify_title=_("A reply waits for your approval"))


def reply_approve(*, actor: Actor, proposal: Proposal, version: int | None,
                  note: str = "") -> Proposal:
    """签发: the unit leader approves; when every replying unit has, the office checks them."""
    def apply(p: Proposal) -> str:
        a = _mine(actor, p, (A.DRAFTED,), replying=True)
        a.state = A.APPROVED
        a.save(update_fields=["state"])
        Reply.objects.filter(assignment=a, round=p.handling_round).update(
            state=Reply.State.APPROVED, approved_by=actor.user, approved_at=clock.now())
        waiting = Assignment.objects.filter(proposal=p).exclude(role=Assignment.Role.CO).exclude(
            state__in=(A.APPROVED, A.WITHDRAWN, A.DONE)).exists()
        return str(p.status if waiting else S.REPLY_REVIEW)

    return transition(actor=actor, proposal=proposal, action="approve", expected_version=version,
                      note=note, apply=apply, notify_users=lambda p: (
                          staff_users(p.committee) if p.status == S.REPLY_REVIEW else []),
                      notify_title=_("Replies wait for the office's check"))


def reply_send_back(*, actor: Actor, proposal: Proposal, version: int | None,
                    assignment: Assignment, note: str) -> Proposal:
    """The office sends a weak reply back to its unit to be redone."""
    if not note.strip():
        raise ValidationError({"note": _("Say what is wrong with the reply.")})

    def apply(p: Proposal) -> str:
        a = Assignment.objects.select_for_update().filter(pk=assignment.pk, proposal=p,
                                                          state=A.APPROVED).first()
        if a is None:
            raise ValidationError({"assignment": _("That unit has no reply waiting.")})
        a.state = A.SENT_BACK
        a.save(update_fields=["state"])
        Reply.objects.filter(assignment=a, round=p.handling_round).update(
            state=Reply.State.SENT_BACK, sent_back_note=note.strip())
        return str(S.REHANDLING if p.handling_round > 1 else S.HANDLING)

    return transition(actor=actor, proposal=proposal, action="send_back", expected_version=version,
                      note=f"{assignment.unit}：{note.strip()}", apply=apply,
                      notify_users=lambda p: unit_users([assignment.unit_id]),
                      notify_title=_("A reply was sent back to be redone"))


def replies_release(*, actor: Actor, proposal: Proposal, version: int | None,
                    note: str = "") -> Proposal:
    """The replies go to every proposer of the group; the feedback period starts."""
    def apply(p: Proposal) -> None:
        now = clock.now()
        Reply.objects.filter(proposal=p, round=p.handling_round,
                             state=Reply.State.APPROVED).update(state=Reply.State.SENT, sent_at=now)
        Assignment.objects.filter(proposal=p, state=A.APPROVED).update(state=A.DONE)
        p.replied_at = now
        p.feedback_due = WorkCalendar(p.committee).add_working_days(
            timezone.localdate(now), int(policies.get(p.committee, "feedback_days"))).date
        touch(p, "replied_at", "feedback_due")

    return transition(actor=actor, proposal=proposal, action="release", expected_version=version,
                      note=note, apply=apply, notify_users=group_proposer_users,
                      notify_title=_("Your proposal has been answered: please rate the reply"))


def _start_rehandling(p: Proposal) -> None:
    due = _deadline(p.committee, "rehandle_months")
    Assignment.objects.filter(proposal=p, state=A.DONE).exclude(role=Assignment.Role.CO).update(
        state=A.SIGNED, due_date=due.date, due_warnings=list(due.warnings), reminded_on=None,
        overdue_notified_on=None)
    p.handling_round += 1
    p.is_rehandled = True
    p.feedback_due = None
    touch(p, "handling_round", "is_rehandled", "feedback_due")


def _settle_feedback(p: Proposal) -> str:
    ratings = list(Feedback.objects.filter(proposal=p, round=p.handling_round)
                   .values_list("member_id", "body_id", "rating"))
    if {(m, b) for m, b, _r in ratings} != set(permissions.raters(p)):
        return str(S.REPLIED)
    if any(r == Rating.DISSATISFIED for _m, _b, r in ratings):
        if p.handling_round == 1:
            _start_rehandling(p)
            return str(S.REHANDLING)
        p.needs_meeting = True
        touch(p, "needs_meeting")
    p.closed_at = clock.now()
    touch(p, "closed_at")
    return str(S.CLOSED)


FEEDBACK_FIELDS = ("how_heard", "attitude", "agrees_with_result", "visited", "on_point")


def feedback_rate(*, actor: Actor, proposal: Proposal, version: int | None, rating: str,
                  comments: str = "", how_heard: str = "", attitude: str = "",
                  agrees_with_result: bool | None = None, visited: bool | None = None,
                  on_point: bool | None = None) -> Proposal:
    """征询意见表: 不满意 in the first round sends the proposal back for re-handling."""
    if rating not in Rating.values:
        raise ValidationError({"rating": _("Choose satisfied, basically satisfied or "
                                           "dissatisfied.")})
    if how_heard and how_heard not in Feedback.Heard.values:
        raise ValidationError({"how_heard": _("This value is not valid.")})
    if attitude and attitude not in Rating.values:
        raise ValidationError({"attitude": _("This value is not valid.")})
    if rating == Rating.DISSATISFIED and not comments.strip():
        raise ValidationError({"comments": _("Say what you are dissatisfied with.")})

    def apply(p: Proposal) -> str:
        key = permissions.rater_key(actor, p)
        assert key is not None
        Feedback.objects.create(
            committee=p.committee, proposal=p, member_id=key[0], body_id=key[1],
            round=p.handling_round, rating=rating, comments=comments.strip(),
            how_heard=how_heard, attitude=attitude, agrees_with_result=agrees_with_result,
            visited=visited, on_point=on_point)
        return _settle_feedback(p)

    def recipients(p: Proposal) -> list[User]:
        if p.status == S.REHANDLING:
            return _assignment_unit_users(p) + staff_users(p.committee)
        return []

    return transition(actor=actor, proposal=proposal, action="rate", expected_version=version,
                      note=str(Rating(rating).label), apply=apply, notify_users=recipients,
                      notify_title=_("The proposer is dissatisfied: the proposal is re-handled"))


def feedback_close(*, actor: Actor, proposal: Proposal, version: int | None) -> Proposal:
    """After the feedback period, proposers who did not answer count as the configured default."""
    default = str(policies.get(proposal.committee, "feedback_default"))
    if default not in Rating.values:
        default = Rating.BASICALLY

    def apply(p: Proposal) -> str:
        done = set(Feedback.objects.filter(proposal=p, round=p.handling_round)
                   .values_list("member_id", "body_id"))
        Feedback.objects.bulk_create([
            Feedback(committee=p.committee, proposal=p, member_id=m, body_id=b,
                     round=p.handling_round, rating=default, is_default=True)
            for m, b in permissions.raters(p) if (m, b) not in done])
        return _settle_feedback(p)

    return transition(actor=actor, proposal=proposal, action="close_feedback",
                      expected_version=version, note=str(Rating(default).label), apply=apply,
                      notify_users=lambda p: _assignment_unit_users(p) if p.status == S.REHANDLING
                      else [], notify_title=_("The proposal is re-handled"))


# --- key and excellent ------------------------------------------------------------------------

def leaders(committee: Committee) -> list[User]:
    return list(users_with_role(committee, Role.LEADER))


def proposal_mark_key(*, actor: Actor, proposal: Proposal, version: int | None,
                      leader: User, note: str = "") -> Proposal:
    """重点提案, decided by the chair meeting, with the leader who supervises it."""
    if not users_with_role(proposal.committee, Role.LEADER).filter(pk=leader.pk).exists():
        raise ValidationError({"leader": _("Choose a leader of this committee.")})
    return transition(actor=actor, proposal=proposal, action="mark_key", expected_version=version,
                      note=_("Supervised by %(name)s") % {"name": leader} + (
                          f"\n{note}" if note else ""),
                      changes={"is_key": True, "key_leader": leader},
                      notify_users=lambda p: [leader, *_assignment_unit_users(p)],
                      notify_title=_("A proposal was chosen as a key proposal"))


@transaction.atomic
def supervision_record(*, actor: Actor, proposal: Proposal, kind: str, date: dt.date,
                       notes: str) -> SupervisionRecord:
    require(permissions.can_supervise(actor, proposal))
    if kind not in SupervisionRecord.Kind.values:
        raise ValidationError({"kind": _("This value is not valid.")})
    if not notes.strip():
        raise ValidationError({"notes": _("Write down what was done.")})
    row = SupervisionRecord.objects.create(committee=proposal.committee, proposal=proposal,
                                           kind=kind, date=date, notes=notes.strip(),
                                           recorded_by=actor.user)
    audit.record(actor, "proposal.supervise", proposal, after=audit.snapshot(row))
    return row


@transaction.atomic
def excellent_nominate(*, actor: Actor, year: int, proposal: Proposal | None = None,
                       unit: HandlingUnit | None = None, reason: str = "") -> ExcellentNomination:
    require(permissions.can_manage_excellent(actor))
    assert actor.committee is not None
    if (proposal is None) == (unit is None):
        raise ValidationError(_("Nominate either a proposal or a unit."))
    if proposal is not None and (not actor.acts_in(proposal)
                                 or proposal.status not in (S.REPLIED, S.CLOSED)):
        raise ValidationError({"proposal": _("Only answered proposals can be nominated.")})
    if unit is not None and not actor.acts_in(unit):
        raise ValidationError({"unit": _("No such record in this committee.")})
    kind = ExcellentNomination.Kind.PROPOSAL if proposal else ExcellentNomination.Kind.UNIT
    if ExcellentNomination.objects.filter(committee=actor.committee, year=year, proposal=proposal,
                                          unit=unit).exists():
        raise ValidationError(_("This has already been nominated this year."))
    row = ExcellentNomination.objects.create(committee=actor.committee, year=year, kind=kind,
                                             proposal=proposal, unit=unit, reason=reason.strip(),
                                             nominated_by=actor.user)
    audit.record(actor, "proposal.excellent_nominate", row, after=audit.snapshot(row))
    return row


@transaction.atomic
def excellent_decide(*, actor: Actor, nomination: ExcellentNomination,
                     selected: bool) -> ExcellentNomination:
    """The final list: selected proposals get the "excellent" flag."""
    require(permissions.can_manage_excellent(actor) and actor.acts_in(nomination))
    before = audit.snapshot(nomination, ["selected"])
    nomination.selected, nomination.decided_at = selected, clock.now()
    nomination.save(update_fields=["selected", "decided_at"])
    if nomination.proposal_id:
        Proposal.objects.filter(pk=nomination.proposal_id).update(is_excellent=selected)
    audit.record(actor, "proposal.excellent_decide", nomination, before=before,
                 after=audit.snapshot(nomination, ["selected"]))
    return nomination
