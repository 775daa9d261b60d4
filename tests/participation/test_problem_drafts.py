"""A member of a studio turns a problem into a proposal draft or a public-opinion report of
their own; the problem is then passed on as it. Nobody else may: not the staff (a draft has
an author), not a member outside the studio, not a unit's clerk, not another committee."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from ninja.testing import TestClient

from tests.activities.factories import member_with_login
from tests.factories import HandlingUnitFactory, user_with_role
from xieshang.core.models import ApiToken, Role
from xieshang.core.permissions import actor_for
from xieshang.opinions.models import OpinionReport
from xieshang.participation import services
from xieshang.participation.models import Problem
from xieshang.proposals.models import Proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def studio(county, staff):
    _u, lead, _a = member_with_login(county, name="林委员")
    return services.studio_create(actor=actor_for(staff, county), name="城关镇委员工作室",
                                  place="便民服务中心", lead=lead)


@pytest.fixture
def problem(studio):
    return services.problem_record(actor=actor_for(studio.lead.user, studio.committee),
                                   studio=studio, text="学校门口早晚高峰拥堵\n接送车辆占道",
                                   received_on=dt.date(2026, 3, 2), raised_by="王大爷")


def test_a_studio_member_turns_a_problem_into_a_proposal_draft_of_their_own(county, studio,
                                                                            problem):
    actor = actor_for(studio.lead.user, county)
    proposal = services.problem_to_proposal(actor=actor, problem=problem)
    assert proposal.status == "draft" and proposal.proposer_id == studio.lead_id
    assert proposal.title == "学校门口早晚高峰拥堵"
    assert "接送车辆占道" in proposal.body and "城关镇委员工作室" in proposal.body
    problem.refresh_from_db()
    assert problem.route == Problem.Route.PROPOSAL and problem.proposal == proposal
    assert problem.routed_on is not None
    with pytest.raises((PermissionDenied, ValidationError)):
        services.problem_to_proposal(actor=actor, problem=problem)  # passed on already
    assert Proposal.objects.count() == 1


def test_a_studio_member_writes_a_report_from_a_problem(county, studio, problem):
    actor = actor_for(studio.lead.user, county)
    start = services.problem_report_text(problem)
    report = services.problem_to_report(actor=actor, problem=problem, title=start["title"],
                                        category="other", situation=start["situation"],
                                        suggestion="错峰放学，设临时停车区")
    assert report.author_member_id == studio.lead_id and "王大爷" in report.situation
    problem.refresh_from_db()
    assert problem.route == Problem.Route.OPINION and problem.opinion == report


def test_others_may_not_make_drafts_from_a_studio_problem(county, other_county, studio,
                                                          problem, staff):
    _u, _m, outsider_member = member_with_login(county)
    unit = HandlingUnitFactory(committee=county)
    clerk = actor_for(user_with_role(county, Role.UNIT_CLERK, unit=unit), county)
    elsewhere = actor_for(user_with_role(other_county, Role.MEMBER), other_county)
    for who in (outsider_member, clerk, actor_for(staff, county), elsewhere):
        with pytest.raises(PermissionDenied):
            services.problem_to_proposal(actor=who, problem=problem)
        with pytest.raises(PermissionDenied):
            services.problem_to_report(actor=who, problem=problem, title="学校门口拥堵问题",
                                       category="other", situation="x")
    assert not Proposal.objects.exists() and not OpinionReport.objects.exists()


def test_the_studio_page_offers_the_drafts_and_shows_where_the_problem_went(client, county,
                                                                            studio, problem):
    client.force_login(studio.lead.user)
    page = client.get(f"/participation/studios/{studio.pk}/").content.decode()
    assert f"/participation/problems/{problem.pk}/to-proposal/" in page
    r = client.post(f"/participation/problems/{problem.pk}/to-proposal/")
    proposal = Proposal.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/proposals/{proposal.pk}/edit/"
    page = client.get(f"/participation/studios/{studio.pk}/").content.decode()
    assert f"/proposals/{proposal.pk}/" in page and "学校门口早晚高峰拥堵" in page
    assert f"/participation/problems/{problem.pk}/to-proposal/" not in page


def test_the_report_form_is_pre_filled_and_submitting_it_passes_the_problem_on(client, county,
                                                                               studio, problem):
    client.force_login(studio.lead.user)
    url = f"/participation/problems/{problem.pk}/to-report/"
    page = client.get(url).content.decode()
    assert "学校门口早晚高峰拥堵" in page and "王大爷" in page
    r = client.post(url, {"title": "关于缓解学校门口拥堵的建议", "category": "other",
                          "situation": "学校门口早晚高峰拥堵", "suggestion": "错峰放学"})
    report = OpinionReport.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/opinions/reports/{report.pk}/"
    problem.refresh_from_db()
    assert problem.opinion == report


def test_pages_refuse_a_member_outside_the_studio_and_a_unit_clerk(client, county, studio,
                                                                   problem):
    outsider, _m, _a = member_with_login(county)
    clerk = user_with_role(county, Role.UNIT_CLERK, unit=HandlingUnitFactory(committee=county))
    for user in (outsider, clerk):
        client.force_login(user)
        page = client.get(f"/participation/studios/{studio.pk}/").content.decode()
        assert "to-proposal" not in page
        assert client.post(f"/participation/problems/{problem.pk}/to-proposal/").status_code == 403
        assert client.get(f"/participation/problems/{problem.pk}/to-report/").status_code == 403
    assert not Proposal.objects.exists()


def test_the_api_makes_drafts_with_the_same_rules(county, other_county, studio, problem):
    from xieshang.api import api

    api_client = TestClient(api)

    def call(user, pk, body):
        _t, key = ApiToken.issue(user, "test")
        return api_client.post(f"/participation/problems/{pk}/draft", json=body,
                               headers={"Authorization": f"Bearer {key}"})

    outsider, _m, _a = member_with_login(county)
    assert call(outsider, problem.pk, {"kind": "proposal"}).status_code == 403
    stranger = user_with_role(other_county, Role.MEMBER)
    assert call(stranger, problem.pk, {"kind": "proposal"}).status_code == 404
    r = call(studio.lead.user, problem.pk, {"kind": "opinion", "suggestion": "错峰放学"})
    assert r.status_code == 201, r.json()
    report = OpinionReport.objects.get()
    assert r.json()["route"] == "opinion" and r.json()["opinion_id"] == report.pk
    again = call(studio.lead.user, problem.pk, {"kind": "proposal"})
    assert again.status_code == 403 and not Proposal.objects.exists()
