"""The duties API: the same rules as the pages, refusals included."""

import datetime as dt
import json

import pytest

from tests.factories import MemberFactory, user_with_role
from xieshang.core.models import Role
from xieshang.core.permissions import Actor, actor_for
from xieshang.duties import engine, services
from xieshang.duties.models import SelfReport, WarningRule

pytestmark = pytest.mark.django_db

TEXT = {"overview": "全年参加会议活动十余次。", "achievements": "提交提案三件。"}


@pytest.fixture
def scored(county, staff, django_capture_on_commit_callbacks):
    user = user_with_role(county, Role.MEMBER)
    member = user.roles.get().member
    other = MemberFactory(committee=county)
    with django_capture_on_commit_callbacks(execute=True):
        services.ruleset_create_from_template(actor=Actor.for_system(county), committee=county,
                                              year=2025)
        services.manual_item_add(actor=actor_for(staff, county), member=member,
                                 date=dt.date(2025, 4, 1), code="award", description="获评优秀委员")
    engine.recompute(county, 2025)
    return user, member, other


def put(client, url, data):
    return client.put(url, json.dumps(data), content_type="application/json")


def test_member_reads_own_record_with_traced_lines(client, scored):
    user, member, _other = scored
    client.force_login(user)
    body = client.get("/api/v1/duties/record", {"year": 2025}).json()
    assert body["member_id"] == member.pk and body["score"] == 5.0
    assert body["lines"][0]["label"] == "获评优秀委员" and body["lines"][0]["points"] == 5.0
    assert body["facts"][0]["kind"] == "manual:award"


def test_ranking_pages_keep_the_rank(client, scored, county, staff):
    client.force_login(staff)
    body = client.get("/api/v1/duties/ranking", {"year": 2025, "page": 2, "page_size": 1}).json()
    assert body["count"] == 2 and body["items"][0]["rank"] == 2
    assert body["items"][0]["score"] == 0.0


def test_member_is_refused_another_record_and_the_ranking(client, scored, county):
    user, _member, other = scored
    client.force_login(user)
    response = client.get("/api/v1/duties/record", {"member_id": other.pk, "year": 2025})
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert client.get("/api/v1/duties/ranking", {"year": 2025}).status_code == 403


def test_published_ranking_opens_to_members_but_not_records(client, scored, county):
    county.policy = {"duty_rankings_public": True}
    county.save()
    user, member, other = scored
    client.force_login(user)
    rows = client.get("/api/v1/duties/ranking", {"year": 2025}).json()["items"]
    assert rows[0] == {"rank": 1, "member_id": member.pk, "member": member.name,
                       "sector": member.sector.name, "score": 5.0, "band": "不合格"}
    assert client.get("/api/v1/duties/record", {"member_id": other.pk}).status_code == 404


def test_staff_read_any_record_other_county_gets_404(client, scored, county, other_county,
                                                     staff):
    _user, _member, other = scored
    client.force_login(staff)
    assert client.get("/api/v1/duties/record", {"member_id": other.pk}).status_code == 200
    client.force_login(user_with_role(other_county, Role.STAFF_OFFICE))
    assert client.get("/api/v1/duties/record", {"member_id": other.pk}).status_code == 404


def test_bad_year_is_a_clear_422(client, scored):
    user, _member, _other = scored
    client.force_login(user)
    response = client.get("/api/v1/duties/record", {"year": 1800})
    assert response.status_code == 422 and "year" in response.json()["message"]


def test_warnings_staff_see_all_member_own_clerk_refused(client, scored, county, staff):
    user, member, other = scored
    WarningRule.objects.create(committee=county, name="无提案无信息", kinds=["opinion.submitted"],
                               comparison="at_most", threshold=0, message="请履职")
    services.warnings_check(actor=Actor.for_system(county), committee=county,
                            today=dt.date(2025, 10, 1))
    client.force_login(staff)
    assert {w["member_id"] for w in client.get("/api/v1/duties/warnings").json()["items"]} == {
        member.pk, other.pk}
    client.force_login(user)
    assert [w["member_id"] for w in client.get("/api/v1/duties/warnings").json()["items"]] == [
        member.pk]
    client.force_login(user_with_role(county, Role.UNIT_CLERK))
    assert client.get("/api/v1/duties/warnings").status_code == 403


def test_self_report_through_the_api(client, scored, county, staff):
    user, member, _other = scored
    client.force_login(user)
    response = put(client, "/api/v1/duties/self-reports/mine/2025", {**TEXT, "submit": True})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "submitted" and body["figures"]["score"] == "5"
    client.force_login(staff)
    listing = client.get("/api/v1/duties/self-reports", {"year": 2025}).json()
    assert [r["member_id"] for r in listing["submitted"]] == [member.pk]
    assert len(listing["missing"]) == 1
    assert listing["submitted"][0]["actions"] == ["return", "accept"]
    response = client.post(f"/api/v1/duties/self-reports/{body['id']}/return",
                           json.dumps({"version": body["version"], "note": "请补充"}),
                           content_type="application/json")
    assert response.json()["status"] == "returned"
    reminded = client.post("/api/v1/duties/self-reports-remind/2025").json()
    assert reminded == {"reminded": 1}  # the one who never wrote (no login for the other)


def test_self_report_refusals_on_the_api(client, scored, county, other_county):
    user, member, _other = scored
    client.force_login(user)
    body = put(client, "/api/v1/duties/self-reports/mine/2025", {**TEXT, "submit": True}).json()
    # The author may not accept their own report.
    response = client.post(f"/api/v1/duties/self-reports/{body['id']}/accept",
                           json.dumps({"version": body["version"]}),
                           content_type="application/json")
    assert response.status_code == 403
    # Another member, a leader, staff elsewhere: not found (the fetch is the check).
    client.force_login(user_with_role(county, Role.MEMBER))
    assert client.get(f"/api/v1/duties/self-reports/{body['id']}").status_code == 404
    own = client.get("/api/v1/duties/self-reports", {"year": 2025}).json()
    assert own == {"year": 2025, "submitted": [], "missing": []}
    client.force_login(user_with_role(county, Role.LEADER))
    assert client.get(f"/api/v1/duties/self-reports/{body['id']}").status_code == 404
    assert client.get("/api/v1/duties/self-reports").status_code == 403
    assert client.post("/api/v1/duties/self-reports-remind/2025").status_code == 403
    client.force_login(user_with_role(other_county, Role.STAFF_OFFICE))
    assert client.get(f"/api/v1/duties/self-reports/{body['id']}").status_code == 404
    assert SelfReport.objects.get(pk=body["id"]).status == SelfReport.Status.SUBMITTED


def test_submitted_report_cannot_be_overwritten_through_the_api(client, scored):
    user, _member, _other = scored
    client.force_login(user)
    put(client, "/api/v1/duties/self-reports/mine/2025", {**TEXT, "submit": True})
    response = put(client, "/api/v1/duties/self-reports/mine/2025", {"overview": "改写"})
    assert response.status_code == 400
    assert SelfReport.objects.get().overview == TEXT["overview"]
    response = put(client, "/api/v1/duties/self-reports/mine/2026", {"overview": "x" * 20_001})
    assert response.status_code == 422
