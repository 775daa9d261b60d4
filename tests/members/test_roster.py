"""Roster import/export (xieshang.members.roster) and the ``xieshang roster`` command."""

from __future__ import annotations

import datetime as dt
import io
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from tests.factories import (
    ActivityGroupFactory,
    HandlingUnitFactory,
    MemberFactory,
    SectorFactory,
    SpecialCommitteeFactory,
)
from xieshang.core.models import AuditLog, Role
from xieshang.core.permissions import Actor, actor_for
from xieshang.members import roster, services
from xieshang.members.models import (
    HandlingUnit,
    Member,
    Sector,
    SpecialCommitteeMembership,
    TermMembership,
)

pytestmark = pytest.mark.django_db

HEADERS = ["姓名", "性别", "民族", "出生日期", "政治面貌", "界别", "工作单位及职务", "手机号码",
           "身份证号", "是否常委", "专委会", "活动组", "任职日期"]
UNIT_HEADERS = ["单位名称", "简称", "单位类型", "联系人", "联系电话", "地址", "交办关键词"]


def id_for(birth: str, seq: int) -> str:
    """A valid resident ID number born on ``birth`` (YYYYMMDD)."""
    return roster.with_check_digit(f"330102{birth}{seq:03d}")


def xlsx(headers, rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def member_row(n: int, **over):
    row = {"姓名": f"委员{n}", "性别": "男" if n % 2 else "女", "民族": "汉族",
           "出生日期": "1980-01-02", "政治面貌": "中共党员", "界别": "经济界",
           "工作单位及职务": f"第{n}中学校长", "手机号码": f"1390000{n:04d}",
           "身份证号": id_for("19800102", n), "是否常委": "否", "专委会": "", "活动组": "",
           "任职日期": "2022-01-01"}
    row.update(over)
    return [row[h] for h in HEADERS]


@pytest.fixture
def office(county, staff) -> Actor:
    return actor_for(staff, county)


@pytest.fixture
def economy(county):
    return SectorFactory(committee=county, name="经济界")


def run(office, county, data, kind="members", **kw):
    return roster.roster_import(actor=office, committee=county, data=data, kind=kind, **kw)


def wrong_check_digit(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def test_three_bad_rows_save_nothing_and_are_listed_with_reasons(office, county, economy):
    rows = [member_row(1), member_row(2, 手机号码="1380000"), member_row(3),
            member_row(4, 身份证号=wrong_check_digit(id_for("19800102", 4))),
            member_row(5, 性别="男性"), member_row(6)]
    before = Member.objects.count()
    result = run(office, county, xlsx(HEADERS, rows))
    assert not result.applied
    assert Member.objects.count() == before
    assert not AuditLog.objects.filter(action="roster.import").exists()
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "手机号码"), (5, "身份证号"), (6, "性别")]
    messages = [e.message for e in result.errors]
    assert "11" in messages[0]
    assert "校验" in messages[1]
    assert "男" in messages[2] and "女" in messages[2]


def test_good_file_imports_members_with_tenure_committees_groups_and_audit(office, county,
                                                                          economy):
    sc = SpecialCommitteeFactory(committee=county, name="提案委员会")
    group = ActivityGroupFactory(committee=county, name="第一活动组")
    rows = [member_row(1, 是否常委="是", 专委会="提案委员会", 活动组="第一活动组"),
            member_row(2, 出生日期="", 任职日期="2023/3/5")]
    result = run(office, county, xlsx(HEADERS, rows), filename="名册.xlsx")
    assert result.applied and result.errors == []
    assert (result.created, result.updated) == (2, 0)
    first = Member.objects.get(committee=county, name="委员1")
    assert first.is_standing and first.sector == economy and first.phone == "13900000001"
    assert TermMembership.objects.filter(member=first, end_date__isnull=True).exists()
    assert SpecialCommitteeMembership.objects.filter(member=first, special_committee=sc,
                                                     end_date__isnull=True).exists()
    assert list(group.members.all()) == [first]
    second = Member.objects.get(committee=county, name="委员2")
    assert second.birth_date == dt.date(1980, 1, 2)  # taken from the ID number
    assert second.joined_on == dt.date(2023, 3, 5)
    summary = AuditLog.objects.get(action="roster.import")
    assert summary.after["created"] == 2 and summary.after["file"] == "名册.xlsx"
    bulk = AuditLog.objects.get(action="member.bulk_create")
    assert sorted(m["name"] for m in bulk.after["members"]) == ["委员1", "委员2"]


def test_bulk_create_validates_every_member_and_sends_save_signals(office, county, economy,
                                                                  other_county):
    from django.core.exceptions import ValidationError
    from django.db.models.signals import post_save

    saved = []

    def listen(sender, instance, created, **kwargs):
        saved.append((sender.__name__, created))

    post_save.connect(listen)
    try:
        good = services.NewMember(fields={"name": "甲", "gender": "male", "sector": economy})
        bad = services.NewMember(fields={"name": "乙", "gender": "robot"})
        with pytest.raises(ValidationError) as exc:
            services.members_bulk_create(actor=office, committee=county, new=[good, bad])
        assert list(exc.value.message_dict) == ["1"]
        assert not Member.objects.filter(committee=county).exists()
        foreign = services.NewMember(fields={"name": "丙", "gender": "male",
                                             "sector": SectorFactory(committee=other_county)})
        with pytest.raises(PermissionDenied):
            services.members_bulk_create(actor=office, committee=county, new=[foreign])
        created = services.members_bulk_create(actor=office, committee=county, new=[good])
    finally:
        post_save.disconnect(listen)
    assert created[0].pk and TermMembership.objects.filter(member=created[0]).exists()
    assert ("Member", True) in saved and ("TermMembership", True) in saved


def test_reimport_updates_instead_of_duplicating_and_keeps_history(office, county, economy):
    culture = SectorFactory(committee=county, name="文化艺术界")
    rows = [member_row(n) for n in range(1, 4)]
    run(office, county, xlsx(HEADERS, rows))
    rows[1] = member_row(2, 界别="文化艺术界", 工作单位及职务="县文化馆馆长")
    result = run(office, county, xlsx(HEADERS, rows))
    assert result.applied
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    assert result.rows[1].changes == ["界别", "工作单位及职务"]
    assert Member.objects.filter(committee=county).count() == 3
    member = Member.objects.get(committee=county, name="委员2")
    assert member.sector == culture and member.workplace == "县文化馆馆长"
    tenures = list(TermMembership.objects.filter(member=member).order_by("id"))
    assert [t.sector for t in tenures] == [economy, culture]
    assert tenures[0].end_date is not None
    assert AuditLog.objects.filter(action="member.update", object_id=str(member.pk)).exists()


def test_existing_member_is_matched_by_phone_when_the_row_has_no_id(office, county, economy):
    existing = MemberFactory(committee=county, name="王五", phone="13911112222", id_number="",
                             sector=economy)
    rows = [member_row(1, 姓名="王五", 手机号码="139-1111-2222", 身份证号="")]
    result = run(office, county, xlsx(HEADERS, rows))
    assert result.applied and result.rows[0].target == existing
    existing.refresh_from_db()
    assert existing.workplace == "第1中学校长"
    assert Member.objects.filter(committee=county, name="王五").count() == 1


def test_an_empty_id_cell_does_not_erase_the_number_on_record(office, county, economy):
    number = id_for("19800102", 7)
    existing = MemberFactory(committee=county, phone="13911113333", id_number=number)
    run(office, county, xlsx(HEADERS, [member_row(7, 手机号码="13911113333", 身份证号="")]))
    existing.refresh_from_db()
    assert existing.id_number == number


def test_id_and_phone_of_two_different_members_is_an_error(office, county, economy):
    a = MemberFactory(committee=county, name="甲", phone="13911110001",
                      id_number=id_for("19800102", 11))
    MemberFactory(committee=county, name="乙", phone="13911110002",
                  id_number=id_for("19800102", 12))
    rows = [member_row(11, 姓名="甲", 手机号码="13911110002", 身份证号=a.id_number)]
    result = run(office, county, xlsx(HEADERS, rows))
    assert [(e.row, e.column) for e in result.errors] == [(2, "手机号码")]
    assert "乙" in result.errors[0].message


def test_duplicates_inside_the_file_are_errors(office, county, economy):
    rows = [member_row(1), member_row(2, 身份证号=id_for("19800102", 1)),
            member_row(3, 手机号码="13900000001")]
    result = run(office, county, xlsx(HEADERS, rows))
    assert [(e.row, e.column) for e in result.errors] == [(3, "身份证号"), (4, "手机号码")]
    assert "第2行" in result.errors[0].message and "第2行" in result.errors[1].message


def test_export_then_import_gives_the_same_roster(office, county, economy):
    sc = SpecialCommitteeFactory(committee=county, name="文史委员会")
    group = ActivityGroupFactory(committee=county, name="城关活动组")
    rows = [member_row(1, 专委会="文史委员会", 活动组="城关活动组", 是否常委="是"),
            member_row(2, 工作单位及职务="=HYPERLINK(\"http://x\")"),
            member_row(3, 政治面貌="", 出生日期="")]
    assert run(office, county, xlsx(HEADERS, rows)).applied
    before = {m.pk: (m.name, m.gender, m.ethnicity, m.birth_date, m.party, m.sector_id,
                     m.workplace, m.phone, m.id_number, m.is_standing, m.joined_on)
              for m in Member.objects.filter(committee=county)}
    data = roster.roster_export(actor=office, committee=county, kind="members")
    again = run(office, county, data)
    assert again.applied and again.errors == []
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    after = {m.pk: (m.name, m.gender, m.ethnicity, m.birth_date, m.party, m.sector_id,
                    m.workplace, m.phone, m.id_number, m.is_standing, m.joined_on)
             for m in Member.objects.filter(committee=county)}
    assert after == before
    assert SpecialCommitteeMembership.objects.filter(special_committee=sc).count() == 1
    assert group.members.count() == 1


def test_export_escapes_formulas(office, county, economy):
    MemberFactory(committee=county, name="=1+2", workplace="@SUM(A1)", sector=economy,
                  id_number="", phone="13911119999")
    ws = load_workbook(io.BytesIO(roster.roster_export(actor=office, committee=county,
                                                       kind="members"))).active
    values = [c.value for c in ws[2]]
    assert values[0] == "'=1+2" and values[6] == "'@SUM(A1)"
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert AuditLog.objects.filter(action="roster.export").exists()


def test_export_lists_only_serving_members_of_the_committee(office, county, other_county,
                                                           economy):
    MemberFactory(committee=county, name="在任", sector=economy)
    MemberFactory(committee=county, name="离任", sector=economy, status=Member.Status.LEFT)
    MemberFactory(committee=other_county, name="邻县")
    ws = load_workbook(io.BytesIO(roster.roster_export(actor=office, committee=county,
                                                       kind="members"))).active
    names = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert "在任" in names and "离任" not in names and "邻县" not in names


def test_special_committee_cell_states_current_memberships(office, county, economy):
    a = SpecialCommitteeFactory(committee=county, name="甲委员会")
    b = SpecialCommitteeFactory(committee=county, name="乙委员会")
    run(office, county, xlsx(HEADERS, [member_row(1, 专委会="甲委员会")]))
    result = run(office, county, xlsx(HEADERS, [member_row(1, 专委会="乙委员会")]))
    assert result.applied and result.rows[0].changes == ["专委会"]
    member = Member.objects.get(committee=county, name="委员1")
    current = SpecialCommitteeMembership.objects.filter(member=member, end_date__isnull=True)
    assert [m.special_committee for m in current] == [b]
    assert SpecialCommitteeMembership.objects.get(member=member, special_committee=a).end_date


def test_unknown_names_are_errors_unless_sectors_may_be_created(office, county, economy):
    rows = [member_row(1, 界别="新经济界"), member_row(2, 专委会="不存在委员会"),
            member_row(3, 活动组="不存在组")]
    result = run(office, county, xlsx(HEADERS, rows))
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "界别"), (3, "专委会"), (4, "活动组")]
    assert "经济界" in result.errors[0].message  # the known sectors are listed
    created = run(office, county, xlsx(HEADERS, [member_row(1, 界别="新经济界")]),
                  create_sectors=True)
    assert created.applied and created.new_sectors == ["新经济界"]
    assert Member.objects.get(committee=county, name="委员1").sector.name == "新经济界"


def test_headers_in_any_order_with_spaces_and_extra_columns(office, county, economy):
    headers = ["序号", " 手机 号码 ", "性 别", "姓　名", "备注", "界别"]
    rows = [[1, 13900000001, "女", "李  四", "随便写", "经济界"]]
    result = run(office, county, xlsx(headers, rows))
    assert result.applied, result.errors
    member = Member.objects.get(committee=county, phone="13900000001")
    assert member.name == "李四" and member.gender == Member.Gender.FEMALE


@pytest.mark.parametrize("value", ["1980-01-02", "1980/1/2", "1980年1月2日", "1980.1.2",
                                   dt.datetime(1980, 1, 2), dt.date(1980, 1, 2)])
def test_dates_in_every_accepted_form(office, county, economy, value):
    result = run(office, county, xlsx(HEADERS, [member_row(1, 出生日期=value)]), dry_run=True)
    assert result.errors == []
    assert result.rows[0].fields["birth_date"] == dt.date(1980, 1, 2)


@pytest.mark.parametrize("value", ["02/01/1980", "1980-13-01", "明年", 12345, "2999-01-01"])
def test_bad_dates_are_errors(office, county, economy, value):
    result = run(office, county, xlsx(HEADERS, [member_row(1, 出生日期=value)]), dry_run=True)
    assert [(e.row, e.column) for e in result.errors] == [(2, "出生日期")]


def test_birth_date_must_agree_with_the_id_number(office, county, economy):
    result = run(office, county, xlsx(HEADERS, [member_row(1, 出生日期="1981-01-02")]))
    assert [(e.column) for e in result.errors] == ["出生日期"]
    assert "1980-01-02" in result.errors[0].message


def test_id_number_stored_as_a_number_is_explained(office, county, economy):
    result = run(office, county, xlsx(HEADERS, [member_row(1, 身份证号=3.30102198001021e17)]))
    assert [e.column for e in result.errors] == ["身份证号"]
    assert "文本" in result.errors[0].message


def test_a_row_needs_phone_or_id(office, county, economy):
    result = run(office, county, xlsx(HEADERS, [member_row(1, 手机号码="", 身份证号="")]))
    assert [(e.row, e.column) for e in result.errors] == [(2, "手机号码")]


def test_missing_required_column_is_reported_once(office, county):
    result = run(office, county, xlsx(["姓名", "手机号码"], [["张三", "13900000001"]] * 50))
    assert [(e.row, e.column) for e in result.errors] == [(1, "性别")]


def test_hostile_cells_are_errors_not_crashes(office, county, economy):
    rows = [member_row(1, 姓名="x" * 5000), member_row(2, 工作单位及职务="a\x90b"),
            member_row(3, 姓名="<script>alert(1)</script>", 民族="\t汉族\n"),
            member_row(4, 政治面貌="\u202e党员"), member_row(5, 工作单位及职务="y" * 201)]
    result = run(office, county, xlsx(HEADERS, rows))
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "姓名"), (3, "工作单位及职务"), (5, "政治面貌"), (6, "工作单位及职务")]
    assert "50" in result.errors[0].message and "200" in result.errors[3].message
    ok = run(office, county, xlsx(HEADERS, [rows[2]]))
    assert ok.applied  # markup is only text: the pages escape it
    assert Member.objects.get(committee=county).ethnicity == "汉族"


def test_xml_control_characters_make_a_damaged_file_not_a_crash(office, county, economy):
    import zipfile

    source = xlsx(HEADERS, [member_row(1, 工作单位及职务="MARKER")])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            body = zin.read(item.filename).replace(b"MARKER", b"a&#7;b")
            zout.writestr(item, body)
    result = run(office, county, out.getvalue())
    assert len(result.errors) == 1 and result.errors[0].row is None


def test_the_template_example_row_is_refused(office, county, economy):
    data = roster.roster_template(committee=county, kind="members")
    result = run(office, county, data)
    assert len(result.errors) == 1 and "示例" in result.errors[0].message


@pytest.mark.parametrize(("data", "fragment"), [
    (b"", "空"),
    (b"name,phone\nzhang,139\n", "xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
    (b"PK\x03\x04garbage", "损坏"),
])
def test_files_that_are_not_rosters_are_refused(office, county, data, fragment):
    result = run(office, county, data)
    assert len(result.errors) == 1 and result.errors[0].row is None
    assert fragment in result.errors[0].message


def test_a_word_document_is_not_a_roster(office, county):
    import docx

    out = io.BytesIO()
    docx.Document().save(out)
    result = run(office, county, out.getvalue())
    assert result.errors and result.errors[0].row is None


def test_a_workbook_with_only_headers_is_empty(office, county):
    result = run(office, county, xlsx(HEADERS, []))
    assert len(result.errors) == 1 and "没有" in result.errors[0].message


def test_too_many_rows_is_refused(office, county, economy, monkeypatch):
    monkeypatch.setattr(roster, "MAX_ROWS", 10)
    result = run(office, county, xlsx(HEADERS, [member_row(n) for n in range(1, 12)]))
    assert len(result.errors) == 1 and "10" in result.errors[0].message
    assert Member.objects.filter(committee=county).count() == 0


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_random_bytes_never_crash_the_reader(data):
    for prefix in (b"", b"PK\x03\x04"):
        sheet, errors = roster.read_sheet(prefix + data, "members")
        assert sheet is None and errors


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.none(), st.integers(), st.floats(allow_nan=True),
                          st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")),
                                  max_size=300),
                          st.dates()), min_size=13, max_size=13))
def test_any_cell_values_give_errors_or_a_plan_never_a_crash(office, county, cells):
    try:
        data = xlsx(HEADERS, [cells])
    except Exception:  # openpyxl cannot store this value: nothing to import
        return
    result = run(office, county, data, dry_run=True)
    assert result.errors or result.rows


def test_units_import_update_and_round_trip(office, county):
    existing = HandlingUnitFactory(committee=county, name="县教育局", contact_name="旧联系人")
    rows = [["县教育局", "教育局", "政府部门", "王老师", "0571-88886666", "人民路1号",
             "学校、教师 教育"],
            ["县人民法院", "法院", "法院", "", "", "", ""]]
    result = run(office, county, xlsx(UNIT_HEADERS, rows), kind="units")
    assert result.applied and (result.created, result.updated) == (1, 1)
    existing.refresh_from_db()
    assert existing.contact_name == "王老师" and existing.keywords == "学校 教师 教育"
    court = HandlingUnit.objects.get(committee=county, name="县人民法院")
    assert court.kind == HandlingUnit.Kind.COURT
    data = roster.roster_export(actor=office, committee=county, kind="units")
    again = run(office, county, data, kind="units")
    assert again.applied and (again.created, again.updated) == (0, 0)


def test_unit_rows_are_checked(office, county):
    rows = [["县教育局", "", "政府", "", "", "", ""], ["县教育局", "", "", "", "", "", ""],
            ["县卫健局", "", "", "", "电话没有", "", ""], ["", "无名", "", "", "", "", ""]]
    result = run(office, county, xlsx(UNIT_HEADERS, rows), kind="units")
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "单位类型"), (3, "单位名称"), (4, "联系电话"), (5, "单位名称")]
    assert not HandlingUnit.objects.filter(committee=county).exists()


def test_template_has_headers_example_and_explanations(county, economy):
    for kind, headers in (("members", HEADERS), ("units", UNIT_HEADERS)):
        wb = load_workbook(io.BytesIO(roster.roster_template(committee=county, kind=kind)))
        assert wb.sheetnames[1] == "说明"
        assert [c.value for c in wb.worksheets[0][1]] == headers
        assert wb.worksheets[0].max_row == 2
        explained = [r[0] for r in wb["说明"].iter_rows(min_row=2, values_only=True)]
        assert set(headers) <= set(explained)
    notes = " ".join(str(c) for r in load_workbook(io.BytesIO(roster.roster_template(
        committee=county, kind="members")))["说明"].iter_rows(values_only=True) for c in r)
    assert "经济界" in notes  # the committee's own sectors are listed as allowed values


def test_members_and_other_counties_may_not_import_or_export(county, other_county, make_user,
                                                            staff):
    data = xlsx(HEADERS, [member_row(1)])
    for user, committee in ((make_user(county, Role.MEMBER), county),
                            (make_user(county, Role.UNIT_CLERK), county),
                            (staff, other_county)):
        actor = actor_for(user, county)
        with pytest.raises(PermissionDenied):
            roster.roster_import(actor=actor, committee=committee, data=data, kind="members")
        with pytest.raises(PermissionDenied):
            roster.roster_export(actor=actor, committee=committee, kind="members")


def test_a_stale_check_cannot_write_conflicting_data(office, county, economy):
    """The rows are checked again when saving: a member added meanwhile is matched, not copied."""
    data = xlsx(HEADERS, [member_row(1)])
    assert run(office, county, data, dry_run=True).created == 1
    services.member_create(actor=office, committee=county, name="委员1", gender="male",
                           phone="13900000001", sector=economy)
    result = run(office, county, data)
    assert result.applied and result.updated == 1
    assert Member.objects.filter(committee=county, phone="13900000001").count() == 1


# --- the management command --------------------------------------------------------------


def test_command_dry_run_prints_every_error_and_saves_nothing(county, economy, tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx(HEADERS, [member_row(1), member_row(2, 性别="?"),
                                    member_row(3, 手机号码="12")]))
    out = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("roster", "import", str(path), "--committee", county.code, stdout=out)
    text = out.getvalue()
    assert "第3行" in text and "性别" in text and "第4行" in text and "手机号码" in text
    assert exc.value.returncode == 1
    assert not Member.objects.filter(committee=county).exists()


def test_command_imports_and_exports(county, economy, tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx(HEADERS, [member_row(1), member_row(2)]))
    out = StringIO()
    call_command("roster", "import", str(path), "--committee", county.code, "--dry-run",
                 stdout=out)
    assert not Member.objects.filter(committee=county).exists()
    call_command("roster", "import", str(path), "--committee", county.code, stdout=out)
    assert Member.objects.filter(committee=county).count() == 2
    target = tmp_path / "out.xlsx"
    call_command("roster", "export", "--committee", county.code, "--out", str(target),
                 stdout=out)
    rows = list(load_workbook(target).active.iter_rows(min_row=2, values_only=True))
    assert sorted(r[0] for r in rows) == ["委员1", "委员2"]
    assert AuditLog.objects.filter(action="roster.import", actor_name="system").exists()


def test_command_units_and_unknown_committee(county, tmp_path):
    path = tmp_path / "units.xlsx"
    path.write_bytes(xlsx(UNIT_HEADERS, [["县水利局", "", "政府部门", "", "", "", ""]]))
    call_command("roster", "import", str(path), "--committee", county.code, "--units",
                 stdout=StringIO())
    assert HandlingUnit.objects.filter(committee=county, name="县水利局").exists()
    with pytest.raises(CommandError):
        call_command("roster", "import", str(path), "--committee", "nope", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("roster", "import", str(tmp_path / "missing.xlsx"), "--committee",
                     county.code, stdout=StringIO())


def test_sector_names_stay_unique_when_created(office, county):
    rows = [member_row(1, 界别="新界别"), member_row(2, 界别="新界别")]
    assert run(office, county, xlsx(HEADERS, rows), create_sectors=True).applied
    assert Sector.objects.filter(committee=county, name="新界别").count() == 1


def test_a_title_row_above_the_headers_is_tolerated(office, county, economy):
    wb = Workbook()
    ws = wb.active
    ws.append(["示范县政协第十四届委员名册"])
    ws.append(HEADERS)
    ws.append(member_row(1, 性别="男?"))
    out = io.BytesIO()
    wb.save(out)
    result = run(office, county, out.getvalue())
    assert [(e.row, e.column) for e in result.errors] == [(3, "性别")]
