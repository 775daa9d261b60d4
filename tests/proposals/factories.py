"""A small committee for proposal tests, and drivers that bring a proposal to any status
through the services (never by writing the status field)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import (
    HandlingUnitFactory,
    MemberFactory,
    SessionFactory,
    TermFactory,
    user_with_role,
)
from xieshang.core.models import Committee, Role, User
from xieshang.core.permissions import Actor, actor_for
from xieshang.members.models import HandlingUnit, Member
from xieshang.proposals import services
from xieshang.proposals.models import Assignment, Proposal, ProposalCategory, Status

S = Status

BODY = ("近年来我县农村饮水工程逐步完善，但部分山区村组仍存在季节性缺水、水质不稳定等问题。"
        "建议：一是加大投入，二是完善管护机制，三是加强水质监测。")


@dataclass
class World:
    committee: Committee
    users: dict[str, User]
    units: dict[str, HandlingUnit]
    category: ProposalCategory
    member: Member
    co_member: Member
    extra: dict[str, Any] = field(default_factory=dict)

    def actor(self, role: str) -> Actor:
        return actor_for(self.users[role], self.committee)

    def fresh(self, p: Proposal) -> Proposal:
        return Proposal.objects.get(pk=p.pk)


ROLES = ("member", "co_member", "other_member", "collective", "staff", "office", "clerk_a",
         "leader_a", "clerk_b", "leader_b", "clerk_x", "leader", "admin")


def build_world(committee: Committee) -> World:
    term = TermFactory(committee=committee)
    SessionFactory(committee=committee, term=term, number=5, start_date=dt.date(2026, 1, 8),
                   end_date=dt.date(2026, 1, 11), proposal_window_start=dt.date(2025, 12, 1))
    units = {k: HandlingUnitFactory(committee=committee, name=f"县{k}局")
             for k in ("a", "b", "c", "x")}
    member = MemberFactory(committee=committee, name="王建国")
    co_member = MemberFactory(committee=committee, name="李秀英")
    other = MemberFactory(committee=committee, name="张伟")
    users = {
        "member": user_with_role(committee, Role.MEMBER, member=member),
        "co_member": user_with_role(committee, Role.MEMBER, member=co_member),
        "other_member": user_with_role(committee, Role.MEMBER, member=other),
        "collective": user_with_role(committee, Role.COLLECTIVE),
        "staff": user_with_role(committee, Role.STAFF_PROPOSAL),
        "office": user_with_role(committee, Role.STAFF_OFFICE),
        "clerk_a": user_with_role(committee, Role.UNIT_CLERK, unit=units["a"]),
        "leader_a": user_with_role(committee, Role.UNIT_LEADER, unit=units["a"]),
        "clerk_b": user_with_role(committee, Role.UNIT_CLERK, unit=units["b"]),
        "leader_b": user_with_role(committee, Role.UNIT_LEADER, unit=units["b"]),
        "clerk_x": user_with_role(committee, Role.UNIT_CLERK, unit=units["x"]),
        "leader": user_with_role(committee, Role.LEADER),
        "admin": user_with_role(committee, Role.ADMIN),
    }
    for name in ("member", "co_member", "other_member"):
        Member.objects.filter(pk=users[name].roles.get().member_id).update(user=users[name])
    category = services.categories_ensure(committee)[0]
    return World(committee, users, units, category, member, co_member)


def draft(w: World, title: str = "关于加强农村饮水安全保障的建议", co: bool = True,
          **kw: Any) -> Proposal:
    return services.proposal_save_draft(
        actor=w.actor("member"), title=title, category=w.category, body=kw.pop("body", BODY),
        suggested_unit_ids=[w.units["a"].pk],
        co_proposer_ids=[w.co_member.pk] if co else [], **kw)


def call(w: World, p: Proposal, action: str, role: str, **kw: Any) -> Proposal:
    """Take ``action`` as ``role`` with sensible inputs, through the service that owns it."""
    actor = w.actor(role)
    p = w.fresh(p)
    v = kw.pop("version", p.version)
    a_of = {a.unit_id: a for a in p.assignments.exclude(state=Assignment.State.WITHDRAWN)}
    if not a_of and action in ("reassign", "refuse_return", "extend", "send_back"):
        # Nothing to name: the same as a form sent without its required field.
        raise ValidationError({"assignment": "required"})
    args: dict[str, Any] = {"actor": actor, "proposal": p, "version": v}
    match action:
        case "submit" | "resubmit":
            return services.proposal_submit(**args, resubmit=action == "resubmit")
        case "withdraw":
            return services.proposal_withdraw(**args)
        case "start_review":
            return services.proposal_start_review(**args)
        case "pass_round":
            return services.proposal_pass_round(**args)
        case "file":
            return services.proposal_file(**args)
        case "not_file":
            return services.proposal_not_file(**args, reason=kw.get("reason", "personal"),
                                              message="属于个人问题，请通过信访渠道反映。")
        case "convert":
            return services.proposal_convert(**args, target=kw.get("target", "public_opinion"),
                                             message="转为社情民意信息。")
        case "merge":
            return services.proposal_merge(**args, into=kw["into"])
        case "return":
            return services.proposal_return(**args, message="请补充具体建议。")
        case "assign":
            kind = kw.get("kind", "lead")
            units = {"single": ([w.units["a"].pk], []),
                     "split": ([w.units["a"].pk, w.units["b"].pk], []),
                     "lead": ([w.units["a"].pk], [w.units["b"].pk])}[kind]
            return services.proposal_assign(**args, kind=kind, unit_ids=units[0],
                                            co_unit_ids=units[1])
        case "sign":
            return services.assignment_sign(**args)
        case "request_return":
            return services.assignment_request_return(**args, reason="不属于本单位职责。")
        case "reassign":
            req = next((a for a in a_of.values()
                        if a.state == Assignment.State.RETURN_REQUESTED), None)
            return services.assignment_reassign(**args, assignment=req or next(iter(a_of.values())),
                                                unit=w.units["c"])
        case "refuse_return":
            req = next((a for a in a_of.values()
                        if a.state == Assignment.State.RETURN_REQUESTED), None)
            return services.assignment_refuse_return(
                **args, assignment=req or next(iter(a_of.values())), note="属于本单位职责。")
        case "extend":
            return services.assignment_extend(**args, assignment=next(iter(a_of.values())))
        case "record_contact" | "record_meeting":
            return services.contact_record(**args, date=timezone.localdate(), way="meeting",
                                           notes="与提案人面商，听取意见。")
        case "countersign":
            return services.countersign(**args, opinion="同意主办单位意见，将积极配合。")
        case "draft_reply":
            return services.reply_draft(**args, result_class=kw.get("result_class", "A"),
                                        body="经研究，已将该事项列入明年重点工作计划。",
                                        contact_person="赵科长", contact_phone="0771-1234567")
        case "approve":
            return services.reply_approve(**args)
        case "send_back":
            done = next((a for a in a_of.values() if a.state == Assignment.State.APPROVED),
                        None)
            return services.reply_send_back(**args, assignment=done or next(iter(a_of.values())),
                                            note="答复过于笼统，请补充具体措施。")
        case "release":
            return services.replies_release(**args)
        case "rate":
            rating = kw.get("rating", "satisfied")
            return services.feedback_rate(**args, rating=rating,
                                          comments="答复没有针对性。" if rating == "dissatisfied"
                                          else "")
        case "close_feedback":
            return services.feedback_close(**args)
        case "mark_key":
            return services.proposal_mark_key(**args, leader=w.users["leader"])
    raise AssertionError(f"no driver for {action}")


# The path each status is reached by: (action, role, extra arguments).
PATH: dict[str, list[tuple[str, str, dict[str, Any]]]] = {
    S.DRAFT: [],
    S.SUBMITTED: [("submit", "member", {})],
    S.WITHDRAWN: [("submit", "member", {}), ("withdraw", "member", {})],
    S.UNDER_REVIEW: [("submit", "member", {}), ("start_review", "staff", {})],
}
PATH[S.RETURNED] = [*PATH[S.UNDER_REVIEW], ("return", "staff", {})]
PATH[S.NOT_FILED] = [*PATH[S.UNDER_REVIEW], ("not_file", "staff", {})]
PATH[S.CONVERTED] = [*PATH[S.UNDER_REVIEW], ("convert", "staff", {})]
PATH[S.FILED] = [*PATH[S.UNDER_REVIEW], ("pass_round", "staff", {}), ("file", "staff", {})]
PATH[S.ASSIGNED] = [*PATH[S.FILED], ("assign", "staff", {"kind": "lead"})]
PATH[S.RETURN_REQUESTED] = [*PATH[S.ASSIGNED], ("request_return", "clerk_a", {})]
PATH[S.HANDLING] = [*PATH[S.ASSIGNED], ("sign", "clerk_a", {}), ("sign", "clerk_b", {})]
PATH[S.REPLY_REVIEW] = [*PATH[S.HANDLING], ("countersign", "clerk_b", {}),
                        ("draft_reply", "clerk_a", {}), ("approve", "leader_a", {})]
PATH[S.REPLIED] = [*PATH[S.REPLY_REVIEW], ("release", "staff", {})]
PATH[S.REHANDLING] = [*PATH[S.REPLIED], ("rate", "member", {"rating": "dissatisfied"})]
PATH[S.CLOSED] = [*PATH[S.REPLIED], ("rate", "member", {"rating": "satisfied"})]


def reach(w: World, status: str, **draft_kw: Any) -> Proposal:
    """A new proposal brought to ``status`` along PATH (MERGED needs a second proposal)."""
    if status == S.MERGED:
        target = reach(w, S.FILED)
        p = reach(w, S.UNDER_REVIEW, title="关于保障农村饮水安全的建议")
        return call(w, p, "merge", "staff", into=target)
    p = draft(w, **draft_kw)
    for action, role, kw in PATH[status]:
        p = call(w, p, action, role, **kw)
    p = w.fresh(p)
    assert p.status == status, (p.status, status)
    return p
