"""Figures of a sub-tree cost the same number of queries whatever the number of committees."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CommitteeFactory, HandlingUnitFactory, MemberFactory, TermFactory
from xieshang.core.figures import Scope, compute

pytestmark = pytest.mark.django_db


def _queries(scope: Scope) -> int:
    with CaptureQueriesContext(connection) as ctx:
        compute(Scope(scope.committee, scope.start, scope.end, scope.include_sub))
    return len(ctx)


def _county(city, i):
    county = CommitteeFactory(name=f"第{i}县政协", code=f"scale-{i}", parent=city)
    TermFactory(committee=county)
    MemberFactory(committee=county, name=f"委员{i}")
    HandlingUnitFactory(committee=county, name=f"第{i}县财政局")
    return county


def test_figure_queries_do_not_grow_with_committees(county):
    province = county.parent.parent
    scope = Scope(province, dt.date(2020, 1, 1), dt.date(2030, 12, 31), include_sub=True)
    _county(county.parent, 0)  # some data, so that no provider stops early at either size
    _queries(scope)  # first use seeds what is seeded lazily
    small = _queries(scope)
    for i in range(1, 7):
        _county(county.parent, i)
    assert _queries(scope) == small
