"""The meetings demo leaves the resolution, its vote and the election on the public website,
and non-zero meeting figures for this year."""

import datetime as dt

import pytest

from tests.devdata.test_activities_demo import built  # noqa: F401 - the shared fixture
from xieshang.core.figures import Scope, compute
from xieshang.devdata import meetings as demo
from xieshang.meetings.models import Election, Paper, Poll
from xieshang.portal.models import Article

pytestmark = pytest.mark.django_db


def test_demo_publishes_results_and_has_figures(built, county):  # noqa: F811
    demo.build(built)
    live = Article.objects.filter(committee=county, status=Article.Status.PUBLISHED,
                                  column__slug="meetings")
    assert live.count() == 3
    resolution = Poll.objects.get(committee=county, article__isnull=False)
    assert "表决结果" in resolution.article.title
    assert Election.objects.get(committee=county).article in live
    assert Paper.objects.get(committee=county, article__isnull=False).kind == Paper.Kind.FINAL
    today = built.today
    figures = compute(Scope(county, dt.date(today.year, 1, 1), today))
    assert figures["meetings.polls"].value == 2
    assert figures["meetings.elections"].value == 1
    assert figures["meetings.oral_speeches"].value == 3
