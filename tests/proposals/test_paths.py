"""Every path of the proposal table, walked through the services."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.proposals.factories import call, draft, reach
from xieshang.proposals import services
from xieshang.proposals.models import Assignment, Feedback, Proposal, Reply, Status

S = Status
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", list(S.values))
def test_every_status_is_reachable_and_every_step_left_one_event(world, status):
    p = reach(world, status)
    assert p.status == status
    assert p.events.count() == p.version


def test_filing_gives_serial_numbers_per_session(world):
    first = reach(world, S.FILED)
    second = reach(world, S.FILED)
    assert (first.serial_number, second.serial_number) == (1, 2)
    assert second.number == "第002号"


def test_unconfirmed_co_proposer_does_not_make_it_joint(world):
    p = reach(world, S.FILED)
    assert p.kind == Proposal.Kind.INDIVIDUAL


def test_confirmed_co_proposer_makes_it_joint(world):
    p = reach(world, S.SUBMITTED)
    services.proposal_cosign(actor=world.actor("co_member"), proposal=p, accept=True)
    for action in ("start_review", "pass_round", "file"):
        p = call(world, p, action, "staff")
    assert p.kind == Proposal.Kind.JOINT


def test_recess_proposal_belongs_to_the_latest_session(world):
    p = reach(world, S.SUBMITTED)
    assert p.timing == Proposal.Timing.RECESS
    assert p.session.number == 5


def test_plenary_window_counts_as_plenary(world):
    session, timing = services.session_for(world.committee, dt.date(2025, 12, 20))
    assert timing == Proposal.Timing.PLENARY and session.number == 5


def test_not_filed_keeps_reason_and_message(world):
    p = reach(world, S.NOT_FILED)
    assert p.not_filed_reason == "personal" and "信访" in p.review_message


def test_not_filed_needs_a_national_reason(world):
    p = reach(world, S.UNDER_REVIEW)
    with pytest.raises(ValidationError):
        call(world, p, "not_file", "staff", reason="dislike")
    assert world.fresh(p).status == S.UNDER_REVIEW


def test_converted_records_target_and_calls_the_hook(world):
    seen = []
    registered = services.CONVERSION_HANDLERS.get("public_opinion")
    services.register_conversion_handler("public_opinion",
                                         lambda actor, p: seen.append(p.pk) or f"opinions:{p.pk}")
    try:
        p = reach(world, S.CONVERTED)
    finally:
        services.CONVERSION_HANDLERS.pop("public_opinion")
        if registered is not None:  # the opinions app's own handler
            services.CONVERSION_HANDLERS["public_opinion"] = registered
    assert p.conversion_target == "public_opinion" and p.conversion_ref == f"opinions:{p.pk}"
    assert seen == [p.pk]


def test_returned_proposal_can_be_revised_and_resubmitted(world):
    p = reach(world, S.RETURNED)
    services.proposal_save_draft(actor=world.actor("member"), proposal=p,
                                 title=p.title + "（修改）", category=world.category,
                                 body=p.body + "补充。")
    p = call(world, p, "resubmit", "member")
    assert p.status == S.SUBMITTED


def test_merged_group_keeps_every_proposer_and_both_rate(world):
    merged = reach(world, S.MERGED)
    lead = merged.merged_into
    assert merged.status == S.MERGED
    services.proposal_save_draft  # noqa: B018 - the merged proposal's proposer is the same here
    other = draft(world, title="关于改善山区供水设施的建议", co=False)
    services.proposal_save_draft(actor=world.actor("member"), proposal=other,
                                 title=other.title, category=world.category, body=other.body)
    assert lead.status == S.FILED
    # Units reply once; each proposer of the group is asked to rate.
    from xieshang.proposals import permissions
    assert permissions.raters(lead) == [(world.member.pk, None)]


def test_merged_group_with_two_proposers_needs_both_ratings(world):
    from xieshang.proposals import permissions
    lead = reach(world, S.UNDER_REVIEW)
    # A second proposer's proposal
    p2 = services.proposal_save_draft(actor=world.actor("co_member"), title="关于农村供水的建议",
                                      category=world.category, body=lead.body)
    p2 = services.proposal_submit(actor=world.actor("co_member"), proposal=p2, version=p2.version)
    p2 = call(world, p2, "start_review", "staff")
    lead = call(world, lead, "pass_round", "staff")
    lead = call(world, lead, "file", "staff")
    call(world, p2, "merge", "staff", into=lead)
    assert set(permissions.raters(lead)) == {(world.member.pk, None), (world.co_member.pk, None)}
    for action, role in [("assign", "staff"), ("sign", "clerk_a"), ("sign", "clerk_b"),
                         ("countersign", "clerk_b"), ("draft_reply", "clerk_a"),
                         ("approve", "leader_a"), ("release", "staff")]:
        lead = call(world, lead, action, role)
    lead = call(world, lead, "rate", "member")
    assert lead.status == S.REPLIED
    lead = call(world, lead, "rate", "co_member", rating="basically")
    assert lead.status == S.CLOSED
    assert Feedback.objects.filter(proposal=lead).count() == 2


def test_single_unit_path(world):
    p = reach(world, S.FILED)
    p = call(world, p, "assign", "staff", kind="single")
    assert [a.role for a in p.assignments.all()] == ["single"]
    p = call(world, p, "sign", "clerk_a")
    assert p.status == S.HANDLING
    p = call(world, p, "record_contact", "clerk_a")
    p = call(world, p, "draft_reply", "clerk_a", result_class="B")
    p = call(world, p, "approve", "leader_a")
    assert p.status == S.REPLY_REVIEW
    p = call(world, p, "release", "staff")
    assert p.status == S.REPLIED and p.feedback_due is not None
    assert Reply.objects.get(proposal=p).state == Reply.State.SENT


def test_split_needs_every_unit_before_review(world):
    p = reach(world, S.FILED)
    p = call(world, p, "assign", "staff", kind="split")
    p = call(world, p, "sign", "clerk_a")
    assert p.status == S.ASSIGNED
    p = call(world, p, "sign", "clerk_b")
    assert p.status == S.HANDLING
    p = call(world, p, "draft_reply", "clerk_a")
    p = call(world, p, "approve", "leader_a")
    assert p.status == S.HANDLING
    p = call(world, p, "draft_reply", "clerk_b", result_class="C")
    p = call(world, p, "approve", "leader_b")
    assert p.status == S.REPLY_REVIEW
    p = call(world, p, "release", "staff")
    assert Reply.objects.filter(proposal=p, state=Reply.State.SENT).count() == 2


def test_lead_waits_for_co_unit_opinion(world):
    p = reach(world, S.HANDLING)
    p = call(world, p, "draft_reply", "clerk_a")
    with pytest.raises(ValidationError, match="会办|co-unit|opinion"):
        call(world, p, "approve", "leader_a")
    p = call(world, p, "countersign", "clerk_b")
    p = call(world, p, "approve", "leader_a")
    assert p.status == S.REPLY_REVIEW
    co = p.assignments.get(role=Assignment.Role.CO)
    assert co.opinion.startswith("同意")


def test_co_unit_deadline_is_one_month_and_lead_three(world):
    p = reach(world, S.ASSIGNED)
    lead = p.assignments.get(role="lead")
    co = p.assignments.get(role="co")
    assert co.due_date < lead.due_date
    assert (lead.due_date - co.due_date).days > 50


def test_return_request_then_reassign(world):
    p = reach(world, S.RETURN_REQUESTED)
    p = call(world, p, "sign", "clerk_b")
    assert p.status == S.RETURN_REQUESTED
    p = call(world, p, "reassign", "staff")
    assert p.status == S.ASSIGNED
    units = set(p.assignments.exclude(state="withdrawn").values_list("unit__name", flat=True))
    assert units == {"县c局", "县b局"}
    assert p.assignments.get(unit=world.units["a"]).state == "withdrawn"


def test_return_request_refused(world):
    p = reach(world, S.RETURN_REQUESTED)
    p = call(world, p, "refuse_return", "staff")
    assert p.status == S.ASSIGNED
    p = call(world, p, "sign", "clerk_a")
    p = call(world, p, "sign", "clerk_b")
    assert p.status == S.HANDLING


def test_return_request_after_the_window_is_refused(world):
    p = reach(world, S.ASSIGNED)
    Assignment.objects.filter(proposal=p).update(
        assigned_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
    with pytest.raises(ValidationError):
        call(world, p, "request_return", "clerk_a")


def test_weak_reply_sent_back_and_redone(world):
    p = reach(world, S.REPLY_REVIEW)
    p = call(world, p, "send_back", "staff")
    assert p.status == S.HANDLING
    assert p.assignments.get(role="lead").state == "sent_back"
    assert Reply.objects.get(proposal=p).sent_back_note
    p = call(world, p, "draft_reply", "clerk_a")
    p = call(world, p, "approve", "leader_a")
    assert p.status == S.REPLY_REVIEW


def test_satisfied_closes(world):
    p = reach(world, S.CLOSED)
    assert p.closed_at is not None and not p.is_rehandled


def test_dissatisfied_rehandled_then_second_reply_closes(world):
    p = reach(world, S.REHANDLING)
    assert p.is_rehandled and p.handling_round == 2
    lead = p.assignments.get(role="lead")
    assert lead.state == "signed"
    p = call(world, p, "draft_reply", "clerk_a", result_class="B")
    p = call(world, p, "approve", "leader_a")
    p = call(world, p, "release", "staff")
    p = call(world, p, "rate", "member", rating="dissatisfied")
    assert p.status == S.CLOSED and p.needs_meeting
    p = call(world, p, "record_meeting", "staff")
    assert not p.needs_meeting


def test_no_answer_counts_as_default_after_the_period(world):
    p = reach(world, S.REPLIED)
    with pytest.raises(ValidationError):
        call(world, p, "close_feedback", "staff")
    Proposal.objects.filter(pk=p.pk).update(feedback_due=dt.date(2026, 1, 1))
    p = call(world, p, "close_feedback", "staff")
    assert p.status == S.CLOSED
    fb = Feedback.objects.get(proposal=p)
    assert fb.is_default and fb.rating == "basically"


def test_overdue_assignment_is_listed(world):
    from xieshang.proposals import selectors
    p = reach(world, S.HANDLING)
    assert not selectors.wl_overdue(world.actor("staff")).exists()
    Assignment.objects.filter(proposal=p, role="lead").update(due_date=dt.date(2026, 1, 2))
    assert list(selectors.wl_overdue(world.actor("staff"))) == [p]
    assert list(selectors.wl_overdue(world.actor("clerk_a"))) == [p]
    assert not selectors.wl_overdue(world.actor("clerk_b")).exists()


def test_extension_moves_the_deadline(world):
    p = reach(world, S.HANDLING)
    before = p.assignments.get(role="lead").due_date
    p = call(world, p, "extend", "staff")
    assert p.assignments.order_by("id").first().due_date > before


def test_key_proposal_with_supervising_leader(world):
    p = reach(world, S.HANDLING)
    p = call(world, p, "mark_key", "leader")
    assert p.is_key and p.key_leader == world.users["leader"]
    row = services.supervision_record(actor=world.actor("leader"), proposal=p, kind="visit",
                                      date=dt.date(2026, 11, 20), notes="实地察看水源地。")
    assert row.proposal == p
    with pytest.raises(ValidationError):
        call(world, p, "mark_key", "staff")


def test_excellent_nomination_and_final_list(world, frozen_clock):
    p = reach(world, S.CLOSED)
    nom = services.excellent_nominate(actor=world.actor("staff"), year=2026, proposal=p,
                                      reason="建议具体可行。")
    unit_nom = services.excellent_nominate(actor=world.actor("staff"), year=2026,
                                           unit=world.units["a"])
    assert unit_nom.kind == "unit"
    with pytest.raises(ValidationError):
        services.excellent_nominate(actor=world.actor("staff"), year=2026, proposal=p)
    services.excellent_decide(actor=world.actor("leader"), nomination=nom, selected=True,
                              resolution_no="常委会议决定〔2026〕1号",
                              resolution_date=dt.date(2026, 11, 20))
    assert world.fresh(p).is_excellent
