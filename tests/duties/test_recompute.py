"""Recomputation: one pending task per committee-year however many writes; none ever lost;
the number of queries does not grow with the number of members."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.factories import MemberFactory
from xieshang.core.permissions import Actor
from xieshang.duties import engine, services
from xieshang.duties.models import DutyRecomputeRequest, ManualItem, Score, ScoreLine

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def system(county):
    return Actor.for_system(county)


def add_items(system, members, n, year=2025):
    for i in range(n):
        services.manual_item_add(actor=system, member=members[i % len(members)],
                                 date=dt.date(year, 1 + i % 12, 1), code="award",
                                 description=f"事项{i}")


@override_settings(TASKS=DB_TASKS)
def test_many_writes_queue_one_task_per_committee_year(county, system,
                                                        django_capture_on_commit_callbacks):
    members = [MemberFactory(committee=county) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        services.ruleset_create_from_template(actor=system, committee=county, year=2025)
    for _ in range(5):  # five separate requests (transactions)
        with django_capture_on_commit_callbacks(execute=True):
            add_items(system, members, 6)
    with django_capture_on_commit_callbacks(execute=True):
        add_items(system, members, 2, year=2024)
    queued = DBTaskResult.objects.filter(task_path__endswith="recompute_task")
    assert sorted(r.args_kwargs["args"][1] for r in queued) == [2024, 2025]
    row = DutyRecomputeRequest.objects.get(committee=county, year=2025)
    assert row.generation == 31  # the rule set, then 30 items
    # The queued task does the work once and clears the request.
    assert services.recompute_pending(county.pk, 2025) == 1
    assert not DutyRecomputeRequest.objects.filter(year=2025).exists()
    assert Score.objects.filter(year=2025).count() == 3
    assert services.recompute_pending(county.pk, 2025) == 0


def test_write_during_a_recompute_is_not_skipped(county, system, monkeypatch,
                                                 django_capture_on_commit_callbacks):
    member = MemberFactory(committee=county)
    with django_capture_on_commit_callbacks(execute=False):
        services.ruleset_create_from_template(actor=system, committee=county, year=2025)
    real = engine.recompute
    calls = []

    def recompute_while_someone_writes(committee, year, member_ids=None):
        result = real(committee, year, member_ids)
        if not calls:  # the first run: a write lands after its facts were read
            with django_capture_on_commit_callbacks(execute=False) as queued:
                services.manual_item_add(actor=system, member=member,
                                         date=dt.date(2025, 6, 1), code="award",
                                         description="获评优秀委员")
            assert queued == []  # a request was pending: no second task queued
        calls.append(result)
        return result

    monkeypatch.setattr(engine, "recompute", recompute_while_someone_writes)
    assert services.recompute_pending(county.pk, 2025) == 2
    assert Score.objects.get(member=member).total == Decimal("5")
    assert not DutyRecomputeRequest.objects.exists()


def test_a_lost_task_is_queued_again_at_the_next_write(county, system,
                                                       django_capture_on_commit_callbacks):
    member = MemberFactory(committee=county)
    with django_capture_on_commit_callbacks(execute=False):
        services.ruleset_create_from_template(actor=system, committee=county, year=2025)
    DutyRecomputeRequest.objects.update(
        queued_at=timezone.now() - services.RECOMPUTE_STALE - dt.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True) as queued:
        add_items(system, [member], 1)
    assert len(queued) == 1  # the immediate backend ran it
    assert Score.objects.get(member=member).total == Decimal("5")
    assert not DutyRecomputeRequest.objects.exists()


def _queries_for(county, system, n_members):
    members = [MemberFactory(committee=county) for _ in range(n_members)]
    ManualItem.objects.bulk_create([
        ManualItem(committee=county, member=m, date=dt.date(2025, 5, 1), code="award",
                   description="获评优秀委员") for m in members])
    with CaptureQueriesContext(connection) as ctx:
        result = engine.recompute(county, 2025)
    assert result.members >= n_members
    assert ScoreLine.objects.filter(member__in=members).count() == n_members
    return len(ctx.captured_queries)


def test_recompute_query_count_does_not_grow_with_members(county, system,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        services.ruleset_create_from_template(actor=system, committee=county, year=2025)
    few = _queries_for(county, system, 10)
    many = _queries_for(county, system, 40)  # 50 members in all
    assert Score.objects.filter(year=2025).count() == 50
    assert many <= few


def test_partial_recompute_leaves_other_members_alone(county, system,
                                                      django_capture_on_commit_callbacks):
    a, b = MemberFactory(committee=county), MemberFactory(committee=county)
    with django_capture_on_commit_callbacks(execute=False):
        services.ruleset_create_from_template(actor=system, committee=county, year=2025)
    engine.recompute(county, 2025)
    ManualItem.objects.create(committee=county, member=a, date=dt.date(2025, 5, 1),
                              code="award", description="x")
    ManualItem.objects.create(committee=county, member=b, date=dt.date(2025, 5, 1),
                              code="award", description="y")
    engine.recompute(county, 2025, member_ids=[a.pk])
    assert Score.objects.get(member=a).total == Decimal("5")
    assert Score.objects.get(member=b).total == Decimal("0")
