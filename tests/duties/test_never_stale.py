"""Issue #16: duty scores never stale. A fact recorded anywhere queues the committee-year's
recompute; the score follows once the task has run, without anyone pressing 重新计算, and the
record page says it is being updated meanwhile."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.activities.factories import invite, make_activity, member_with_login
from tests.factories import user_with_role
from xieshang.activities import services as activity_services
from xieshang.core import clock
from xieshang.core.models import Role
from xieshang.core.permissions import Actor, actor_for
from xieshang.duties import services, watch
from xieshang.duties.models import DutyRecomputeRequest, Score

pytestmark = pytest.mark.django_db


def test_recording_attendance_moves_the_score_after_the_task_runs(
        county, client, frozen_clock, django_capture_on_commit_callbacks):
    system = Actor.for_system(county)
    year = clock.today().year
    with django_capture_on_commit_callbacks(execute=True):
        services.ruleset_create_from_template(actor=system, committee=county, year=year)
    user, member, _actor = member_with_login(county)
    staff = user_with_role(county, Role.STAFF_OFFICE)
    activity = make_activity(county, "plenary", start=timezone.now() - dt.timedelta(hours=2),
                             status="held")
    [inv] = invite(activity, member)
    with django_capture_on_commit_callbacks(execute=True):
        services.recompute_pending(county.pk, year)
    before = Score.objects.filter(member=member, year=year).values_list("total", flat=True).first()

    # The write queues the recompute; until its task runs the page says "updating".
    with django_capture_on_commit_callbacks(execute=False) as queued:
        activity_services.attendance_record(actor=actor_for(staff, county), invitation=inv,
                                            attendance="attended")
    assert DutyRecomputeRequest.objects.filter(committee=county, year=year).exists()
    assert len(queued) == 1
    client.force_login(user)
    page = client.get(reverse("duty-mine")).content.decode()
    assert 'data-testid="updating"' in page and "正在更新" in page

    for callback in queued:  # the task runs (the immediate backend in tests)
        callback()
    after = Score.objects.get(member=member, year=year).total
    assert after > (before or 0)
    assert not DutyRecomputeRequest.objects.exists()
    assert 'data-testid="updating"' not in client.get(reverse("duty-mine")).content.decode()


def test_every_record_a_fact_source_reads_is_watched():
    from xieshang.activities.models import Activity, Invitation, Speech
    from xieshang.opinions.models import OpinionOutcome, OpinionReport
    from xieshang.proposals.models import Proposal, ProposalCoProposer

    assert {Activity, Invitation, Speech, Proposal, ProposalCoProposer, OpinionReport,
            OpinionOutcome} <= set(watch.WATCHED)


def test_submitting_a_proposal_queues_its_year(county, frozen_clock,
                                                django_capture_on_commit_callbacks):
    from tests.proposals.factories import build_world, reach

    w = build_world(county)
    with django_capture_on_commit_callbacks(execute=False):
        p = reach(w, "submitted")
    assert p.submitted_at is not None
    assert DutyRecomputeRequest.objects.filter(
        committee=county, year=timezone.localtime(p.submitted_at).year).exists()


def test_suspended_queues_nothing(county, django_capture_on_commit_callbacks):
    _u, member, _a = member_with_login(county)
    activity = make_activity(county, start=timezone.now() - dt.timedelta(hours=2))
    DutyRecomputeRequest.objects.all().delete()
    with watch.suspended(), django_capture_on_commit_callbacks(execute=False):
        invite(activity, member)
    assert not DutyRecomputeRequest.objects.exists()
