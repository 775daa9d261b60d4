import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import CommitteeFactory, MemberFactory
from xieshang.activities import services as act
from xieshang.activities.models import Activity
from xieshang.core.models import Role
from xieshang.core.permissions import Actor
from xieshang.reports import charts

pytestmark = pytest.mark.django_db


@pytest.fixture
def activities(county):
    system = Actor.for_system(county)
    types = act.activity_types_ensure(county)
    for month in (1, 1, 2, 3):
        act.activity_create(actor=system, committee=county, type=types["forum"],
                            title="委员座谈会",
                            start=timezone.make_aware(dt.datetime(2025, month, 10, 9)),
                            status=Activity.Status.HELD)
    return county


def test_dashboard_draws_charts_with_table_views(client, activities, staff):
    client.force_login(staff)
    body = client.get(reverse("reports-dashboard"),
                      {"from": "2025-01-01", "to": "2025-12-31"}).content.decode()
    assert "<svg" in body and "2025-01" in body
    assert "<details" in body


def test_large_screen_renders(client, activities, staff):
    client.force_login(staff)
    response = client.get(reverse("reports-screen"), {"from": "2025-01-01", "to": "2025-12-31"})
    assert response.status_code == 200 and 'http-equiv="refresh"' in response.content.decode()


def test_large_screen_has_no_table_view_or_export_controls(client, activities, staff):
    """Those belong to the dashboard (the statistics page), not to the wall display."""
    client.force_login(staff)
    period = {"from": "2025-01-01", "to": "2025-12-31"}
    screen = client.get(reverse("reports-screen"), period).content.decode()
    assert "<svg" in screen and "<details" not in screen and ".xlsx" not in screen
    assert "表格视图" not in screen and "导出" not in screen
    dashboard = client.get(reverse("reports-dashboard"), period).content.decode()
    assert "表格视图" in dashboard and "导出" in dashboard


def test_panel_export_has_the_numbers(client, activities, staff):
    client.force_login(staff)
    response = client.get(reverse("reports-panel-export", args=["activities.by_month"]),
                          {"from": "2025-01-01", "to": "2025-12-31"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert ("2025-01", 2) in [(r[0], r[1]) for r in rows]


def test_unknown_panel_is_404(client, county, staff):
    client.force_login(staff)
    assert client.get(reverse("reports-panel-export", args=["nope"])).status_code == 404


def test_city_sees_its_counties(client, county, make_user):
    MemberFactory(committee=county)
    city_staff = make_user(county.parent, Role.STAFF_OFFICE)
    client.force_login(city_staff)
    body = client.get(reverse("reports-dashboard")).content.decode()
    assert county.name in body


def test_members_cannot_open_dashboards(client, county, make_user):
    client.force_login(make_user(county, Role.MEMBER))
    for name in ("reports-dashboard", "reports-screen"):
        assert client.get(reverse(name)).status_code == 403


def test_chart_labels_are_escaped():
    svg = charts.bar([("<script>", 3)], title="<b>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "<script>" not in charts.donut([("<script>", 1), ("b", 1)])


def test_empty_county_tree_has_no_tree_panel(client, db, make_user):
    lonely = CommitteeFactory()
    client.force_login(make_user(lonely, Role.LEADER))
    assert client.get(reverse("reports-dashboard")).status_code == 200


def test_hot_topics_panel_groups_recent_topics(client, county, staff):
    from xieshang.opinions.models import Topic

    for i, title in enumerate(["学校门口交通拥堵", "学校门口接送拥堵", "校门口交通拥堵严重",
                               "小区停车难", "小区停车位不足", "农村饮水不稳定"]):
        Topic.objects.create(committee=county, title=title, description=title, name="居民",
                             phone="13900000000", tracking_code=f"T{i:06d}")
    client.force_login(staff)
    body = client.get(reverse("reports-dashboard")).content.decode()
    assert "热点议题" in body and "拥堵" in body


def test_hot_topics_are_cached_until_an_item_changes(county, monkeypatch):
    """Clustering runs once for the same items; a new item computes it afresh once the last
    result is older than HOT_TOPICS_FRESH_SECONDS (shown as it is until then)."""
    from django.core.cache import cache

    from xieshang.core.figures import Scope
    from xieshang.opinions.models import Topic
    from xieshang.reports import dashboard
    from xieshang.textmining import hottopics

    cache.clear()
    calls = []
    real = hottopics.hot_topics

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(hottopics, "hot_topics", counting)
    for i, title in enumerate(["学校门口交通拥堵", "学校门口接送拥堵", "校门口交通拥堵严重",
                               "小区停车难", "小区停车位不足"]):
        Topic.objects.create(committee=county, title=title, description=title, name="居民",
                             phone="13900000000", tracking_code=f"C{i:06d}")
    today = timezone.localdate()
    scope = Scope(county, today - dt.timedelta(days=30), today)
    first = dashboard.hot_topic_panels(scope)
    again = dashboard.hot_topic_panels(scope)
    assert len(calls) == 1 and first[0].rows == again[0].rows
    Topic.objects.create(committee=county, title="农村饮水不稳定", description="饮水",
                         name="居民", phone="13900000000", tracking_code="C000099")
    dashboard.hot_topic_panels(scope)
    assert len(calls) == 1  # the result is fresh: shown as it is
    monkeypatch.setattr(dashboard, "HOT_TOPICS_FRESH_SECONDS", 0)
    dashboard.hot_topic_panels(scope)
    assert len(calls) == 2
    dashboard.hot_topic_panels(scope)  # past the fresh period, unchanged items: still cached
    assert len(calls) == 2


def test_pages_reuse_figures_for_a_minute_and_downloads_are_exact(client, activities, staff):
    """The dashboard and statistics pages cache their figures for PAGE_CACHE_SECONDS (they read
    a replica when there is one anyway); the Excel download computes them afresh."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff)
    period = {"from": "2025-01-01", "to": "2025-12-31"}
    with CaptureQueriesContext(connection) as first:
        assert client.get(reverse("reports-dashboard"), period).status_code == 200
    with CaptureQueriesContext(connection) as again:
        assert client.get(reverse("reports-dashboard"), period).status_code == 200
    assert len(again) < len(first) - 20, (len(first), len(again))
    client.get(reverse("reports-figures"), period)
    with CaptureQueriesContext(connection) as page:
        client.get(reverse("reports-figures"), period)
    with CaptureQueriesContext(connection) as download:
        response = client.get(reverse("reports-figures"), {**period, "format": "xlsx"})
    assert response.status_code == 200 and load_workbook(io.BytesIO(response.content))
    assert len(download) > len(page) + 20, (len(page), len(download))


def test_hot_issues_name_the_place_the_problem_and_the_days(client, county, staff):
    from xieshang.opinions.models import Topic

    for i, (title, text) in enumerate([
        ("伊景园滨河苑开发商捆绑销售车位", "伊景园滨河苑买房必须买车位，不买车位不给签合同。"),
        ("投诉伊景园滨河苑捆绑销售车位", "伊景园滨河苑开发商捆绑销售车位，请住建部门查处。"),
        ("伊景园滨河苑强制捆绑购买车位", "滨河苑售楼部说不买车位就不能买房。"),
        ("小区停车难", "晚上回家找不到停车位。"),
        ("农村饮水不稳定", "夏天经常停水。"),
    ]):
        Topic.objects.create(committee=county, title=title, description=text, name="居民",
                             phone="13900000000", tracking_code=f"H{i:06d}")
    client.force_login(staff)
    body = client.get(reverse("reports-dashboard")).content.decode()
    today = timezone.localdate().isoformat()
    assert "伊景园滨河苑 · " in body and "车位" in body and f"（{today}）" in body
