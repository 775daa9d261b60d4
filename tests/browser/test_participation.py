"""The participation channels on a 390 px phone: a member takes part in an online consultation
from the menu, answers a survey and records a problem at their studio; a resident answers a
public survey without logging in, once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.browser.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    login,
    screenshot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_390 = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
             "device_scale_factor": 2, "locale": "zh-CN"}


@pytest.fixture
def phone(browser: Any, live_server: Any) -> Any:
    context = browser.new_context(base_url=live_server.url, **PHONE_390)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_member_on_a_phone_posts_answers_and_records_a_problem(phone, live_server, county, staff):
    from tests.activities.factories import member_with_login
    from tests.participation.factories import make_room, make_survey
    from xieshang.core import clock
    from xieshang.core.permissions import actor_for
    from xieshang.participation import services
    from xieshang.participation.models import Post, Problem, Response

    user, member, _a = member_with_login(county, name="林委员")
    room = make_room(county, members=[member], title="网络议政：城区停车")
    survey = make_survey(county)
    studio = services.studio_create(actor=actor_for(staff, county), name="城关镇委员工作室",
                                    place="便民服务中心", lead=member)
    login(phone, live_server, user.username)

    phone.goto("/")
    phone.get_by_role("link", name="网络议政").first.click()
    phone.get_by_text("网络议政：城区停车").click()
    phone.fill("#post-text", "建议机关停车场夜间向居民开放")
    phone.get_by_role("button", name="发表").last.click()
    phone.get_by_text("发言已发表").wait_for()
    assert Post.objects.filter(room=room, member=member).exists()
    assert_no_horizontal_scroll(phone, 390)
    assert_accessible(phone)
    screenshot(phone, "participation-room-phone")

    phone.goto(f"/participation/surveys/{survey.pk}/")
    questions = list(survey.questions.order_by("order"))
    phone.locator(f"input[name=q{questions[0].pk}][value='0']").check()
    phone.locator(f"input[name=q{questions[1].pk}][value='1']").check()
    phone.locator(f"input[name=q{questions[2].pk}][value='4']").check()
    phone.get_by_role("button", name="提交问卷").click()
    phone.get_by_text("提交成功").wait_for()
    assert Response.objects.filter(survey=survey, member=member).exists()
    assert_no_horizontal_scroll(phone, 390)

    phone.goto(f"/participation/studios/{studio.pk}/")
    phone.get_by_text("登记问题").click()
    phone.fill("#pb-text", "学校门口早晚高峰拥堵")
    phone.fill("#pb-date", (clock.today() - dt.timedelta(days=1)).isoformat())
    phone.locator("#problems form button[type=submit]").last.click()
    phone.get_by_text("学校门口早晚高峰拥堵").wait_for()
    assert Problem.objects.filter(studio=studio).count() == 1
    assert_no_horizontal_scroll(phone, 390)
    assert_accessible(phone)
    screenshot(phone, "participation-studio-phone")


def test_resident_answers_a_public_survey_once_without_logging_in(phone, county):
    from tests.participation.factories import make_survey
    from xieshang.participation.models import Response

    survey = make_survey(county, audience="public")
    questions = list(survey.questions.order_by("order"))
    phone.goto(f"/participation/s/{survey.pk}/")
    phone.locator(f"input[name=q{questions[0].pk}][value='2']").check()
    phone.locator(f"input[name=q{questions[1].pk}][value='0']").check()
    phone.locator(f"input[name=q{questions[2].pk}][value='3']").check()
    phone.get_by_role("button", name="提交问卷").click()
    phone.get_by_text("您已填写该问卷").wait_for()
    assert_no_horizontal_scroll(phone, 390)
    screenshot(phone, "participation-public-survey-phone")
    phone.goto(f"/participation/s/{survey.pk}/")
    phone.get_by_text("您已填写该问卷").wait_for()
    assert Response.objects.filter(survey=survey).count() == 1


def test_resident_finds_the_open_survey_on_the_website_and_answers_it(phone, county):
    """From the committee's website on a phone: the 网络议政·问卷调查 link in the menu, the
    open public survey, the answer and the thanks; the public room is read-only."""
    from django.core.cache import cache

    from tests.participation.factories import make_room, make_survey
    from xieshang.core.permissions import Actor
    from xieshang.participation.models import Response
    from xieshang.portal import services as portal_services

    cache.clear()  # the website's pages are cached for anonymous visitors
    portal_services.site_ensure(actor=Actor.for_system(county), committee=county)
    survey = make_survey(county, audience="public")
    make_room(county, title="公开议题：城区停车", is_public=True)
    make_room(county, title="邀请制议题：内部讨论")
    phone.goto(f"/c/{county.code}/")
    phone.get_by_role("navigation").get_by_role("link", name="网络议政·问卷调查").click()
    phone.get_by_role("heading", name="正在进行的问卷调查").wait_for()
    assert phone.get_by_text("邀请制议题").count() == 0
    assert_no_horizontal_scroll(phone, 390)
    assert_accessible(phone)
    screenshot(phone, "portal-participation-phone")
    phone.get_by_role("link", name="公开议题：城区停车").click()
    phone.get_by_role("link", name="登录参与讨论").wait_for()
    assert phone.locator("textarea").count() == 0
    assert_no_horizontal_scroll(phone, 390)
    phone.go_back()
    phone.get_by_role("link", name=survey.title).click()
    questions = list(survey.questions.order_by("order"))
    phone.locator(f"input[name=q{questions[0].pk}][value='0']").check()
    phone.locator(f"input[name=q{questions[1].pk}][value='1']").check()
    phone.locator(f"input[name=q{questions[2].pk}][value='5']").check()
    phone.get_by_role("button", name="提交问卷").click()
    phone.get_by_text("您已填写该问卷").wait_for()
    assert Response.objects.filter(survey=survey).count() == 1
    assert phone.locator(".portal-head").count() == 1
    assert_no_horizontal_scroll(phone, 390)
    assert_accessible(phone)
    screenshot(phone, "portal-survey-answered-phone")


def test_studio_member_turns_a_problem_into_a_proposal_draft_on_a_phone(phone, live_server,
                                                                        county, staff):
    from tests.activities.factories import member_with_login
    from xieshang.core.permissions import actor_for
    from xieshang.participation import services
    from xieshang.participation.models import Problem

    user, member, actor = member_with_login(county, name="林委员")
    studio = services.studio_create(actor=actor_for(staff, county), name="城关镇委员工作室",
                                    place="便民服务中心", lead=member)
    problem = services.problem_record(actor=actor, studio=studio,
                                      text="学校门口早晚高峰拥堵，接送车辆占道",
                                      received_on=dt.date(2026, 3, 2), raised_by="王大爷")
    login(phone, live_server, user.username)
    phone.goto(f"/participation/studios/{studio.pk}/")
    phone.get_by_role("button", name="转为提案草稿").click()
    phone.wait_for_url("**/proposals/*/edit/")
    phone.get_by_text("已根据该问题生成提案草稿").wait_for()
    problem.refresh_from_db()
    assert problem.proposal is not None and problem.proposal.status == "draft"
    assert_no_horizontal_scroll(phone, 390)
    phone.goto(f"/participation/studios/{studio.pk}/")
    phone.locator(f"#problem-{problem.pk}").get_by_text("提案", exact=True).wait_for()
    assert phone.get_by_role("button", name="转为提案草稿").count() == 0
    assert Problem.objects.get(pk=problem.pk).route == "proposal"
    screenshot(phone, "participation-problem-draft-phone")
