"""The demo websites (xieshang/devdata/portal.py) and the demo county's duty scores
(xieshang/devdata/duties.py), built once with every app's demo (rolled back at the end)."""

from __future__ import annotations

import datetime as dt
import random
import statistics

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.conftest import STORY_DAY
from xieshang.activities.models import ReadingRecord
from xieshang.activities.selectors import learning_coverage
from xieshang.devdata.demo import DEMO_PASSWORD, DemoContext, build_demo
from xieshang.duties.models import DutyWarning, ManualItem, RuleSet, Score, ScoreLine
from xieshang.portal.models import Article, Column, Image, Site

TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """One build of every app's demo for the whole module (it takes half a minute), rolled
    back at the end; each test runs in a savepoint inside it (the classes' ``_db``)."""
    from django.conf import settings

    media, settings.MEDIA_ROOT = settings.MEDIA_ROOT, tmp_path_factory.mktemp("media")
    with (time_machine.travel(STORY_DAY, tick=True), django_db_blocker.unblock(),
          transaction.atomic()):
        ctx = build_demo(seed=2026, verbose=False)
        yield ctx
        transaction.set_rollback(True)
    settings.MEDIA_ROOT = media


class TestDemo:
    @pytest.fixture(autouse=True)
    def _db(self, demo, db):
        """Each test runs in a savepoint inside the shared build."""

    def test_proposals_written_in_bulk_are_in_the_search_index(self, demo):
        """The proposals builder writes in bulk (no post_save); build_demo indexes them."""
        from xieshang.proposals.models import Proposal
        from xieshang.search.index import SOURCES
        from xieshang.search.models import SearchEntry

        searchable = {str(p.pk) for p in Proposal.objects.filter(committee=demo.county)
                      if SOURCES["proposal"].to_document(p) is not None}
        assert len(searchable) > 300
        indexed = set(SearchEntry.objects.filter(kind="proposal", object_id__in=searchable)
                      .values_list("object_id", flat=True))
        assert indexed == searchable
        assert demo.extra["indexed"]["proposal"] >= len(searchable)

    def test_the_index_is_complete_for_every_kind_and_committee(self, demo):
        """Issue #16: members, units, opinions, topics and activities written through the
        services only queued their index tasks (run later by a worker, or never): build_demo
        indexes every kind, so `xieshang text reindex --check` passes right after it."""
        import io

        from django.core.management import call_command

        from xieshang.search.completeness import counts

        rows = counts()
        assert {r.kind for r in rows} >= {"proposal", "opinion", "activity", "member", "unit"}
        assert [r for r in rows if not r.ok] == []
        out = io.StringIO()
        call_command("text", "reindex", "--check", stdout=out)
        assert "index complete" in out.getvalue()

    def test_each_committee_has_a_public_site(self, demo):
        for committee in (demo.county, demo.city, demo.province):
            site = Site.objects.get(committee=committee)
            assert site.is_public and site.banner_text and site.icp_number
            news = Article.objects.filter(committee=committee, status="published",
                                          column__kind=Column.Kind.NEWS)
            assert news.count() >= 5

    def test_the_county_site_has_every_kind_of_content(self, demo):
        county = demo.county
        live = Article.objects.filter(committee=county, status=Article.Status.PUBLISHED)
        by_kind = {kind: live.filter(column__kind=kind).count() for kind in Column.Kind.values}
        assert by_kind["news"] >= 15 and by_kind["notice"] >= 5
        assert by_kind["publication"] >= 4 and by_kind["learning"] >= 6
        titles = set(live.values_list("title", flat=True))
        assert "政协清河县第十四届委员会第五次会议隆重开幕" in titles
        assert any("文史资料" in t for t in titles) and any("年度报告" in t for t in titles)
        assert any("宣传图册" in t for t in titles)
        learning = live.filter(column__kind=Column.Kind.LEARNING)
        assert learning.filter(audience=Article.Audience.MEMBERS).count() >= 3
        assert learning.filter(audience=Article.Audience.PUBLIC).count() >= 3
        assert not learning.filter(learning_material__isnull=True).exists()

    def test_drafts_review_and_a_scheduled_article(self, demo):
        articles = Article.objects.filter(committee=demo.county)
        assert articles.filter(status=Article.Status.DRAFT).count() >= 2
        assert articles.filter(status=Article.Status.REVIEW).count() == 1
        scheduled = articles.filter(status=Article.Status.PUBLISHED,
                                    publish_at__date__gt=TODAY)
        assert scheduled.count() == 1

    def test_covers_are_described_and_at_most_1600_wide(self, demo):
        assert Article.objects.filter(committee=demo.county, cover__isnull=False).count() >= 5
        assert Image.objects.filter(width__gt=1600).count() == 0
        assert Image.objects.filter(width=1600).exists()  # the wide one was resized
        assert not Image.objects.filter(alt="").exists()

    def test_members_read_the_learning_library(self, demo):
        county = demo.county
        readings = ReadingRecord.objects.filter(
            committee=county, material__portal_article__isnull=False)
        members = len(demo.members["demo-county"])
        assert readings.values("member").distinct().count() > members // 2
        assert readings.filter(marked_read=True).count() > readings.count() // 2
        assert readings.filter(opened_at__date__gte=TODAY).count() == 0
        coverage = learning_coverage(county, dt.date(2026, 1, 1), TODAY)
        assert coverage.total > 0 and coverage.reached > 0

    def test_the_demo_member_sees_the_learning_library(self, demo):
        client = Client()
        client.post(reverse("login"), {"username": "weiyuan", "password": DEMO_PASSWORD})
        body = client.get(reverse("portal-column", args=[demo.county.code, "learning"])
                          ).content.decode()
        assert "仅限委员" in body and "已读" in body and "在读" in body

    def test_public_pages_of_the_demo_answer(self, demo):
        client = Client()
        for committee in (demo.county, demo.city, demo.province):
            home = client.get(reverse("portal-home", args=[committee.code]))
            assert home.status_code == 200
        article = Article.objects.filter(committee=demo.county, cover__isnull=False,
                                         status="published", audience="public").first()
        assert client.get(reverse("portal-article", args=[demo.county.code, article.pk])
                          ).status_code == 200

    # --- the duties demo ---------------------------------------------------------------

    def test_a_rule_set_for_each_year_of_the_term(self, demo):
        years = list(RuleSet.objects.filter(committee=demo.county).order_by("year")
                     .values_list("year", flat=True))
        assert years == [2022, 2023, 2024, 2025, 2026]
        assert set(RuleSet.objects.values_list("template", flat=True)) == {"standard"}

    def test_awards_and_outside_duties_are_scored(self, demo):
        items = ManualItem.objects.filter(committee=demo.county)
        assert items.filter(code="award").exists() and items.filter(code="outside").exists()
        item = items.filter(date__year=2026).first()
        line = ScoreLine.objects.get(ref_type="duties.manualitem", ref_id=str(item.pk))
        assert line.member_id == item.member_id and line.points > 0

    def test_scores_spread_like_a_real_distribution(self, demo):
        totals = [float(s.total) for s in Score.objects.filter(committee=demo.county,
                                                               year=2026)]
        assert len(totals) >= 200
        assert statistics.pstdev(totals) > 10
        bands = set(Score.objects.filter(committee=demo.county, year=2026)
                    .values_list("band", flat=True))
        assert len(bands) >= 3
        assert Score.objects.filter(committee=demo.county, year=2026, band="优秀").exists()

    def test_every_point_traces_to_its_record(self, demo):
        score = Score.objects.filter(committee=demo.county, year=2026).order_by("-total")[0]
        lines = ScoreLine.objects.filter(member=score.member, year=2026)
        assert sum(line.points for line in lines) == score.total
        assert all(line.ref_type and line.ref_id for line in lines)

    def test_some_members_have_warnings(self, demo):
        warned = DutyWarning.objects.filter(committee=demo.county, resolved_at__isnull=True)
        members = len(demo.members["demo-county"])
        assert 0 < warned.values("member").distinct().count() < members // 2
        assert warned.filter(rule__name="本年度两次无故缺席政协活动").exists()


@pytest.mark.django_db
class TestDemoTeaches:
    """Issue #16: a demo that teaches the right thing (one build of every app's demo)."""

    @pytest.fixture(autouse=True)
    def _db(self, demo, db):
        """Each test runs in a savepoint inside the shared build."""

    def test_one_unit_each_with_a_clerk_and_a_leader(self, demo):
        from xieshang.core.models import Role, RoleAssignment
        from xieshang.members.models import HandlingUnit

        for committee in (demo.county, demo.city, demo.province):
            units = list(HandlingUnit.objects.filter(committee=committee))
            # 县教育局 is the short name of 清河县教育局, never a second unit
            shorts = {u.short_name for u in units if u.short_name}
            assert not [u.name for u in units if u.name in shorts], committee
            tails = [u.name.split("县", 1)[-1] for u in units if "县" in u.name]
            assert len(tails) == len(set(tails)), committee
            for unit in units:
                roles = set(RoleAssignment.objects.filter(unit=unit, is_active=True)
                            .values_list("role", flat=True))
                assert roles >= {Role.UNIT_CLERK, Role.UNIT_LEADER}, unit.name

    def test_assignments_follow_the_subject_as_an_office_assigns(self, demo):
        from xieshang.proposals.models import Assignment

        education = demo.extra["unit_by_short"][demo.county.code]["县教育局"]
        rows = Assignment.objects.filter(committee=demo.county, proposal__title__contains="学校")
        assert rows.exists()
        assert {a.unit_id for a in rows} == {education.pk}
        care = Assignment.objects.filter(committee=demo.county,
                                         proposal__title__contains="养老服务")
        assert {a.unit.short_name for a in care} == {"县民政局"}

    def test_routing_learned_from_the_demo_suggests_the_department_an_office_would(
            self, demo, settings, tmp_path):
        """#16: the demo's assignment history teaches the router sensible suggestions. The
        texts below are written for this test, not drawn from the demo's generator."""
        from xieshang.proposals import routing
        from xieshang.proposals.models import Proposal

        settings.VAR_DIR = tmp_path
        assert routing.retrain.call(demo.county.pk).startswith("trained on")
        short = {u.pk: u.short_name or u.name
                 for u in demo.extra["unit_by_short"][demo.county.code].values()}
        cases = {
            "关于加强乡村小学教师队伍建设的建议":
                ("部分村小教师年龄偏大、学科结构不合理，音体美教师短缺。建议完善农村教师补充机制，"
                 "落实乡村教师生活补助，推进城乡学校结对帮扶。", "县教育局"),
            "关于发展社区居家养老服务的建议":
                ("城区高龄、独居老人增多，社区养老服务设施不足。建议建设嵌入式养老服务站，"
                 "推广老年助餐，落实特困老人探访关爱制度。", "县民政局"),
            "关于改善农村公路养护的建议":
                ("部分通村公路路面破损、会车困难，养护资金不足。建议落实“路长制”，"
                 "增设错车道和安全防护设施，保障群众安全出行。", "县交通运输局"),
            "关于提升乡镇卫生院服务能力的建议":
                ("乡镇卫生院医生流失、设备陈旧，群众看病仍往县城跑。建议推进县域医共体建设，"
                 "加强全科医生培养，完善家庭医生签约服务。", "县卫生健康局"),
        }
        for title, (body, unit) in cases.items():
            proposal = Proposal(committee=demo.county, title=title, body=body)
            first = routing.suggest_units(proposal)[0]
            assert first.source == "model", title
            assert short[first.unit.pk] == unit, (title, short[first.unit.pk])

    def test_joint_proposals_are_counted(self, demo):
        from xieshang.core.figures import Scope, compute

        year = TODAY.year - 1
        figures = compute(Scope(demo.county, dt.date(year, 1, 1), dt.date(year, 12, 31)))
        joint, individual = (figures["proposals.kind.joint"].value,
                             figures["proposals.kind.individual"].value)
        assert joint > 0 and individual > 0
        assert 0.4 < joint / (joint + individual) < 0.8

    def test_a_years_proposals_are_assigned_in_that_year(self, demo):
        """2024 showed 1 proposal assigned against 150 submitted: every plenary proposal was
        handed in the December before its session."""
        from xieshang.core.figures import Scope, compute

        for year in (TODAY.year - 1, TODAY.year):
            f = compute(Scope(demo.county, dt.date(year, 1, 1), dt.date(year, 12, 31)))
            filed, assigned = f["proposals.filed"].value, f["units.assigned"].value
            assert filed > 50
            assert 0.7 * filed <= assigned <= 1.3 * filed, (year, filed, assigned)

    def test_no_attendance_on_an_activity_that_has_not_begun(self, demo):
        from django.utils import timezone

        from xieshang.activities.models import Invitation

        ahead = Invitation.objects.filter(activity__start__gt=timezone.now()).exclude(
            attendance="")
        assert not ahead.exists()

    def test_the_correspondent_lands_on_a_home_with_something_to_do(self, demo):
        client = Client()
        assert client.post(reverse("login"), {"username": "xinxiyuan",
                                              "password": DEMO_PASSWORD}).status_code == 302
        home = client.get(reverse("home")).content.decode()
        assert "特邀信息员" in home and reverse("opinions:mine") in home
        assert reverse("opinions:home") in home


def test_duties_demo_leaves_a_warning_rule_it_cannot_judge_inactive(county):
    """An "at most" warning rule counting a kind nothing reports would warn every member."""
    from xieshang.devdata import duties as duties_demo
    from xieshang.duties.models import WarningRule

    blind = WarningRule.objects.create(committee=county, name="无人上报", kinds=["nothing.here"],
                                       comparison="at_most", threshold=0, message="x")
    judged = WarningRule.objects.create(committee=county, name="有来源", comparison="at_most",
                                        kinds=["opinion.submitted"], threshold=0, message="x")
    ctx = DemoContext(rng=random.Random(1), county=county, verbose=False)
    duties_demo._demo_warning_rules(ctx)
    blind.refresh_from_db()
    judged.refresh_from_db()
    assert not blind.is_active and judged.is_active
    assert WarningRule.objects.filter(committee=county, name=duties_demo.ABSENCES["name"],
                                      is_active=True).exists()
