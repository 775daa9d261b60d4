import pytest
from ninja.testing import TestClient

from tests.activities.factories import make_activity, member_with_login
from tests.factories import HandlingUnitFactory, user_with_role
from tests.participation.factories import full_answers, make_room, make_survey
from xieshang.core.models import ApiToken, Role
from xieshang.participation.models import Post, Response, Room

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def client():
    from xieshang.api import api

    return TestClient(api)


def call(client, method, path, user, **kw):
    _token, key = ApiToken.issue(user, "test")
    return getattr(client, method)("/participation" + path,
                                   headers={"Authorization": f"Bearer {key}"}, **kw)


def test_staff_open_a_room_member_posts_staff_hide_and_summarise(client, county, staff):
    user, member, _a = member_with_login(county)
    activity = make_activity(county, "thematic_consultation")
    unit = HandlingUnitFactory(committee=county)
    r = call(client, "post", "/rooms", staff, json={
        "title": "网络议政：农村养老", "opens_at": "2020-01-01T09:00:00+08:00",
        "closes_at": "2099-01-01T09:00:00+08:00", "activity_id": activity.pk,
        "member_ids": [member.pk], "unit_ids": [unit.pk]})
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    assert r.json()["status"] == "draft" and r.json()["actions"] == ["publish"]
    # A draft: the invited member neither sees it nor posts in it.
    assert call(client, "get", f"/rooms/{pk}", user).status_code == 404
    assert call(client, "post", f"/rooms/{pk}/posts", user,
                data={"text": "x"}).status_code == 404
    assert call(client, "post", f"/rooms/{pk}/actions/publish", user,
                json={"version": 0}).status_code == 404
    r = call(client, "post", f"/rooms/{pk}/actions/publish", staff, json={"version": 0})
    assert r.status_code == 200 and r.json()["status"] == "published", r.json()
    r = call(client, "post", f"/rooms/{pk}/posts", user, data={"text": "建议发展互助养老"})
    assert r.status_code == 201, r.json()
    post_id = r.json()["id"]
    assert call(client, "post", f"/posts/{post_id}/hide", user,
                json={"reason": "x"}).status_code == 403
    r = call(client, "post", f"/posts/{post_id}/hide", staff, json={"reason": "重复发言"})
    assert r.json()["hidden"] is True
    listed = call(client, "get", f"/rooms/{pk}/posts", user).json()
    assert listed["items"][0]["text"] == "" and listed["items"][0]["hidden_reason"] == "重复发言"
    r = call(client, "post", f"/rooms/{pk}/summary", staff, json={
        "summary": "综述", "suggestions": [{"text": "建设农村幸福院", "unit_id": unit.pk}]})
    assert r.status_code == 200 and r.json()["suggestions"][0]["status"] == "recorded"
    assert call(client, "post", f"/rooms/{pk}/summary", user,
                json={"summary": "x"}).status_code == 403


def test_rooms_are_hidden_from_the_uninvited_and_other_committees(client, county, other_county):
    room = make_room(county)
    stranger, _m, _a = member_with_login(county)
    outsider = user_with_role(other_county, Role.STAFF_OFFICE)
    assert call(client, "get", f"/rooms/{room.pk}", stranger).status_code == 404
    assert call(client, "get", f"/rooms/{room.pk}", outsider).status_code == 404
    assert call(client, "post", f"/rooms/{room.pk}/posts", outsider,
                data={"text": "x"}).status_code == 404
    assert call(client, "get", "/rooms", stranger).json()["items"] == []
    assert call(client, "post", "/rooms", stranger, json={
        "title": "x", "opens_at": "2026-01-01T00:00:00+08:00",
        "closes_at": "2026-02-01T00:00:00+08:00"}).status_code == 403


def test_bad_room_input_is_a_clear_400_and_nothing_saved(client, county, staff):
    r = call(client, "post", "/rooms", staff, json={
        "title": "x", "opens_at": "2026-02-01T00:00:00+08:00",
        "closes_at": "2026-01-01T00:00:00+08:00"})
    assert r.status_code == 400 and "晚于" in r.json()["message"]
    assert not Room.objects.exists()
    room = make_room(county)
    r = call(client, "post", f"/rooms/{room.pk}/posts", staff, data={"text": "  "})
    assert r.status_code == 400 and not Post.objects.exists()


def test_survey_answer_results_and_refusals(client, county, staff, other_county):
    user, _m, _a = member_with_login(county)
    survey = make_survey(county)
    r = call(client, "post", f"/surveys/{survey.pk}/answers", user,
             json={"answers": full_answers(survey)})
    assert r.status_code == 201, r.json()
    again = call(client, "post", f"/surveys/{survey.pk}/answers", user,
                 json={"answers": full_answers(survey)})
    assert again.status_code == 400 and Response.objects.count() == 1
    assert call(client, "get", f"/surveys/{survey.pk}/results", user).status_code == 403
    results = call(client, "get", f"/surveys/{survey.pk}/results", staff).json()
    assert results["total"] == 1 and results["questions"][2]["mean"] == 4.0
    outsider = user_with_role(other_county, Role.STAFF_OFFICE)
    assert call(client, "get", f"/surveys/{survey.pk}/results", outsider).status_code == 404
    clerk = user_with_role(county, Role.UNIT_CLERK)
    assert call(client, "get", f"/surveys/{survey.pk}", clerk).status_code == 404


def test_staff_create_a_survey_through_the_api(client, county, staff):
    r = call(client, "post", "/surveys", staff, json={
        "title": "问卷", "opens_at": "2026-01-01T00:00:00+08:00",
        "closes_at": "2026-02-01T00:00:00+08:00",
        "questions": [{"kind": "single", "text": "是否满意", "options": ["是", "否"]}]})
    assert r.status_code == 201 and r.json()["questions"][0]["options"] == ["是", "否"]
    bad = call(client, "post", "/surveys", staff, json={
        "title": "问卷", "opens_at": "2026-01-01T00:00:00+08:00",
        "closes_at": "2026-02-01T00:00:00+08:00", "questions": []})
    assert bad.status_code == 400


def test_studio_through_the_api(client, county, staff, other_county):
    lead_user, lead, _a = member_with_login(county)
    r = call(client, "post", "/studios", staff, json={
        "name": "城关镇委员工作室", "place": "便民服务中心", "lead_id": lead.pk})
    assert r.status_code == 201
    pk = r.json()["id"]
    r = call(client, "post", f"/studios/{pk}/events", lead_user, json={
        "kind": "reception", "date": "2026-01-10", "title": "接待日", "residents": 8,
        "member_ids": [lead.pk]})
    assert r.status_code == 201, r.json()
    r = call(client, "post", f"/studios/{pk}/problems", lead_user, json={
        "text": "路灯不亮", "received_on": "2026-01-10"})
    problem = r.json()["id"]
    unit = HandlingUnitFactory(committee=county)
    r = call(client, "post", f"/problems/{problem}/route", lead_user,
             json={"route": "unit", "unit_id": unit.pk})
    assert r.json()["route"] == "unit"
    r = call(client, "post", f"/problems/{problem}/answer", lead_user,
             json={"answer": "已修复"})
    assert r.json()["answer"] == "已修复"
    stranger, _m, _a2 = member_with_login(county)
    assert call(client, "post", f"/studios/{pk}/problems", stranger, json={
        "text": "x", "received_on": "2026-01-10"}).status_code == 403
    outsider = user_with_role(other_county, Role.STAFF_OFFICE)
    assert call(client, "get", f"/studios/{pk}/problems", outsider).status_code == 404
    assert call(client, "get", "/studios", lead_user).json()["count"] == 1
