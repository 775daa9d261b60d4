"""Issue #16: figures that are true, say what they count and link to the records."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import MemberFactory
from tests.proposals.factories import S, build_world, reach
from xieshang.core import clock
from xieshang.core.figures import Scope, compute
from xieshang.core.permissions import Actor
from xieshang.duties import selectors as duty_selectors
from xieshang.duties import services as duty_services
from xieshang.duties.models import DutyWarning, WarningRule
from xieshang.proposals.models import Assignment

pytestmark = pytest.mark.django_db


def test_on_time_rate_counts_an_overdue_unreplied_part_as_late(county, frozen_clock):
    """It showed 100 % while proposals were overdue: only replies already sent were counted."""
    w = build_world(county)
    reach(w, S.CLOSED)  # replied within its deadline
    late = reach(w, S.HANDLING, title="关于规范校外培训机构的建议")
    Assignment.objects.filter(proposal=late).update(
        due_date=clock.today() - dt.timedelta(days=5))
    figures = compute(Scope(county, dt.date(2000, 1, 1), clock.today() + dt.timedelta(days=400)))
    rate = figures["proposals.on_time_rate"]
    assert rate.value == 50
    assert rate.detail == {"on_time": 1, "due": 2}
    assert "按期办复率" in rate.definition and "逾期" in rate.definition
    assert rate.link == "/proposals/work/overdue/"
    # a period in which nothing fell due: no data, not 100 % or 0 %
    empty = compute(Scope(county, dt.date(2001, 1, 1), dt.date(2001, 12, 31)))
    assert empty["proposals.on_time_rate"].note.startswith("无数据")


def test_open_warnings_respect_the_period(county, frozen_clock):
    system = Actor.for_system(county)
    duty_services.warning_rules_install_defaults(actor=system, committee=county)
    rule = WarningRule.objects.filter(committee=county).first()
    member = MemberFactory(committee=county)
    DutyWarning.objects.create(committee=county, rule=rule, member=member,
                               period_label=str(clock.today().year), count=1,
                               raised_at=clock.now())
    year = clock.today().year
    assert compute(Scope(county, dt.date(2010, 1, 1), dt.date(2012, 12, 31)))[
        "duties.open_warnings"].value == 0
    now = compute(Scope(county, dt.date(year, 1, 1), dt.date(year, 12, 31)))
    assert now["duties.open_warnings"].value == 1
    assert now["duties.open_warnings"].definition


def test_routing_accuracy_says_no_data_where_nothing_was_decided(county, client, staff):
    figures = compute(Scope(county, dt.date(2024, 1, 1), dt.date(2024, 12, 31)))
    assert figures["proposals.routing_accuracy"].note
    client.force_login(staff)
    page = client.get(reverse("reports-figures"),
                      {"from": "2024-01-01", "to": "2024-12-31"}).content.decode()
    cell = page.split('data-testid="proposals.routing_accuracy">')[1].split("</td>")[0]
    assert "暂无数据" in cell or "无数据" in cell
    assert "0 %" not in cell


def test_the_score_distribution_top_bucket_covers_its_real_range():
    rows = dict(duty_selectors.distribution([Decimal(353), Decimal(101), Decimal(55),
                                             Decimal(-3)]))
    assert rows["≥100"] == 2 and rows["<0"] == 1 and rows["40–59"] == 1
    assert not any(label.startswith("100–") for label in rows)
    assert "<0" not in dict(duty_selectors.distribution([Decimal(1)]))


def test_joint_proposals_are_counted_and_linked(county, frozen_clock):
    w = build_world(county)
    reach(w, S.SUBMITTED)  # with a co-proposer: joint
    year = clock.today().year
    figures = compute(Scope(county, dt.date(year - 1, 1, 1), dt.date(year, 12, 31)))
    joint = figures["proposals.kind.joint"]
    assert joint.value == 1
    assert "kind=joint" in joint.link and joint.definition
    assert figures["proposals.kind.collective"].value == 0  # every kind shown, 0 too


def test_statistics_page_dashboard_and_draft_say_what_each_figure_counts(
        county, client, staff, frozen_clock):
    import io

    from docx import Document

    w = build_world(county)
    reach(w, S.CLOSED)
    year = clock.today().year
    period = {"from": f"{year - 1}-01-01", "to": f"{year}-12-31"}
    client.force_login(staff)
    page = client.get(reverse("reports-figures"), period).content.decode()
    assert 'data-testid="definition-proposals.on_time_rate"' in page
    assert 'data-testid="definition-proposals.submitted"' in page
    assert f"submitted_from={year - 1}-01-01" in page  # the submitted figure links its list
    dashboard = client.get(reverse("reports-dashboard"), period).content.decode()
    assert 'data-testid="definition-proposals.on_time_rate"' in dashboard
    screen = client.get(reverse("reports-screen"), period).content.decode()
    assert "按期办复率 =" in screen
    draft = client.get(reverse("reports-draft"), period)
    text = "\n".join(p.text for p in Document(io.BytesIO(draft.content)).paragraphs)
    assert "统计口径" in text and "按期办复率 =" in text


def test_the_proposal_list_filters_by_kind_and_submission_dates(county, client, frozen_clock):
    w = build_world(county)
    p = reach(w, S.SUBMITTED)
    client.force_login(w.users["staff"])
    day = clock.local(p.submitted_at).date()
    base = reverse("proposals-home")
    found = client.get(base, {"kind": "joint", "submitted_from": str(day),
                              "submitted_to": str(day)}).content.decode()
    assert p.title in found
    assert p.title not in client.get(base, {"kind": "individual"}).content.decode()
    assert p.title not in client.get(base, {"submitted_from": str(day + dt.timedelta(days=1))}
                                     ).content.decode()
    assert client.get(base, {"submitted_from": "yesterday"}).status_code == 200
