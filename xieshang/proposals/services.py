"""Every write of the proposals work. Status changes are the steps of ``workflow.PROPOSAL``,
taken by ``core.workflow.transition`` (the functions below are their typed form for code); the
rest (drafts, co-signing, attachments, supervision, nominations) is one audited transaction
each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from importlib.util import find_spec
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from xieshang.core import audit, clock, uploads
from xieshang.core.models import Committee, Role, User
from xieshang.core.notifications import notify_on_commit
from xieshang.core.permissions import Actor, require
from xieshang.core.selectors import users_with_role
from xieshang.core.uploads import Upload
from xieshang.core.workflow import step_input, transition
from xieshang.members.models import CollectiveBody, HandlingUnit, Member
from xieshang.proposals import permissions, policies, selectors, workflow
from xieshang.proposals.models import (
    DEFAULT_CATEGORIES,
    Assignment,
    ExcellentNomination,
    NominatorKind,
    Proposal,
    ProposalAttachment,
    ProposalCategory,
    ProposalCoProposer,
    Status,
    SupervisionRecord,
)
from xieshang.proposals.workflow import (  # re-exported: callers reach them through services
    CONVERSION_HANDLERS,
    MERGE_TARGETS,
    register_conversion_handler,
    session_for,
    staff_users,
    unit_users,
)

__all__ = ["CONVERSION_HANDLERS", "MERGE_TARGETS", "register_conversion_handler", "session_for",
           "staff_users", "unit_users"]

A = Assignment.State
S = Status


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


# --- drafts and submission --------------------------------------------------------------------

def _clean_units(actor: Actor, committee: Committee, unit_ids: Iterable[int]) -> list[HandlingUnit]:
    ids = list(dict.fromkeys(int(i) for i in unit_ids))
    if not ids:  # nothing to check (the limit is a policy: a read of the committee's parents)
        return []
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
    created = proposal.pk is None
    # Foreign keys set above from rows just read (the actor's committee, login and member
    # or body; the category picked in the committee) exist: full_clean's check of each was a
    # query. Every other field is validated as before.
    known = (["committee", "created_by", "proposer", "body_proposer"] if created else []) + (
        ["category"] if category is not None else [])
    proposal.full_clean(exclude=known + (["title"] if not proposal.title else []))
    if before and audit.snapshot(proposal, list(DRAFT_FIELDS)) != before:
        # A changed draft is a new version: a copy written elsewhere (offline on a phone, in
        # another tab) against the old one is then refused as a conflict, not saved over this.
        proposal.version += 1
    proposal.save()
    if units or not created:  # a new draft has no units nor co-proposers to replace
        proposal.suggested_units.set(units)
    keep = {m.pk for m in co}
    if not created:
        proposal.co_proposers.exclude(member_id__in=keep).delete()
    have = set() if created else set(proposal.co_proposers.values_list("member_id", flat=True))
    ProposalCoProposer.objects.bulk_create(
        [ProposalCoProposer(committee=committee, proposal=proposal, member=m)
         for m in co if m.pk not in have])
    audit.record(actor, "proposal.save_draft", proposal, before=before,
                 after=audit.snapshot(proposal, list(DRAFT_FIELDS)))
    return proposal


# --- the lifecycle's steps, as typed functions for code (pages and the API take steps through
# workflow.PROPOSAL.take with the step's input schema) ------------------------------------------

def _step(actor: Actor, proposal: Proposal, step: str, version: int | None,
          **inputs: Any) -> Proposal:
    schema = workflow.PROPOSAL.steps[step].input
    return transition(workflow.PROPOSAL, actor=actor, obj=proposal, step=step, version=version,
                      data=step_input(schema, **inputs))


def proposal_submit(*, actor: Actor, proposal: Proposal, version: int | None,
                    resubmit: bool | None = None) -> Proposal:
    """Submit a draft (or resubmit after revision). ``resubmit`` names the step the caller
    asked for; by default the one the status calls for."""
    if resubmit is None:
        resubmit = proposal.status == S.RETURNED
    return _step(actor, proposal, "resubmit" if resubmit else "submit", version)


def proposal_withdraw(*, actor: Actor, proposal: Proposal, version: int | None,
                      note: str = "") -> Proposal:
    return _step(actor, proposal, "withdraw", version, note=note)


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


def check_upload(committee: Committee, upload: Upload) -> None:
    """PDF, Word and images only, judged by extension *and* content; size limited by policy."""
    uploads.check_upload(upload, allowed=ALLOWED_UPLOADS,
                         max_mb=int(policies.get(committee, "attachment_mb")), field="file")


@transaction.atomic
def attachment_add(*, actor: Actor, proposal: Proposal, upload: Upload) -> ProposalAttachment:
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


# --- review, assignment, handling, feedback: steps of the lifecycle ---------------------------

def proposal_start_review(*, actor: Actor, proposal: Proposal, version: int | None) -> Proposal:
    return _step(actor, proposal, "start_review", version)


def proposal_pass_round(*, actor: Actor, proposal: Proposal, version: int | None,
                        note: str = "") -> Proposal:
    return _step(actor, proposal, "pass_round", version, note=note)


def proposal_file(*, actor: Actor, proposal: Proposal, version: int | None,
                  note: str = "") -> Proposal:
    return _step(actor, proposal, "file", version, note=note)


def proposal_not_file(*, actor: Actor, proposal: Proposal, version: int | None, reason: str,
                      message: str) -> Proposal:
    return _step(actor, proposal, "not_file", version, reason=reason, message=message)


def proposal_convert(*, actor: Actor, proposal: Proposal, version: int | None, target: str,
                     message: str = "") -> Proposal:
    return _step(actor, proposal, "convert", version, target=target, message=message)


def proposal_merge(*, actor: Actor, proposal: Proposal, version: int | None, into: Proposal,
                   note: str = "") -> Proposal:
    return _step(actor, proposal, "merge", version, into=into.pk, note=note)


def proposal_return(*, actor: Actor, proposal: Proposal, version: int | None,
                    message: str) -> Proposal:
    return _step(actor, proposal, "return", version, message=message)


def proposal_assign(*, actor: Actor, proposal: Proposal, version: int | None, kind: str,
                    unit_ids: Sequence[int], co_unit_ids: Sequence[int] = (),
                    urgent: bool = False, note: str = "") -> Proposal:
    return _step(actor, proposal, "assign", version, kind=kind, unit_ids=list(unit_ids),
                 co_unit_ids=list(co_unit_ids), urgent=urgent, note=note)


def assignment_sign(*, actor: Actor, proposal: Proposal, version: int | None) -> Proposal:
    return _step(actor, proposal, "sign", version)


def assignment_request_return(*, actor: Actor, proposal: Proposal, version: int | None,
                              reason: str) -> Proposal:
    return _step(actor, proposal, "request_return", version, reason=reason)


def assignment_reassign(*, actor: Actor, proposal: Proposal, version: int | None,
                        assignment: Assignment, unit: HandlingUnit, note: str = "") -> Proposal:
    return _step(actor, proposal, "reassign", version, assignment=assignment.pk, unit=unit.pk,
                 note=note)


def assignment_refuse_return(*, actor: Actor, proposal: Proposal, version: int | None,
                             assignment: Assignment, note: str) -> Proposal:
    return _step(actor, proposal, "refuse_return", version, assignment=assignment.pk,
                 note=note)


def assignment_extend(*, actor: Actor, proposal: Proposal, version: int | None,
                      assignment: Assignment, note: str = "") -> Proposal:
    return _step(actor, proposal, "extend", version, assignment=assignment.pk, note=note)


def contact_record(*, actor: Actor, proposal: Proposal, version: int | None, date: dt.date,
                   way: str, notes: str) -> Proposal:
    """A contact with the proposer while handling; after closing, the face-to-face meeting."""
    step = "record_meeting" if proposal.status == S.CLOSED else "record_contact"
    return _step(actor, proposal, step, version, date=date, way=way, notes=notes)


def countersign(*, actor: Actor, proposal: Proposal, version: int | None,
                opinion: str) -> Proposal:
    return _step(actor, proposal, "countersign", version, opinion=opinion)


def reply_draft(*, actor: Actor, proposal: Proposal, version: int | None, result_class: str,
                body: str, contact_person: str = "", contact_phone: str = "") -> Proposal:
    return _step(actor, proposal, "draft_reply", version, result_class=result_class, body=body,
                 contact_person=contact_person, contact_phone=contact_phone)


def reply_approve(*, actor: Actor, proposal: Proposal, version: int | None,
                  note: str = "") -> Proposal:
    return _step(actor, proposal, "approve", version, note=note)


def reply_send_back(*, actor: Actor, proposal: Proposal, version: int | None,
                    assignment: Assignment, note: str) -> Proposal:
    return _step(actor, proposal, "send_back", version, assignment=assignment.pk, note=note)


def replies_release(*, actor: Actor, proposal: Proposal, version: int | None,
                    note: str = "") -> Proposal:
    return _step(actor, proposal, "release", version, note=note)


def feedback_rate(*, actor: Actor, proposal: Proposal, version: int | None, rating: str,
                  comments: str = "", how_heard: str = "", attitude: str = "",
                  agrees_with_result: bool | None = None, visited: bool | None = None,
                  on_point: bool | None = None) -> Proposal:
    return _step(actor, proposal, "rate", version, rating=rating, comments=comments,
                 how_heard=how_heard, attitude=attitude, agrees_with_result=agrees_with_result,
                 visited=visited, on_point=on_point)


def feedback_close(*, actor: Actor, proposal: Proposal, version: int | None) -> Proposal:
    return _step(actor, proposal, "close_feedback", version)


def proposal_mark_key(*, actor: Actor, proposal: Proposal, version: int | None,
                      leader: User, note: str = "") -> Proposal:
    return _step(actor, proposal, "mark_key", version, leader=leader.pk, note=note)


# --- key and excellent ------------------------------------------------------------------------

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


def _excellent_decided(committee_id: int, year: int) -> bool:
    return ExcellentNomination.objects.filter(committee_id=committee_id, year=year,
                                              decided_at__isnull=False).exists()


@transaction.atomic
def excellent_nominate(*, actor: Actor, year: int, proposal: Proposal | None = None,
                       unit: HandlingUnit | None = None, reason: str = "",
                       as_body: int | None = None) -> ExcellentNomination:
    """Put a proposal (or, for the office, a handling unit) forward for the year's excellent
    list. The office nominates as such; a handling unit only proposals it handled; a member
    holding the collective role nominates in the name of the group (``as_body``)."""
    require(permissions.can_nominate_excellent(actor))
    assert actor.committee is not None
    if (proposal is None) == (unit is None):
        raise ValidationError(_("Nominate either a proposal or a unit."))
    if not 2000 <= year <= clock.today().year:
        raise ValidationError({"year": _("Choose this year or an earlier one.")})
    if _excellent_decided(actor.committee.pk, year):
        raise ValidationError({"year": _("The excellent proposals of %(year)s have been decided: "
                                         "nominations are closed.") % {"year": year}})
    nominating_unit = nominating_body = None
    if as_body is not None:
        require(as_body in actor.body_ids and actor.has(Role.COLLECTIVE),
                _("You cannot nominate in the name of this group."))
        nominating_body = CollectiveBody.objects.get(pk=as_body, committee=actor.committee)
        by = NominatorKind.GROUP
    elif permissions.can_manage_excellent(actor):
        by = NominatorKind.OFFICE
    elif actor.is_unit:
        by = NominatorKind.UNIT
    else:
        by = NominatorKind.GROUP
        nominating_body = CollectiveBody.objects.get(pk=min(actor.body_ids),
                                                     committee=actor.committee)
    if unit is not None and by != NominatorKind.OFFICE:
        raise ValidationError({"unit": _("Only the proposal office nominates handling units.")})
    if proposal is not None and (not actor.acts_in(proposal)
                                 or proposal.status not in (S.REPLIED, S.CLOSED)):
        raise ValidationError({"proposal": _("Only answered proposals can be nominated.")})
    if proposal is not None and by != NominatorKind.OFFICE and not selectors.can_view(actor,
                                                                                  proposal):
        raise ValidationError({"proposal": _("No such record in this committee.")})
    if by == NominatorKind.UNIT:
        assert proposal is not None
        handled = Assignment.objects.filter(proposal=proposal, unit_id__in=actor.unit_ids)
        first = handled.order_by("id").values_list("unit_id", flat=True).first()
        if first is None:
            raise ValidationError({"proposal": _(
                "A handling unit nominates only proposals it handled.")})
        nominating_unit = HandlingUnit.objects.get(pk=first)
    if unit is not None and not actor.acts_in(unit):
        raise ValidationError({"unit": _("No such record in this committee.")})
    if not reason.strip() and by != NominatorKind.OFFICE:
        raise ValidationError({"reason": _("Say why it deserves to be selected.")})
    kind = ExcellentNomination.Kind.PROPOSAL if proposal else ExcellentNomination.Kind.UNIT
    if ExcellentNomination.objects.filter(committee=actor.committee, year=year, proposal=proposal,
                                          unit=unit).exists():
        raise ValidationError(_("This has already been nominated this year."))
    row = ExcellentNomination.objects.create(
        committee=actor.committee, year=year, kind=kind, proposal=proposal, unit=unit,
        reason=reason.strip(), nominated_by=actor.user, nominator_kind=by,
        nominating_unit=nominating_unit, nominating_body=nominating_body)
    audit.record(actor, "proposal.excellent_nominate", row, after=audit.snapshot(row))
    if by != NominatorKind.OFFICE:
        notify_on_commit(recipients=users_with_role(actor.committee, *permissions.STAFF),
                         committee=actor.committee,
                         title=_("New nomination for the excellent proposals: %(t)s")
                         % {"t": str(row)}, url=reverse("proposal-excellent"))
    return row


def _resolution(resolution_no: str, resolution_date: dt.date | None) -> tuple[str, dt.date]:
    errors: dict[str, str] = {}
    if not resolution_no.strip():
        errors["resolution_no"] = _("Give the number of the meeting's resolution, "
                                    "e.g. 县政协常委会议决定〔2026〕3号.")
    if resolution_date is None:
        errors["resolution_date"] = _("Give the date of the meeting's resolution.")
    elif resolution_date > clock.today():
        errors["resolution_date"] = _("The resolution date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    assert resolution_date is not None
    return resolution_no.strip()[:60], resolution_date


@transaction.atomic
def excellent_decide(*, actor: Actor, nomination: ExcellentNomination, selected: bool,
                     resolution_no: str, resolution_date: dt.date | None
                     ) -> ExcellentNomination:
    """The final list, as the committee meeting decided it: selected proposals get the
    "excellent" flag; the resolution's number and date are kept on each decided nomination
    (the figure and the duty points count a proposal on the resolution date)."""
    require(permissions.can_manage_excellent(actor) and actor.acts_in(nomination))
    number, day = _resolution(resolution_no, resolution_date)
    if day.year < nomination.year:
        raise ValidationError({"resolution_date": _(
            "The resolution cannot come before the year it selects for.")})
    nomination = ExcellentNomination.objects.select_for_update().get(pk=nomination.pk)
    fields = ["selected", "resolution_no", "resolution_date"]
    before = audit.snapshot(nomination, fields)
    years = {day.year} | ({nomination.resolution_date.year} if nomination.resolution_date
                          else set())
    nomination.selected, nomination.decided_at = selected, clock.now()
    nomination.resolution_no, nomination.resolution_date = number, day
    nomination.save(update_fields=[*fields, "decided_at"])
    if nomination.proposal_id:
        Proposal.objects.filter(pk=nomination.proposal_id).update(is_excellent=selected)
    audit.record(actor, "proposal.excellent_decide", nomination, before=before,
                 after=audit.snapshot(nomination, fields))
    if nomination.proposal_id:
        _queue_duty_scores(nomination.committee, years)
    return nomination


def _queue_duty_scores(committee: Committee, years: set[int]) -> None:
    """The duty rules score excellent proposals on the resolution date: ask for the years'
    scores to be recomputed (debounced, after the commit)."""
    # Optional app: duties may be absent beside proposals.
    if find_spec("xieshang.duties.services") is None:
        return
    from xieshang.duties.services import schedule_recompute

    for year in sorted(years):
        schedule_recompute(committee, year)


@transaction.atomic
def excellent_decide_year(*, actor: Actor, year: int, selected_ids: Iterable[int],
                          resolution_no: str, resolution_date: dt.date | None
                          ) -> list[ExcellentNomination]:
    """Record the meeting's decision on every nomination of the year at once: the chosen ones
    are on the list, the others are not."""
    require(permissions.can_manage_excellent(actor))
    assert actor.committee is not None
    if not 2000 <= year <= clock.today().year:
        raise ValidationError({"year": _("Choose this year or an earlier one.")})
    chosen = set(selected_ids)
    rows = list(ExcellentNomination.objects.filter(committee=actor.committee, year=year))
    if not rows:
        raise ValidationError(_("There are no nominations for %(year)s.") % {"year": year})
    unknown = chosen - {r.pk for r in rows}
    if unknown:
        raise ValidationError(_("Choose among this year's nominations."))
    if not chosen:
        raise ValidationError(_("Choose at least one nomination for the list."))
    out = [excellent_decide(actor=actor, nomination=r, selected=r.pk in chosen,
                            resolution_no=resolution_no, resolution_date=resolution_date)
           for r in rows]
    audit.record(actor, "proposal.excellent_list", committee=actor.committee,
                 after={"year": year, "selected": sorted(chosen),
                        "resolution_no": out[0].resolution_no})
    return out
