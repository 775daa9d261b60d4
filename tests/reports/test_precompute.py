"""Statistics and dashboard figures computed ahead by the worker (reports/precompute.py)."""

import datetime as dt
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import MemberFactory, user_with_role
from xieshang.core import schedule
from xieshang.core.models import Role
from xieshang.reports import precompute

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ahead(settings):
    """A shared cache, as with Redis: the worker's results reach the pages."""
    settings.REPORTS_PRECOMPUTE = True
    return settings


@pytest.fixture
def member(django_capture_on_commit_callbacks):
    """member(county, …): a serving member, written and committed (its commit runs what the
    write queued: with the immediate backend, the task)."""

    def write(committee, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return MemberFactory(committee=committee, **fields)

    return write


def _figures_value(scope, key="members.serving"):
    found = cache.get(precompute._key("figures", scope, "zh-hans"))
    return None if found is None else found[1][key].value


def test_a_change_has_the_worker_compute_the_default_period(ahead, member, county,
                                                           frozen_clock):
    scope = precompute.default_scope(county)
    assert _figures_value(scope) is None
    member(county)  # the immediate task backend runs the task at the commit
    assert _figures_value(scope) == 1
    # both kinds and both languages were stored
    for language in ("zh-hans", "en"):
        for kind in precompute.KINDS:
            assert cache.get(precompute._key(kind, scope, language)) is not None


def test_the_leaders_visit_computes_nothing_when_the_figures_are_ahead(ahead, member, client,
                                                                       county, frozen_clock):
    leader = user_with_role(county, Role.LEADER)
    member(county)
    client.force_login(leader)
    with (mock.patch("xieshang.reports.views.compute") as compute,
          mock.patch("xieshang.reports.views.panels") as panels):
        page = client.get(reverse("reports-figures"))
        dash = client.get(reverse("reports-dashboard"))
    assert page.status_code == dash.status_code == 200
    assert "委员" in page.content.decode()
    compute.assert_not_called()
    panels.assert_not_called()


def test_many_writes_queue_one_computation(ahead, member, county, frozen_clock):
    with mock.patch.object(precompute, "_enqueue") as enqueue:
        for _n in range(5):
            member(county)
    assert enqueue.call_count == 1


def test_a_stalled_worker_never_shows_old_figures_for_long(ahead, member, client, county,
                                                           frozen_clock):
    leader = user_with_role(county, Role.LEADER)
    member(county)  # the worker computed: 1 serving member (the leader is none)
    scope = precompute.default_scope(county)
    assert _figures_value(scope) == 1
    cache.delete(f"xieshang:reports:queued:{county.pk}")
    with mock.patch.object(precompute, "_enqueue"):  # the worker is down from now on
        member(county)
    client.force_login(leader)
    # within MAX_LAG the stored figures are shown: the worker is expected to catch up
    assert _figures_value(scope) == 1
    client.get(reverse("reports-figures"))
    assert _figures_value(scope) == 1
    # past it, the page computes them itself
    frozen_clock.shift(precompute.MAX_LAG + dt.timedelta(seconds=1))
    client.get(reverse("reports-figures"))
    assert _figures_value(scope) == 2


def test_another_period_is_never_shown_stale(ahead, member, client, county, frozen_clock):
    leader = user_with_role(county, Role.LEADER)
    client.force_login(leader)
    period = {"from": "2026-01-01", "to": "2026-06-30"}
    client.get(reverse("reports-figures"), period)
    with mock.patch.object(precompute, "_enqueue"):
        member(county, joined_on=dt.date(2026, 1, 5))
    with mock.patch("xieshang.reports.views.compute", wraps=precompute.compute) as compute:
        client.get(reverse("reports-figures"), period)
    assert compute.called


def test_without_a_shared_cache_nothing_is_queued_and_pages_keep_a_minute(member, client,
                                                                          county, frozen_clock):
    leader = user_with_role(county, Role.LEADER)
    with mock.patch.object(precompute, "_enqueue") as enqueue:
        member(county)
    enqueue.assert_not_called()
    client.force_login(leader)
    client.get(reverse("reports-figures"))
    with CaptureQueriesContext(connection) as warm:
        client.get(reverse("reports-figures"))
    member(county)
    frozen_clock.shift(dt.timedelta(seconds=precompute.PAGE_CACHE_SECONDS + 1))
    with CaptureQueriesContext(connection) as cold:
        client.get(reverse("reports-figures"))
    assert len(cold) > len(warm) + 5  # computed again after the minute


def test_the_nightly_job_computes_the_new_day_for_every_committee(ahead, county, frozen_clock):
    job = schedule.job("reports.precompute")
    day = dt.date(2026, 11, 27)
    assert job.run(county, day) == {"stored": 1}
    assert cache.get(precompute._key(
        "figures", precompute.default_scope(county, day), "zh-hans")) is not None
