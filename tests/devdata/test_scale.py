"""The province-scale generator (xieshang/devdata/scale.py) at a small size: 2 cities × 2 counties ×
1 year. The rows it writes must obey the same rules as the services': serial numbers unique and
gap-free per session, every status reached along the workflow table with one event per step."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db.models import F

from xieshang.activities.models import Activity, Invitation
from xieshang.core.models import AuditLog, Committee, Role, User
from xieshang.core.permissions import actor_for
from xieshang.devdata.scale import ScaleSpec, _check, _steps_valid, build_scale
from xieshang.members.models import Member, TermMembership
from xieshang.opinions import workflow as opinion_workflow
from xieshang.opinions.models import OpinionEvent, OpinionReport
from xieshang.proposals import workflow as proposal_workflow
from xieshang.proposals.models import Assignment, Proposal, ProposalEvent, Status

TODAY = dt.date(2026, 6, 15)
TODAY_AT = dt.datetime(2026, 6, 15, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))
ASSIGNED_OR_LATER = {Status.ASSIGNED, Status.RETURN_REQUESTED, Status.HANDLING,
                     Status.REPLY_REVIEW, Status.REPLIED, Status.REHANDLING, Status.CLOSED}


def tiny() -> ScaleSpec:
    return ScaleSpec(cities=2, counties=4, years=1, county_members=20, city_members=20,
                     province_members=20, proposals_per_year={
                         Committee.Level.COUNTY: 40, Committee.Level.CITY: 40,
                         Committee.Level.PROVINCE: 40},
                     opinions_per_year=10, activities_per_year=3, member_logins=2,
                     all_logins_county=False)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """Built once for the module (it takes a while) and removed at the end."""
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with time_machine.travel(TODAY_AT, tick=True):
                yield build_scale(tiny())
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def built_db(built, django_db_blocker):
    with django_db_blocker.unblock():
        yield built


def test_builds_the_committee_tree_and_members(built_db):
    province = Committee.objects.get(code="sc-prov")
    assert province.level == Committee.Level.PROVINCE
    assert Committee.objects.filter(parent=province, level=Committee.Level.CITY).count() == 2
    assert Committee.objects.filter(level=Committee.Level.COUNTY,
                                    parent__parent=province).count() == 4
    assert Member.objects.filter(committee__code__startswith="sc-").count() == 7 * 20
    assert built_db.counts["members"] == 140
    # Every member has a tenure in a term of their committee (as the roster service writes).
    assert TermMembership.objects.filter(committee__code__startswith="sc-").count() == 140
    assert built_db.counts["proposals"] == Proposal.objects.count() > 0
    assert built_db.counts["activities"] == Activity.objects.count() == 7 * 3


def test_every_bulk_write_is_audited_per_committee(built_db):
    for action, kind in (("scale.proposals", "proposals"), ("scale.opinions", "opinion reports"),
                         ("scale.activities", "activities")):
        rows = AuditLog.objects.filter(action=action)
        assert rows.count() == 7
        assert sum(r.after["count"] for r in rows) == built_db.counts[kind]
    assert AuditLog.objects.filter(action="member.bulk_create").count() == 7


def test_serial_numbers_are_unique_and_gap_free_per_session(built_db):
    numbers: dict[int, list[int]] = defaultdict(list)
    for session_id, serial in Proposal.objects.exclude(serial_number=None).values_list(
            "session_id", "serial_number"):
        numbers[session_id].append(serial)
    assert numbers
    for serials in numbers.values():
        assert sorted(serials) == list(range(1, len(serials) + 1))
    # Only proposals that went through "file" carry a number.
    filed = set(ProposalEvent.objects.filter(action="file").values_list("proposal_id", flat=True))
    assert set(Proposal.objects.exclude(serial_number=None).values_list("pk", flat=True)) == filed


def test_proposal_states_are_consistent_with_their_events(built_db):
    events: dict[int, list[ProposalEvent]] = defaultdict(list)
    for e in ProposalEvent.objects.order_by("at", "pk"):
        events[e.proposal_id].append(e)
    statuses = set()
    for p in Proposal.objects.all():
        chain = events[p.pk]
        statuses.add(p.status)
        assert len(chain) == p.version
        current = Status.DRAFT
        for e in chain:
            assert e.from_status == current
            step = proposal_workflow.TRANSITIONS[(current, e.action)]
            assert e.to_status in {step.to, *step.also}
            current = e.to_status
        assert current == p.status
        assert p.assignments.exists() == (p.status in ASSIGNED_OR_LATER)
    assert {Status.CLOSED, Status.HANDLING, Status.NOT_FILED, Status.SUBMITTED} <= statuses
    assert not Assignment.objects.exclude(unit__committee_id=F("committee_id")).exists()


def test_opinion_reports_follow_their_workflow(built_db):
    events: dict[int, list[OpinionEvent]] = defaultdict(list)
    for e in OpinionEvent.objects.order_by("at", "pk"):
        events[e.report_id].append(e)
    for r in OpinionReport.objects.all():
        chain = events[r.pk]
        assert chain[0].action == "submit"
        current = "submitted"
        for e in chain[1:]:
            current = opinion_workflow.TRANSITIONS[(current, e.action)].to
            assert e.to_status == current
        assert current == r.status
        assert r.root_id == r.pk
        assert r.versions.count() == 1


def test_attendance_is_recorded_only_for_held_activities(built_db):
    assert Invitation.objects.exists()
    planned = Invitation.objects.filter(activity__status=Activity.Status.PLANNED)
    assert not planned.exclude(attendance="").exists()
    held = Invitation.objects.filter(activity__status=Activity.Status.HELD)
    assert not held.filter(attendance="").exists()
    # Invitees are members of the activity's own committee.
    assert not Invitation.objects.exclude(member__committee_id=F("committee_id")).exists()


def test_logins_act_in_their_committee(built_db):
    county = Committee.objects.get(code="sc-c01-01")
    staff = User.objects.get(username="sc-c01-01-staff")
    assert actor_for(staff, county).has(Role.STAFF_PROPOSAL)
    member = User.objects.get(username="sc-c01-01-m1")
    actor = actor_for(member, county)
    assert actor.has(Role.MEMBER) and actor.member_id is not None
    assert member.check_password("Demo2026xs")


def test_a_bad_workflow_path_is_refused():
    with pytest.raises(ValidationError):
        _steps_valid(proposal_workflow.TRANSITIONS, Status.DRAFT,
                     [("submit", Status.SUBMITTED), ("assign", Status.ASSIGNED)])


def test_a_row_that_breaks_the_models_rules_is_refused():
    with pytest.raises(ValidationError):
        _check(Proposal(title="短", body="x", status=Status.DRAFT), ["committee", "session",
                                                                    "proposer", "created_by",
                                                                    "category"])


def test_rows_written_in_bulk_are_in_the_search_index(built_db):
    """bulk_create sends no post_save: the generator writes the index entries itself."""
    from xieshang.search.index import SOURCES
    from xieshang.search.models import SearchEntry

    for kind, model in (("proposal", Proposal), ("opinion", OpinionReport),
                        ("activity", Activity)):
        searchable = {str(obj.pk) for obj in model.objects.filter(
            committee__code__startswith="sc-") if SOURCES[kind].to_document(obj) is not None}
        assert searchable
        indexed = set(SearchEntry.objects.filter(kind=kind, object_id__in=searchable)
                      .values_list("object_id", flat=True))
        assert indexed == searchable, kind
    assert built_db.counts["search entries"] >= len(searchable)


def test_the_index_is_complete_for_every_kind(built_db):
    """Issue #16: members (members_bulk_create only queues their index tasks) are indexed too:
    `xieshang text reindex --check` passes on the province data right after the generator."""
    from xieshang.search.completeness import counts

    ids = Committee.objects.filter(code__startswith="sc-").values_list("pk", flat=True)
    rows = counts(committee_ids=list(ids))
    assert {r.kind for r in rows} >= {"proposal", "opinion", "activity", "member"}
    assert [r for r in rows if not r.ok] == []


def test_every_committee_year_has_its_rule_set_and_scores(built_db):
    """The duty scores of what was written in bulk are computed, as the services would ask."""
    from xieshang.duties.models import RuleSet, Score

    for committee in Committee.objects.filter(code__startswith="sc-"):
        assert RuleSet.objects.filter(committee=committee, year=TODAY.year).count() == 1
        scored = Score.objects.filter(committee=committee, year=TODAY.year)
        assert scored.count() == Member.objects.filter(committee=committee).count()
        assert scored.filter(total__gt=0).exists()
    assert built_db.counts["duty scores"] == Score.objects.filter(
        committee__code__startswith="sc-").count()
