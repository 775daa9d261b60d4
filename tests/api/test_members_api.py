"""/api/v1/members/: the directory for every role, personal data for the few, roster writes for
the office; rows of other committees are never found."""

import pytest

from tests.api.conftest import bearer
from tests.factories import (
    CollectiveBodyFactory,
    HandlingUnitFactory,
    MemberFactory,
    SectorFactory,
    SpecialCommitteeFactory,
    user_with_role,
)
from xieshang.core.models import AuditLog, Role
from xieshang.members.models import HandlingUnit, Member, TermMembership

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def roster(county):
    sector = SectorFactory(committee=county, name="经济界")
    return [MemberFactory(committee=county, sector=sector, name="张三", workplace="县医院"),
            MemberFactory(committee=county, sector=sector, name="李四", is_standing=True,
                          id_number="110105198001010016")]


def test_directory_lists_members_of_the_acting_committee_only(client, county, other_county,
                                                              member_user, roster):
    MemberFactory(committee=other_county, name="外县委员")
    client.force_login(member_user)
    body = client.get("/api/v1/members/members?page_size=100").json()
    names = {m["name"] for m in body["items"]}
    assert {"张三", "李四"} <= names and "外县委员" not in names
    assert body["count"] == len(names)
    assert "phone" not in body["items"][0] and "id_number" not in body["items"][0]


def test_directory_filters(client, staff, roster):
    client.force_login(staff)
    assert [m["name"] for m in client.get("/api/v1/members/members?q=县医院").json()["items"]
            ] == ["张三"]
    standing = client.get("/api/v1/members/members?standing=true").json()["items"]
    assert [m["name"] for m in standing] == ["李四"]
    sector = roster[0].sector_id
    assert client.get(f"/api/v1/members/members?sector={sector}").json()["count"] == 2


def test_directory_needs_a_role_in_the_committee(client, token_for):
    from tests.factories import UserFactory

    response = client.get("/api/v1/members/members", headers=bearer(token_for(UserFactory())))
    assert response.status_code == 403


def test_member_sees_own_record_with_masked_id_number(client, county, member_user):
    client.force_login(member_user)
    member = Member.objects.get(user=member_user)
    body = client.get(f"/api/v1/members/members/{member.pk}").json()
    assert body["name"] == member.name
    assert body["id_number"] == member.masked_id_number != member.id_number
    assert body["phone"] == member.masked_phone


def test_member_cannot_read_another_members_personal_data(client, member_user, roster):
    client.force_login(member_user)
    response = client.get(f"/api/v1/members/members/{roster[0].pk}")
    assert response.status_code == 404  # the fetch is the check (members.selectors.visible)
    assert "110105" not in response.content.decode()


def test_roster_office_sees_full_id_number(client, staff, roster):
    client.force_login(staff)
    body = client.get(f"/api/v1/members/members/{roster[0].pk}").json()
    assert body["id_number"] == "11010519491231002X" and body["phone"] == roster[0].phone


def test_member_of_another_committee_is_not_found(client, other_county, staff):
    foreign = MemberFactory(committee=other_county)
    client.force_login(staff)
    assert client.get(f"/api/v1/members/members/{foreign.pk}").status_code == 404
    response = client.patch(f"/api/v1/members/members/{foreign.pk}", data={"name": "改"},
                            content_type=JSON)
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.name != "改"


def test_user_of_the_other_county_gets_404_for_our_member(client, other_county, roster):
    outsider = user_with_role(other_county, Role.ADMIN)
    client.force_login(outsider)
    assert client.get(f"/api/v1/members/members/{roster[0].pk}").status_code == 404
    assert client.post(f"/api/v1/members/members/{roster[0].pk}/leave",
                       data={"left_on": "2026-11-26", "reason": "调离"},
                       content_type=JSON).status_code == 404


# --- roster writes -----------------------------------------------------------------------------

def test_office_adds_a_member_with_a_tenure_and_an_audit_row(client, county, staff):
    sector = SectorFactory(committee=county)
    client.force_login(staff)
    response = client.post("/api/v1/members/members", content_type=JSON, data={
        "name": "王五", "gender": "female", "sector_id": sector.pk, "joined_on": "2024-01-10",
        "phone": "13812345678"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sector"] == {"id": sector.pk, "name": sector.name}
    member = Member.objects.get(pk=body["id"])
    assert member.committee == county
    assert TermMembership.objects.filter(member=member).exists()
    assert AuditLog.objects.filter(action="member.create", object_id=str(member.pk)).exists()


def test_member_role_cannot_add_members(client, member_user):
    client.force_login(member_user)
    response = client.post("/api/v1/members/members", content_type=JSON,
                           data={"name": "王五", "gender": "female"})
    assert response.status_code == 403
    assert not Member.objects.filter(name="王五").exists()


def test_bad_choice_is_a_field_error_in_chinese_and_nothing_is_saved(client, staff):
    client.force_login(staff)
    response = client.post("/api/v1/members/members", content_type=JSON,
                           data={"name": "王五", "gender": "unknown"})
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["field"] == "gender"
    assert "unknown" in body["message"] and "选项" in body["message"]
    assert not Member.objects.filter(name="王五").exists()


def test_sector_of_another_committee_is_a_field_error(client, other_county, staff):
    foreign_sector = SectorFactory(committee=other_county)
    client.force_login(staff)
    response = client.post("/api/v1/members/members", content_type=JSON, data={
        "name": "王五", "gender": "male", "sector_id": foreign_sector.pk})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "sector",
                                          "message": "本政协没有这条记录。"}]
    assert not Member.objects.filter(name="王五").exists()


def test_update_changes_only_the_fields_sent(client, staff, roster):
    member = roster[0]
    client.force_login(staff)
    response = client.patch(f"/api/v1/members/members/{member.pk}", content_type=JSON,
                            data={"workplace": "县人民医院院长"})
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.workplace == "县人民医院院长" and member.name == "张三"
    assert AuditLog.objects.get(action="member.update").after == {
        "workplace": "县人民医院院长"}


def test_member_cannot_update_even_their_own_record(client, member_user):
    member = Member.objects.get(user=member_user)
    client.force_login(member_user)
    response = client.patch(f"/api/v1/members/members/{member.pk}", content_type=JSON,
                            data={"is_standing": True})
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.is_standing is False


def test_member_leaves(client, staff, roster):
    client.force_login(staff)
    response = client.post(f"/api/v1/members/members/{roster[0].pk}/leave", content_type=JSON,
                           data={"left_on": "2026-11-20", "reason": "工作调动"})
    assert response.status_code == 200 and response.json()["status"] == "left"
    assert client.get("/api/v1/members/members?status=left").json()["count"] == 1


def test_leaving_needs_a_reason(client, staff, roster):
    client.force_login(staff)
    response = client.post(f"/api/v1/members/members/{roster[0].pk}/leave", content_type=JSON,
                           data={"left_on": "2026-11-20", "reason": ""})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reason"
    roster[0].refresh_from_db()
    assert roster[0].status == "active"


# --- organisation ------------------------------------------------------------------------------

def test_organisation_lists(client, county, other_county, member_user):
    SpecialCommitteeFactory(committee=county, name="提案委员会")
    CollectiveBodyFactory(committee=county, name="民革县委会")
    SectorFactory(committee=other_county, name="外县界别")
    client.force_login(member_user)
    assert "提案委员会" in {c["name"] for c in
                         client.get("/api/v1/members/special-committees").json()["items"]}
    assert [b["name"] for b in client.get("/api/v1/members/collective-bodies").json()["items"]] == [
        "民革县委会"]
    sectors = client.get("/api/v1/members/sectors").json()["items"]
    assert "外县界别" not in {s["name"] for s in sectors}


def test_units_list_and_detail(client, county, other_county, member_user):
    unit = HandlingUnitFactory(committee=county, name="县教育局")
    foreign = HandlingUnitFactory(committee=other_county, name="邻县教育局")
    client.force_login(member_user)
    names = [u["name"] for u in client.get("/api/v1/members/units?q=教育").json()["items"]]
    assert names == ["县教育局"]
    assert client.get(f"/api/v1/members/units/{unit.pk}").json()["name"] == "县教育局"
    assert client.get(f"/api/v1/members/units/{foreign.pk}").status_code == 404


def test_office_creates_and_updates_a_unit(client, county, staff):
    client.force_login(staff)
    response = client.post("/api/v1/members/units", content_type=JSON,
                           data={"name": "县水利局", "keywords": "水利 河道"})
    assert response.status_code == 201
    pk = response.json()["id"]
    response = client.patch(f"/api/v1/members/units/{pk}", content_type=JSON,
                            data={"is_active": False, "short_name": "水利局"})
    assert response.status_code == 200
    unit = HandlingUnit.objects.get(pk=pk)
    assert unit.committee == county and unit.is_active is False and unit.short_name == "水利局"


def test_duplicate_unit_name_is_refused_in_chinese(client, county, staff):
    HandlingUnitFactory(committee=county, name="县水利局")
    client.force_login(staff)
    response = client.post("/api/v1/members/units", content_type=JSON, data={"name": "县水利局"})
    assert response.status_code == 400
    assert response.json()["message"]
    assert HandlingUnit.objects.filter(name="县水利局").count() == 1


def test_unit_clerk_cannot_change_units(client, county):
    clerk = user_with_role(county, Role.UNIT_CLERK)
    unit = HandlingUnit.objects.get(role_assignments__user=clerk)
    client.force_login(clerk)
    response = client.patch(f"/api/v1/members/units/{unit.pk}", content_type=JSON,
                            data={"name": "改名"})
    assert response.status_code == 403
    unit.refresh_from_db()
    assert unit.name != "改名"
