"""The office's pages: member and unit forms, leaving, roster import/export and template."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.factories import HandlingUnitFactory, MemberFactory, SectorFactory, user_with_role
from xieshang.core.models import AuditLog, Role
from xieshang.members import roster
from xieshang.members.models import HandlingUnit, Member, TermMembership

pytestmark = pytest.mark.django_db

HEADERS = ["姓名", "性别", "界别", "手机号码", "身份证号", "是否常委"]


def id_for(seq: int) -> str:
    return roster.with_check_digit(f"33010219750304{seq:03d}")


def xlsx(headers, rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, data: bytes, kind="members", **extra):
    return client.post(reverse("roster-import"), {
        "kind": kind, "file": SimpleUploadedFile("名册.xlsx", data), **extra})


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.XIESHANG_ROSTER_UPLOAD_DIR = str(tmp_path / "uploads")


@pytest.fixture
def economy(county):
    return SectorFactory(committee=county, name="经济界")


@pytest.fixture
def office_client(client, staff):
    client.force_login(staff)
    return client


def member_post(sector, **over):
    data = {"name": "赵六", "gender": "female", "ethnicity": "汉族", "birth_date": "1975-03-04",
            "party": "民盟盟员", "sector": sector.pk, "workplace": "县医院医生",
            "phone": "13912345678", "id_number": id_for(1), "joined_on": "2022-01-01"}
    data.update(over)
    return data


# --- member pages --------------------------------------------------------------------------


def test_office_adds_a_member(office_client, county, economy):
    response = office_client.post(reverse("member-create"), member_post(economy,
                                                                        is_standing="on"))
    member = Member.objects.get(committee=county, name="赵六")
    assert response.status_code == 302 and response["Location"] == reverse(
        "member-detail", args=[member.pk])
    assert member.is_standing and member.sector == economy and member.phone == "13912345678"
    assert AuditLog.objects.filter(action="member.create", object_id=str(member.pk)).exists()


def test_member_form_shows_chinese_errors_for_bad_phone_and_id(office_client, county, economy):
    response = office_client.post(reverse("member-create"), member_post(
        economy, phone="12345", id_number=id_for(1)[:-1] + ("0" if id_for(1)[-1] != "0"
                                                             else "1")))
    body = response.content.decode()
    assert response.status_code == 200
    assert "请输入11位手机号码" in body or "11位" in body
    assert "校验位" in body or "校验码" in body
    assert not Member.objects.filter(committee=county, name="赵六").exists()


def test_member_form_refuses_a_number_another_member_has(office_client, county, economy):
    MemberFactory(committee=county, name="钱七", phone="13912345678", id_number="")
    response = office_client.post(reverse("member-create"), member_post(economy))
    assert response.status_code == 200 and "钱七" in response.content.decode()


def test_member_form_checks_birth_date_against_id(office_client, county, economy):
    response = office_client.post(reverse("member-create"),
                                  member_post(economy, birth_date="1975-03-05"))
    assert response.status_code == 200 and "1975-03-04" in response.content.decode()


def test_sector_select_lists_only_this_committee(office_client, county, other_county, economy):
    foreign = SectorFactory(committee=other_county, name="邻县界别")
    body = office_client.get(reverse("member-create")).content.decode()
    assert "经济界" in body and "邻县界别" not in body
    response = office_client.post(reverse("member-create"), member_post(foreign))
    assert response.status_code == 200
    assert not Member.objects.filter(name="赵六").exists()


def test_editing_a_member_changes_sector_and_keeps_history(office_client, county, economy):
    office_client.post(reverse("member-create"), member_post(economy))
    member = Member.objects.get(committee=county, name="赵六")
    culture = SectorFactory(committee=county, name="文化界")
    response = office_client.post(reverse("member-edit", args=[member.pk]),
                                  member_post(culture, workplace="县文化馆"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.sector == culture and member.workplace == "县文化馆"
    assert TermMembership.objects.filter(member=member).count() == 2
    page = office_client.get(reverse("member-edit", args=[member.pk])).content.decode()
    assert "县文化馆" in page


def test_member_leaves_with_date_and_reason(office_client, county, economy):
    member = MemberFactory(committee=county, sector=economy, joined_on=dt.date(2022, 1, 1))
    url = reverse("member-leave", args=[member.pk])
    assert office_client.get(url).status_code == 200
    bad = office_client.post(url, {"left_on": "2099-01-01", "reason": "工作调动"})
    assert bad.status_code == 200 and "将来" in bad.content.decode()
    response = office_client.post(url, {"left_on": "2026-06-30", "reason": "工作调动"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == Member.Status.LEFT and member.left_on == dt.date(2026, 6, 30)
    assert member.left_reason == "工作调动"


def test_member_list_and_detail_link_the_office_pages(office_client, county, economy):
    member = MemberFactory(committee=county, sector=economy)
    body = office_client.get(reverse("member-list")).content.decode()
    for url in (reverse("member-create"), reverse("roster-import"),
                reverse("roster-export", args=["members"]),
                reverse("roster-template", args=["members"])):
        assert url in body
    detail = office_client.get(reverse("member-detail", args=[member.pk])).content.decode()
    assert reverse("member-edit", args=[member.pk]) in detail
    assert reverse("member-leave", args=[member.pk]) in detail
    units = office_client.get(reverse("unit-list")).content.decode()
    assert reverse("unit-create") in units and reverse("roster-export", args=["units"]) in units


def test_members_see_no_office_links(client, county, member_user):
    client.force_login(member_user)
    body = client.get(reverse("member-list")).content.decode()
    assert reverse("member-create") not in body and reverse("roster-import") not in body


def test_left_members_are_listed_for_the_office_on_request(client, office_client, county,
                                                          economy, member_user):
    MemberFactory(committee=county, name="离任者", sector=economy, status=Member.Status.LEFT)
    assert "离任者" not in office_client.get(reverse("member-list")).content.decode()
    body = office_client.get(reverse("member-list") + "?status=left").content.decode()
    assert "离任者" in body
    client.force_login(member_user)
    body = client.get(reverse("member-list") + "?status=left").content.decode()
    assert "离任者" not in body


# --- unit pages ----------------------------------------------------------------------------


def test_unit_create_and_edit(office_client, county):
    response = office_client.post(reverse("unit-create"), {
        "name": "县交通运输局", "short_name": "交通局", "kind": "government",
        "contact_phone": "0571-88886666", "keywords": "道路、公交", "order": 0})
    assert response.status_code == 302
    unit = HandlingUnit.objects.get(committee=county, name="县交通运输局")
    assert unit.keywords == "道路 公交"
    response = office_client.post(reverse("unit-edit", args=[unit.pk]), {
        "name": "县交通运输局", "kind": "government", "contact_name": "孙八", "order": 3})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.contact_name == "孙八" and unit.order == 3 and not unit.is_active
    body = office_client.get(reverse("unit-list") + "?inactive=1").content.decode()
    assert "县交通运输局" in body


def test_unit_form_errors_in_chinese(office_client, county):
    HandlingUnitFactory(committee=county, name="县财政局")
    response = office_client.post(reverse("unit-create"), {
        "name": "县财政局", "kind": "government", "contact_phone": "打电话", "order": 0})
    body = response.content.decode()
    assert response.status_code == 200
    assert "已有同名" in body or "已存在" in body
    assert "电话" in body


# --- roster import through the pages -----------------------------------------------------


def test_import_page_lists_exactly_the_three_bad_rows_and_saves_nothing(office_client, county,
                                                                       economy):
    rows = [["甲", "男", "经济界", "13900000001", id_for(1), "否"],
            ["乙", "未知", "经济界", "13900000002", id_for(2), "否"],
            ["丙", "女", "经济界", "13900000003", id_for(3), "否"],
            ["丁", "女", "不存在的界别", "13900000004", id_for(4), "否"],
            ["戊", "女", "经济界", "139", id_for(5), "否"]]
    response = upload(office_client, xlsx(HEADERS, rows))
    assert response.status_code == 200
    errors = response.context["result"].errors
    assert [(e.row, e.column) for e in errors] == [(3, "性别"), (5, "界别"), (6, "手机号码")]
    body = response.content.decode()
    assert "3 处问题" in body and "不存在的界别" in body
    assert 'name="token"' not in body
    assert not Member.objects.filter(committee=county).exists()


def test_import_preview_then_confirm_saves_and_token_is_single_use(office_client, county,
                                                                    economy):
    rows = [["甲", "男", "经济界", "13900000001", id_for(1), "是"],
            ["乙", "女", "经济界", "13900000002", id_for(2), "否"]]
    response = upload(office_client, xlsx(HEADERS, rows))
    body = response.content.decode()
    assert "2 行：新增 2" in body
    assert not Member.objects.filter(committee=county).exists()
    token = response.context["token"]
    confirm = office_client.post(reverse("roster-import-confirm"), {"token": token})
    assert confirm.status_code == 302 and confirm["Location"] == reverse("member-list")
    assert Member.objects.filter(committee=county).count() == 2
    again = office_client.post(reverse("roster-import-confirm"), {"token": token})
    assert again.status_code == 302 and again["Location"] == reverse("roster-import")
    assert Member.objects.filter(committee=county).count() == 2
    reimport = upload(office_client, xlsx(HEADERS, rows))
    assert reimport.context["result"].unchanged == 2


def test_import_of_units_through_the_page(office_client, county):
    data = xlsx(["单位名称", "单位类型"], [["县审计局", "政府部门"], ["县委组织部", "党委部门"]])
    response = upload(office_client, data, kind="units")
    token = response.context["token"]
    office_client.post(reverse("roster-import-confirm"), {"token": token})
    assert set(HandlingUnit.objects.filter(committee=county).values_list("kind", flat=True)) \
        == {"government", "party_organ"}


def test_htmx_upload_returns_only_the_result(office_client, county, economy):
    data = xlsx(HEADERS, [["甲", "男", "经济界", "13900000001", id_for(1), "否"]])
    response = office_client.post(reverse("roster-import"),
                                  {"kind": "members", "file": SimpleUploadedFile("a.xlsx", data)},
                                  headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body and 'data-testid="roster-result"' in body


def test_hostile_uploads_give_messages_not_errors(office_client, county):
    for data in (b"", b"<script>alert(1)</script>", b"PK\x03\x04" + b"\xff" * 500):
        response = upload(office_client, data)
        assert response.status_code == 200
        assert "<script>alert" not in response.content.decode()
    assert upload(office_client, b"x", kind="<script>").status_code == 200


def test_confirming_someone_elses_upload_is_not_found(client, office_client, county,
                                                      other_county, economy):
    data = xlsx(HEADERS, [["甲", "男", "经济界", "13900000001", id_for(1), "否"]])
    token = upload(office_client, data).context["token"]
    for user in (user_with_role(county, Role.ADMIN), user_with_role(other_county,
                                                                    Role.STAFF_OFFICE)):
        client.force_login(user)
        response = client.post(reverse("roster-import-confirm"), {"token": token})
        assert response.status_code == 404
    assert not Member.objects.filter(committee=county).exists()


def test_confirm_needs_post(office_client):
    assert office_client.get(reverse("roster-import-confirm")).status_code == 405


def test_export_downloads_the_roster(office_client, county, economy):
    MemberFactory(committee=county, name="导出者", sector=economy, id_number=id_for(9))
    response = office_client.get(reverse("roster-export", args=["members"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A2"].value == "导出者" and ws["I2"].value == id_for(9)


def test_template_downloads_and_is_a_valid_xlsx_with_headers(office_client, county):
    for kind, first in (("members", "姓名"), ("units", "单位名称")):
        response = office_client.get(reverse("roster-template", args=[kind]))
        assert response.status_code == 200
        wb = load_workbook(io.BytesIO(response.content))
        assert wb.worksheets[0]["A1"].value == first and "说明" in wb.sheetnames
    assert office_client.get(reverse("roster-template", args=["other"])).status_code == 404


def test_other_county_staff_export_only_their_own(client, county, other_county, economy):
    MemberFactory(committee=county, name="本县委员", sector=economy)
    client.force_login(user_with_role(other_county, Role.STAFF_OFFICE))
    response = client.get(reverse("roster-export", args=["members"]))
    assert "本县委员" not in [c.value for row in load_workbook(
        io.BytesIO(response.content)).active.iter_rows() for c in row]


# --- refusals ------------------------------------------------------------------------------


def office_urls(member, unit):
    return [
        ("get", reverse("member-create")), ("post", reverse("member-create")),
        ("get", reverse("member-edit", args=[member.pk])),
        ("post", reverse("member-edit", args=[member.pk])),
        ("get", reverse("member-leave", args=[member.pk])),
        ("post", reverse("member-leave", args=[member.pk])),
        ("get", reverse("unit-create")), ("post", reverse("unit-create")),
        ("get", reverse("unit-edit", args=[unit.pk])),
        ("post", reverse("unit-edit", args=[unit.pk])),
        ("get", reverse("roster-import")), ("post", reverse("roster-import")),
        ("post", reverse("roster-import-confirm")),
        ("get", reverse("roster-export", args=["members"])),
        ("get", reverse("roster-export", args=["units"])),
        ("get", reverse("roster-template", args=["members"])),
        ("get", reverse("roster-template", args=["units"])),
    ]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.UNIT_CLERK, Role.UNIT_LEADER,
                                  Role.STAFF_PROPOSAL, Role.LEADER])
def test_non_office_roles_are_refused_everywhere(client, county, economy, role):
    member = MemberFactory(committee=county, sector=economy)
    unit = HandlingUnitFactory(committee=county)
    client.force_login(user_with_role(county, role))
    for method, url in office_urls(member, unit):
        response = getattr(client, method)(url, {"name": "x", "reason": "x", "token": "x"})
        assert response.status_code == 403, (role, method, url)
    member.refresh_from_db()
    assert member.status == Member.Status.ACTIVE


def test_staff_of_another_county_get_not_found_for_this_countys_records(client, county,
                                                                       other_county, economy):
    member = MemberFactory(committee=county, sector=economy)
    unit = HandlingUnitFactory(committee=county)
    client.force_login(user_with_role(other_county, Role.STAFF_OFFICE))
    for method, url in office_urls(member, unit):
        if str(member.pk) in url or "units/" in url and str(unit.pk) in url:
            response = getattr(client, method)(url, {"left_on": "2026-01-01", "reason": "x"})
            assert response.status_code == 404, (method, url)
    member.refresh_from_db()
    assert member.status == Member.Status.ACTIVE


def test_anonymous_users_are_sent_to_login(client, county, economy):
    member = MemberFactory(committee=county, sector=economy)
    unit = HandlingUnitFactory(committee=county)
    for method, url in office_urls(member, unit):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


# --- hostile input -------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["<script>alert(1)</script>", "x" * 20000, "a\x00b",
                                   "a\x07b\x1bc", "\u202eabc", "😀" * 300, "' OR 1=1 --"])
def test_hostile_form_input_never_breaks_the_pages(office_client, county, economy, value):
    member = MemberFactory(committee=county, sector=economy)
    unit = HandlingUnitFactory(committee=county)
    for url, data in (
        (reverse("member-create"), member_post(economy, name=value, workplace=value,
                                               phone=value, id_number=value)),
        (reverse("member-edit", args=[member.pk]), member_post(economy, party=value,
                                                               birth_date=value)),
        (reverse("member-leave", args=[member.pk]), {"left_on": value, "reason": value}),
        (reverse("unit-create"), {"name": value, "kind": value, "keywords": value,
                                  "order": value}),
        (reverse("unit-edit", args=[unit.pk]), {"name": value, "kind": "court",
                                                "address": value, "order": "1"}),
    ):
        response = office_client.post(url, data)
        assert response.status_code in (200, 302), (url, response.status_code)
        assert "<script>alert" not in response.content.decode()
    saved = [*Member.objects.values_list("name", "workplace", "party"),
             *HandlingUnit.objects.values_list("name", "keywords", "address")]
    assert all(not re.search("[\x00-\x08\x1b\u202e]", text) for row in saved for text in row)


def test_an_expired_upload_must_be_uploaded_again(office_client, county, economy, monkeypatch):
    data = xlsx(HEADERS, [["甲", "男", "经济界", "13900000001", id_for(1), "否"]])
    token = upload(office_client, data).context["token"]
    monkeypatch.setattr(roster, "PENDING_SECONDS", -1)
    response = office_client.post(reverse("roster-import-confirm"), {"token": token},
                                  follow=True)
    assert "过期" in response.content.decode()
    assert not Member.objects.filter(committee=county).exists()
