import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.activities.factories import member_with_login
from tests.factories import user_with_role
from tests.participation.factories import full_answers, make_survey
from xieshang.core.models import Role
from xieshang.core.permissions import Actor, actor_for
from xieshang.duties import facts
from xieshang.participation import selectors, services
from xieshang.participation.models import Answer, Response

pytestmark = pytest.mark.django_db


def test_member_answers_once_and_results_count(county, staff):
    _u, member, actor = member_with_login(county)
    survey = make_survey(county)
    services.survey_answer(actor=actor, survey=survey, answers=full_answers(survey))
    with pytest.raises(ValidationError):
        services.survey_answer(actor=actor, survey=survey, answers=full_answers(survey))
    results = selectors.results(survey)
    assert [b["count"] for b in results[0]["bars"]] == [1, 0, 0]
    assert [b["count"] for b in results[1]["bars"]] == [1, 0, 1, 0]
    assert results[2]["mean"] == 4
    assert results[3]["texts"] == ["希望增加夜间照护"]
    assert Response.objects.get().member == member


def test_bad_answers_are_refused_and_nothing_is_half_saved(county):
    _u, _m, actor = member_with_login(county)
    survey = make_survey(county)
    answers = full_answers(survey)
    qs = list(survey.questions.order_by("order"))
    for bad in ({str(qs[0].pk): "9"}, {str(qs[1].pk): ["1", "1"]}, {str(qs[2].pk): "6"},
                {str(qs[0].pk): "abc"}, {str(qs[0].pk): ""}):
        with pytest.raises(ValidationError):
            services.survey_answer(actor=actor, survey=survey, answers={**answers, **bad})
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_only_members_answer_members_surveys_and_not_after_closing(county):
    clerk = user_with_role(county, Role.UNIT_CLERK)
    survey = make_survey(county)
    with pytest.raises(PermissionDenied):
        services.survey_answer(actor=actor_for(clerk, county), survey=survey,
                               answers=full_answers(survey))
    assert survey not in selectors.visible_surveys(actor_for(clerk, county))
    closed = make_survey(county, open_now=False)
    _u, _m, actor = member_with_login(county)
    with pytest.raises(PermissionDenied):
        services.survey_answer(actor=actor, survey=closed, answers=full_answers(closed))


def test_anonymous_public_answers_once_per_device_and_are_rate_limited(county, monkeypatch):
    survey = make_survey(county, audience="public")
    anon = Actor(user=None, committee=county, ip="10.0.0.9")
    services.survey_answer(actor=anon, survey=survey, answers=full_answers(survey), device="a" * 32)
    with pytest.raises(ValidationError):
        services.survey_answer(actor=anon, survey=survey, answers=full_answers(survey),
                               device="a" * 32)
    with pytest.raises(PermissionDenied):
        services.survey_answer(actor=anon, survey=survey, answers=full_answers(survey))
    monkeypatch.setattr(services, "ANONYMOUS_PER_HOUR", 2)
    services.survey_answer(actor=anon, survey=survey, answers=full_answers(survey), device="b" * 32)
    with pytest.raises(ValidationError):
        services.survey_answer(actor=anon, survey=survey, answers=full_answers(survey),
                               device="c" * 32)
    assert Response.objects.count() == 2


def test_anonymous_cannot_answer_a_members_survey(county):
    survey = make_survey(county)
    with pytest.raises(PermissionDenied):
        services.survey_answer(actor=Actor(user=None, committee=county, ip="1.2.3.4"),
                               survey=survey, answers=full_answers(survey), device="d" * 32)


def test_survey_counting_for_duty_is_a_fact(county, frozen_clock):
    _u, member, actor = member_with_login(county)
    counted = make_survey(county, counts=True)
    plain = make_survey(county)
    services.survey_answer(actor=actor, survey=counted, answers=full_answers(counted))
    services.survey_answer(actor=actor, survey=plain, answers=full_answers(plain))
    today = dt.date(2026, 11, 26)
    rows = [f for f in facts.collect(county.pk, today, today) if f.kind == "survey.answered"]
    assert [f.ref_id for f in rows] == [str(Response.objects.get(survey=counted).pk)]


def test_bad_survey_definitions_give_clear_errors(county, staff):
    actor = actor_for(staff, county)
    now = dt.datetime(2026, 11, 26, 9, tzinfo=dt.UTC)
    for questions in ([], [{"kind": "single", "text": "x", "options": ["只有一个"]}],
                      [{"kind": "nope", "text": "x"}], [{"kind": "scale", "text": "x",
                                                         "scale_max": 20}]):
        with pytest.raises(ValidationError):
            services.survey_create(actor=actor, title="问卷", opens_at=now,
                                   closes_at=now + dt.timedelta(days=1), questions=questions)
    _u, _m, member_actor = member_with_login(county)
    with pytest.raises(PermissionDenied):
        services.survey_create(actor=member_actor, title="问卷", opens_at=now,
                               closes_at=now + dt.timedelta(days=1),
                               questions=[{"kind": "text", "text": "x"}])


def test_results_and_excel_only_for_staff_and_the_export_opens(client, county, staff):
    from openpyxl import load_workbook

    user, _m, actor = member_with_login(county)
    survey = make_survey(county)
    services.survey_answer(actor=actor, survey=survey, answers=full_answers(survey))
    client.force_login(user)
    assert client.get(f"/participation/surveys/{survey.pk}/results/").status_code == 403
    assert client.get(f"/participation/surveys/{survey.pk}/export.xlsx").status_code == 403
    client.force_login(staff)
    page = client.get(f"/participation/surveys/{survey.pk}/results/")
    assert page.status_code == 200 and "希望增加夜间照护" in page.content.decode()
    r = client.get(f"/participation/surveys/{survey.pk}/export.xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][3] == "您对社区养老服务满意吗"
    assert rows[1][3:] == ("满意", "助餐；助浴", 4, "希望增加夜间照护")


def test_public_page_answers_without_login_once_per_device(client, county):
    survey = make_survey(county, audience="public")
    qs = list(survey.questions.order_by("order"))
    data = {f"q{qs[0].pk}": "1", f"q{qs[1].pk}": ["0"], f"q{qs[2].pk}": "3"}
    first = client.get(f"/participation/s/{survey.pk}/")
    assert first.status_code == 200
    r = client.post(f"/participation/s/{survey.pk}/", data)
    assert r.status_code == 200 and Response.objects.count() == 1
    client.post(f"/participation/s/{survey.pk}/", data)
    assert Response.objects.count() == 1
    members_only = make_survey(county)
    assert client.get(f"/participation/s/{members_only.pk}/").status_code == 404


def test_member_answers_on_the_page(client, county):
    user, _m, _a = member_with_login(county)
    survey = make_survey(county)
    qs = list(survey.questions.order_by("order"))
    client.force_login(user)
    r = client.post(f"/participation/surveys/{survey.pk}/", {
        f"q{qs[0].pk}": "1", f"q{qs[1].pk}": ["0", "3"], f"q{qs[2].pk}": "5"})
    assert r.status_code == 302 and Response.objects.count() == 1
    r = client.post(f"/participation/surveys/{survey.pk}/", {f"q{qs[0].pk}": "1"})
    assert r.status_code == 200 and Response.objects.count() == 1


def test_member_home_shows_surveys_and_rooms_awaiting(client, county):
    from tests.participation.factories import make_room

    user, member, actor = member_with_login(county)
    survey = make_survey(county)
    make_room(county, members=[member])
    assert selectors.surveys_awaiting(actor) == 1 and selectors.rooms_open_to(actor) == 1
    client.force_login(user)
    page = client.get("/").content.decode()
    assert "待填写的问卷" in page and "邀请您参加的网络议政" in page
    services.survey_answer(actor=actor, survey=survey, answers=full_answers(survey))
    assert selectors.surveys_awaiting(actor) == 0
