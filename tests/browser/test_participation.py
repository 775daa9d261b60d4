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
